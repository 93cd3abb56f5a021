import pytest
from charity_beneficiary.verification import is_probable_duplicate, name_similarity, normalize_arabic_name


@pytest.mark.parametrize(
	("name", "expected"),
	[
		("مُحَمَّد", "محمد"),  # harakat and shadda
		("عبدُ الرَّحْمٰن", "عبد الرحمن"),  # superscript alef U+0670
		("مـحـمـد", "محمد"),  # tatweel
		("أحمد", "احمد"),
		("إبراهيم", "ابراهيم"),
		("آمنة", "امنه"),
		("ٱلله", "الله"),
		("مؤمن", "مومن"),
		("هائل", "هايل"),
		("فاطمة", "فاطمه"),
		("مصطفى", "مصطفي"),
		("علی", "علي"),  # Persian yeh
		("  سارة   بنت\tخالد  ", "ساره بنت خالد"),
		("Mohammed AL-Qahtani", "mohammed al-qahtani"),
		("", ""),
		(None, ""),
	],
)
def test_normalize_arabic_name(name, expected):
	assert normalize_arabic_name(name) == expected


@pytest.mark.parametrize(
	("a", "b"),
	[
		("أحمد محمد علي", "احمد محمد على"),
		("فاطمة الزهراء", "فاطمه الزهراء"),
		("محمد عبدالله القحطاني", "القحطاني محمد عبدالله"),  # word order
		("مُحَمَّد إبراهيم", "محمد ابراهيم"),
		("MOHAMMED Ali", "mohammed ali"),
	],
)
def test_spelling_variants_are_identical(a, b):
	assert name_similarity(a, b) == 100.0


def test_similarity_is_a_float_between_0_and_100():
	score = name_similarity("محمد احمد الغامدي", "محمد احمد الزهراني")
	assert isinstance(score, float)
	assert 0.0 < score < 100.0


def test_different_names_score_low():
	assert name_similarity("خالد سعيد", "نورة عبدالعزيز") < 50


@pytest.mark.parametrize(("a", "b"), [("", ""), (None, None), ("محمد", ""), ("", "محمد"), ("ـــ", "َ")])
def test_missing_names_never_match(a, b):
	assert name_similarity(a, b) == 0.0


@pytest.mark.parametrize(
	("a", "b", "same_dob", "same_mobile", "expected"),
	[
		("أحمد محمد علي", "احمد محمد على", True, False, True),
		("أحمد محمد علي", "احمد محمد على", False, True, True),
		("أحمد محمد علي", "احمد محمد على", True, True, True),
		("أحمد محمد علي", "احمد محمد على", False, False, False),  # same name alone is not enough
		("خالد سعيد", "نورة عبدالعزيز", True, True, False),  # shared phone of different people
		("", "", True, True, False),
	],
)
def test_is_probable_duplicate(a, b, same_dob, same_mobile, expected):
	assert is_probable_duplicate(a, b, same_dob=same_dob, same_mobile=same_mobile) is expected


def test_threshold_is_inclusive_and_adjustable():
	a, b = "محمد احمد الغامدي", "محمد احمد الزهراني"
	score = name_similarity(a, b)
	assert is_probable_duplicate(a, b, same_dob=True, same_mobile=False, threshold=score)
	assert not is_probable_duplicate(a, b, same_dob=True, same_mobile=False, threshold=score + 0.01)


@pytest.mark.parametrize(
	("a", "b", "expected"),
	[
		("عبدالله سالم", "عبدالله سليم", True),  # about 92: one vowel letter apart
		("فهد بن سعد العتيبي", "فهد سعد العتيبي", True),  # about 91: "bin" left out
		("محمد احمد الغامدي", "محمد احمد الزهراني", False),  # 80: brothers or cousins, different family name
	],
)
def test_default_threshold_is_85(a, b, expected):
	assert is_probable_duplicate(a, b, same_dob=True, same_mobile=True) is expected


def test_flags_are_keyword_only():
	with pytest.raises(TypeError):
		is_probable_duplicate("a", "a", True, True)

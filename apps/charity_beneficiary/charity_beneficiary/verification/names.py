"""Arabic name normalisation and fuzzy matching, used to flag beneficiaries registered twice."""

from rapidfuzz import fuzz

DEFAULT_DUPLICATE_THRESHOLD = 85.0

# Diacritics are optional in Arabic writing, and hamza/alef, taa marbuta/haa and alef maqsura/yaa are
# written interchangeably in practice, so the same person's name is spelled several ways across documents.
_DIACRITICS = {code: None for code in range(0x064B, 0x0653)} | {0x0670: None}
_NAME_TABLE = str.maketrans(
	{
		**_DIACRITICS,
		"\u0640": None,  # tatweel, a stretching stroke with no meaning
		"أ": "ا",
		"إ": "ا",
		"آ": "ا",
		"ٱ": "ا",
		"ؤ": "و",
		"ئ": "ي",
		"ة": "ه",
		"ى": "ي",
		# Persian keyboards type these look-alikes for the Arabic yaa and kaf.
		"ی": "ي",
		"ک": "ك",
	}
)


def normalize_arabic_name(name: str | None) -> str:
	"""Return ``name`` in a canonical spelling for comparison (not for display).

	>>> normalize_arabic_name("فَاطِمَة  الزّهراء")
	'فاطمه الزهراء'
	"""
	return " ".join((name or "").translate(_NAME_TABLE).lower().split())


def name_similarity(a: str | None, b: str | None) -> float:
	"""Similarity of two names from 0 to 100, ignoring spelling variants and word order."""
	first, second = normalize_arabic_name(a), normalize_arabic_name(b)
	# rapidfuzz scores two empty strings as identical; a missing name is no evidence of a duplicate.
	if not first or not second:
		return 0.0
	return float(fuzz.token_sort_ratio(first, second))


def is_probable_duplicate(
	a_name: str | None,
	b_name: str | None,
	*,
	same_dob: bool,
	same_mobile: bool,
	threshold: float = DEFAULT_DUPLICATE_THRESHOLD,
) -> bool:
	"""True if two records look like the same person: similar names plus a shared date of birth or mobile.

	Similar names alone are common (family members share most of the four-part name), so a second,
	independent match is required before an officer is asked to review the pair.
	"""
	return name_similarity(a_name, b_name) >= threshold and (same_dob or same_mobile)

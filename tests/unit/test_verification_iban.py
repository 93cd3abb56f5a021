import pytest
from charity_beneficiary.verification import SAUDI_BANKS, VerificationError, saudi_bank, validate_iban
from stdnum import iban as stdnum_iban

# The Saudi example published in the SWIFT IBAN registry (an Al Rajhi Bank account).
AL_RAJHI_EXAMPLE = "SA0380000000608010167519"


def make_saudi_iban(bank_code: str, account: str = "000000608010167519") -> str:
	"""Build a valid Saudi IBAN by computing its ISO 7064 mod 97-10 check digits with python-stdnum."""
	unchecked = f"SA00{bank_code}{account}"
	return f"SA{stdnum_iban.calc_check_digits(unchecked)}{bank_code}{account}"


def _message_of(value: str | None) -> str:
	with pytest.raises(VerificationError) as excinfo:
		validate_iban(value)
	return excinfo.value.message


def test_registry_example_is_valid():
	assert stdnum_iban.is_valid(AL_RAJHI_EXAMPLE)
	assert make_saudi_iban("80") == AL_RAJHI_EXAMPLE


@pytest.mark.parametrize(
	"value",
	[
		AL_RAJHI_EXAMPLE,
		"SA03 8000 0000 6080 1016 7519",
		"sa03 8000 0000 6080 1016 7519",
		"SA03-8000-0000-6080-1016-7519",
		"SA٠٣٨٠٠٠٠٠٠٠٦٠٨٠١٠١٦٧٥١٩",  # Arabic-Indic digits
		" SA0380000000608010167519\u200f",
	],
)
def test_valid_iban_is_compacted(value):
	assert validate_iban(value) == AL_RAJHI_EXAMPLE


@pytest.mark.parametrize("bank_code", sorted(SAUDI_BANKS))
def test_generated_iban_for_every_known_bank(bank_code):
	iban = make_saudi_iban(bank_code, "0000001234567890AB")
	assert validate_iban(iban) == iban
	assert saudi_bank(iban)["code"] == bank_code


def test_unknown_bank_code_is_still_a_valid_iban():
	iban = make_saudi_iban("99")
	assert validate_iban(iban) == iban
	assert saudi_bank(iban) is None


@pytest.mark.parametrize("value", ["", "   ", None, " - "])
def test_iban_is_required(value):
	assert _message_of(value) == "IBAN is required"


@pytest.mark.parametrize(
	"value", ["SA03800000006080101675!9", "SA0380000000608010167٥19x_", "SA038000000060801016751ب"]
)
def test_characters_other_than_letters_and_digits(value):
	assert _message_of(value) == "IBAN may contain only English letters and digits"


@pytest.mark.parametrize(
	"value",
	[
		"GB82WEST12345698765432",  # a valid IBAN, but British
		"AE070331234567890123456",  # a valid IBAN, but Emirati
		"0380000000608010167519",  # country code left out
		"80000000608010167519",
	],
)
def test_only_saudi_ibans_are_accepted(value):
	assert _message_of(value) == "Only Saudi IBANs are accepted; the IBAN must start with SA"


@pytest.mark.parametrize(
	("value", "length"), [(AL_RAJHI_EXAMPLE[:-1], "23"), (AL_RAJHI_EXAMPLE + "0", "25"), ("SA", "2")]
)
def test_wrong_length(value, length):
	with pytest.raises(VerificationError) as excinfo:
		validate_iban(value)
	assert excinfo.value.message == "A Saudi IBAN must be exactly 24 characters long; {0} has {1}"
	assert excinfo.value.args == (value, length)


@pytest.mark.parametrize(
	"value",
	[
		"SA0480000000608010167519",  # check digits changed
		"SA0380000000608010167518",  # last account digit changed
		"SA0380000000680010167519",  # two account digits swapped
		"SA0310000000608010167519",  # bank code changed
	],
)
def test_failed_check_digits(value):
	with pytest.raises(VerificationError) as excinfo:
		validate_iban(value)
	assert excinfo.value.message.startswith("IBAN {0} is not valid: its check digits do not match")
	assert excinfo.value.args == (value,)


@pytest.mark.parametrize(
	"value",
	[
		"SAAB80000000608010167519",  # letters as check digits
		"SA03AB000000608010167519",  # letters as bank code
	],
)
def test_wrong_saudi_structure(value):
	assert _message_of(value).startswith("IBAN {0} does not follow the Saudi format")


@pytest.mark.parametrize(
	("bank_code", "name_en", "name_ar"),
	[
		("10", "Saudi National Bank", "البنك الأهلي السعودي"),
		("15", "Bank Albilad", "بنك البلاد"),
		("20", "Riyad Bank", "بنك الرياض"),
		("30", "Arab National Bank", "البنك العربي الوطني"),
		("55", "Banque Saudi Fransi", "البنك السعودي الفرنسي"),
		("60", "Bank AlJazira", "بنك الجزيرة"),
		("65", "Saudi Investment Bank", "البنك السعودي للاستثمار"),
		("80", "Al Rajhi Bank", "مصرف الراجحي"),
		("05", "Alinma Bank", "مصرف الإنماء"),
		("76", "Bank Muscat", "بنك مسقط"),
		("71", "National Bank of Bahrain", "بنك البحرين الوطني"),
		("75", "National Bank of Kuwait", "بنك الكويت الوطني"),
		("85", "BNP Paribas", "بي إن بي باريبا"),
		("90", "Gulf International Bank", "بنك الخليج الدولي"),
		("95", "Emirates NBD", "بنك الإمارات دبي الوطني"),
	],
)
def test_saudi_bank_lookup(bank_code, name_en, name_ar):
	assert saudi_bank(make_saudi_iban(bank_code)) == {
		"code": bank_code,
		"name_en": name_en,
		"name_ar": name_ar,
	}


@pytest.mark.parametrize(
	("bank_code", "successor_ar"),
	[("40", "البنك الأهلي السعودي"), ("45", "البنك السعودي الأول"), ("50", "البنك السعودي الأول")],
)
def test_merged_banks_point_to_their_successor(bank_code, successor_ar):
	assert successor_ar in saudi_bank(make_saudi_iban(bank_code))["name_ar"]


def test_saudi_bank_accepts_the_printed_form():
	assert saudi_bank("sa03 8000 0000 6080 1016 7519")["code"] == "80"


@pytest.mark.parametrize("value", ["", None, "GB82WEST12345698765432", "SA"])
def test_saudi_bank_of_non_saudi_or_empty_value(value):
	assert saudi_bank(value) is None


def test_saudi_bank_returns_a_copy():
	bank = saudi_bank(AL_RAJHI_EXAMPLE)
	bank["name_en"] = "changed"
	assert saudi_bank(AL_RAJHI_EXAMPLE)["name_en"] == "Al Rajhi Bank"

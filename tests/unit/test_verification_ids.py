import pytest
from charity_beneficiary.verification import (
	BORDER_NUMBER,
	ID_TYPES,
	IQAMA,
	NATIONAL_ID,
	PASSPORT,
	VerificationError,
	validate_id,
)
from stdnum import luhn


def _with_check_digit(first_nine: str) -> str:
	"""Complete a 9-digit prefix with its Luhn check digit, computed independently by python-stdnum."""
	return first_nine + luhn.calc_check_digit(first_nine)


def _message_of(id_type: str, value: str | None) -> str:
	with pytest.raises(VerificationError) as excinfo:
		validate_id(id_type, value)
	return excinfo.value.message


def test_id_types_match_the_select_options():
	assert ID_TYPES == ("National ID", "Iqama", "Passport", "Border Number")


@pytest.mark.parametrize(
	("id_type", "value", "expected"),
	[
		(NATIONAL_ID, "1000000008", "1000000008"),
		(IQAMA, "2000000006", "2000000006"),
		(NATIONAL_ID, "١٠٠٠٠٠٠٠٠٨", "1000000008"),  # Arabic-Indic digits
		(IQAMA, "۲۰۰۰۰۰۰۰۰۶", "2000000006"),  # Persian digits
		(NATIONAL_ID, " 100-000 0008 ", "1000000008"),
		(NATIONAL_ID, "١٠٠٠-٠٠٠-٠٠٨", "1000000008"),
		(NATIONAL_ID, "1000000008\u200f", "1000000008"),  # right-to-left mark pasted from Arabic text
		(NATIONAL_ID, _with_check_digit("112345678"), _with_check_digit("112345678")),
		(IQAMA, _with_check_digit("245678901"), _with_check_digit("245678901")),
		(PASSPORT, "a1234567", "A1234567"),
		(PASSPORT, "K12345", "K12345"),
		(PASSPORT, "123456789", "123456789"),
		(PASSPORT, "ab-12 34٥٦", "AB123456"),
		(BORDER_NUMBER, "3000000000", "3000000000"),
		(BORDER_NUMBER, "4123456789", "4123456789"),
		(BORDER_NUMBER, "٣١٢٣٤٥٦٧٨٩", "3123456789"),
	],
)
def test_valid_ids_are_normalised(id_type, value, expected):
	assert validate_id(id_type, value) == expected


@pytest.mark.parametrize("prefix", ["100000000", "112345678", "198765432", "150505050", "109090909"])
def test_national_id_checksum_agrees_with_standard_luhn(prefix):
	for check_digit in "0123456789":
		number = prefix + check_digit
		if luhn.is_valid(number):
			assert validate_id(NATIONAL_ID, number) == number
		else:
			assert "check digit" in _message_of(NATIONAL_ID, number)


@pytest.mark.parametrize("prefix", ["200000000", "212345678", "298765432", "250505050"])
def test_iqama_checksum_agrees_with_standard_luhn(prefix):
	for check_digit in "0123456789":
		number = prefix + check_digit
		if luhn.is_valid(number):
			assert validate_id(IQAMA, number) == number
		else:
			assert "check digit" in _message_of(IQAMA, number)


@pytest.mark.parametrize("id_type", ID_TYPES)
@pytest.mark.parametrize("value", ["", "   ", None, " - "])
def test_empty_number_is_required(id_type, value):
	assert _message_of(id_type, value) == "ID number is required"


@pytest.mark.parametrize(
	("id_type", "value"),
	[
		(NATIONAL_ID, "100000008"),  # 9 digits
		(NATIONAL_ID, "10000000080"),  # 11 digits
		(NATIONAL_ID, "10000000O8"),  # letter O instead of zero
		(NATIONAL_ID, "١٠٠٠٠٠٠٠٠"),
		(IQAMA, "200000000"),
		(IQAMA, "2000000.06"),
		(BORDER_NUMBER, "300000000"),
		(BORDER_NUMBER, "30000000000"),
	],
)
def test_wrong_length_or_characters(id_type, value):
	assert "must be exactly 10 digits" in _message_of(id_type, value)


@pytest.mark.parametrize(
	("id_type", "value", "expected"),
	[
		(NATIONAL_ID, "2000000006", "National ID must start with 1"),
		(NATIONAL_ID, "5000000000", "National ID must start with 1"),
		(IQAMA, "1000000008", "Iqama number must start with 2"),
		(BORDER_NUMBER, "1000000008", "Border Number must start with 3 or 4"),
		(BORDER_NUMBER, "5000000000", "Border Number must start with 3 or 4"),
	],
)
def test_wrong_first_digit_for_the_type(id_type, value, expected):
	assert _message_of(id_type, value).startswith(expected)


@pytest.mark.parametrize(
	("id_type", "value"),
	[(NATIONAL_ID, "1000000000"), (NATIONAL_ID, "1000000009"), (IQAMA, "2000000000"), (IQAMA, "٢٠٠٠٠٠٠٠٠٧")],
)
def test_failed_checksum_names_the_number(id_type, value):
	with pytest.raises(VerificationError) as excinfo:
		validate_id(id_type, value)
	assert "check digit" in excinfo.value.message
	assert "{0}" in excinfo.value.message
	assert excinfo.value.args[0].isascii()
	assert excinfo.value.args[0] in str(excinfo.value)


def test_border_number_has_no_checksum():
	assert validate_id(BORDER_NUMBER, "3000000001") == "3000000001"


@pytest.mark.parametrize(
	("value", "expected"),
	[
		("A1234", "Passport number must be 6 to 9 English letters or digits"),
		("A123456789", "Passport number must be 6 to 9 English letters or digits"),
		("A12345/7", "Passport number must be 6 to 9 English letters or digits"),
		("جواز12345", "Passport number must be 6 to 9 English letters or digits"),
		("É1234567", "Passport number must be 6 to 9 English letters or digits"),
		("ABCDEFG", "Passport number must contain at least one digit"),
	],
)
def test_invalid_passports(value, expected):
	assert _message_of(PASSPORT, value) == expected


@pytest.mark.parametrize("id_type", ["national id", "NationalID", "Visa", "", None])
def test_unknown_id_type(id_type):
	with pytest.raises(VerificationError) as excinfo:
		validate_id(id_type, "1000000008")
	assert excinfo.value.message == "Unknown ID type {0}. Allowed types: {1}"
	assert excinfo.value.args == (id_type, "National ID, Iqama, Passport, Border Number")


def test_error_is_a_value_error_with_untranslated_template():
	with pytest.raises(ValueError) as excinfo:
		validate_id(NATIONAL_ID, "1000000000")
	error = excinfo.value
	assert isinstance(error, VerificationError)
	assert error.args == ("1000000000",)
	assert error.render(lambda template: template.upper()) == error.message.upper().format("1000000000")

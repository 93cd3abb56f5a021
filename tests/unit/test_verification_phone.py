import pytest
from charity_beneficiary.verification import VerificationError, normalize_mobile


def _message_of(value: str | None, **kwargs) -> str:
	with pytest.raises(VerificationError) as excinfo:
		normalize_mobile(value, **kwargs)
	return excinfo.value.message


@pytest.mark.parametrize(
	"value",
	[
		"0501234567",
		"966501234567",
		"+966501234567",
		"+966 50 123 4567",
		"00966501234567",
		"501234567",
		"050-123-4567",
		"(050) 123 4567",
		"٠٥٠١٢٣٤٥٦٧",  # Arabic-Indic digits
		"۰۵۰۱۲۳۴۵۶۷",  # Persian digits
		"+٩٦٦ ٥٠ ١٢٣ ٤٥٦٧",
		"\u200f0501234567\u200f",  # direction marks pasted from Arabic text
		" 0501234567 ",
	],
)
def test_saudi_mobile_spellings_give_one_e164(value):
	assert normalize_mobile(value) == "+966501234567"


@pytest.mark.parametrize(
	("value", "expected"),
	[
		("0551234567", "+966551234567"),
		("0591234567", "+966591234567"),
		("0571234567", "+966571234567"),
		("0531234567", "+966531234567"),
	],
)
def test_other_saudi_mobile_prefixes(value, expected):
	assert normalize_mobile(value) == expected


@pytest.mark.parametrize(
	("value", "expected"),
	[
		("+971501234567", "+971501234567"),  # UAE
		("00971501234567", "+971501234567"),  # international prefix dialled from Saudi Arabia
		("+20 100 123 4567", "+201001234567"),  # Egypt
		("+44 7911 123456", "+447911123456"),  # UK
		("+1 202 555 0123", "+12025550123"),  # US numbers may be mobile or landline
	],
)
def test_foreign_mobiles_with_country_code_are_accepted(value, expected):
	assert normalize_mobile(value) == expected


def test_region_decides_how_local_numbers_are_read():
	assert normalize_mobile("0501234567", region="AE") == "+971501234567"


@pytest.mark.parametrize("value", ["", "   ", None, "--"])
def test_mobile_is_required(value):
	assert _message_of(value) == "Mobile number is required"


@pytest.mark.parametrize(
	"value",
	[
		"abc",
		"05012345678",  # one digit too many
		"050123456",  # one digit too few
		"+96650",
		"971501234567",  # foreign number without +
		"050ABC4567",  # letters would be read as a keypad "vanity" number
		"0501234567#",
		"+966 50 123 4567 ext 2",
	],
)
def test_invalid_numbers(value):
	message = _message_of(value)
	assert message.startswith("{0} is not a valid mobile number")


@pytest.mark.parametrize(
	"value",
	[
		"0112345678",  # Riyadh landline
		"+966 12 612 3456",  # Jeddah landline
		"920000000",  # unified 9200 number
		"8001234567",  # toll-free
	],
)
def test_saudi_non_mobile_numbers_are_rejected(value):
	with pytest.raises(VerificationError) as excinfo:
		normalize_mobile(value)
	assert excinfo.value.message.startswith("{0} is not a Saudi mobile number")
	assert excinfo.value.args == (value,)


def test_foreign_landline_is_rejected():
	assert _message_of("+44 20 7946 0958") == "{0} is not a mobile number"


def test_error_shows_what_the_officer_typed():
	with pytest.raises(VerificationError) as excinfo:
		normalize_mobile("  ٠١١٢٣٤٥٦٧٨ ")
	assert excinfo.value.args == ("٠١١٢٣٤٥٦٧٨",)

from datetime import date, datetime, timedelta

import pytest
from charity_beneficiary.verification import (
	VerificationError,
	days_until,
	from_hijri,
	hijri_display,
	is_expired,
	to_hijri,
	validate_birth_date,
)

TODAY = date(2025, 3, 15)  # 15 Ramadan 1446

# Umm al-Qura dates announced by the Saudi authorities (start of Ramadan, Hijri new year).
KNOWN_DATES = [
	(date(2025, 3, 15), "1446-09-15"),
	(date(2025, 3, 1), "1446-09-01"),
	(date(2024, 3, 11), "1445-09-01"),
	(date(2023, 7, 19), "1445-01-01"),
	(date(2025, 3, 30), "1446-10-01"),  # Eid al-Fitr 1446
]


@pytest.mark.parametrize(("gregorian", "hijri"), KNOWN_DATES)
def test_to_hijri(gregorian, hijri):
	assert to_hijri(gregorian) == hijri


@pytest.mark.parametrize(("gregorian", "hijri"), KNOWN_DATES)
def test_from_hijri_iso(gregorian, hijri):
	assert from_hijri(hijri) == gregorian


def test_to_hijri_accepts_datetime():
	assert to_hijri(datetime(2025, 3, 15, 23, 59)) == "1446-09-15"


def test_round_trip_over_several_years():
	day = date(2020, 1, 1)
	while day < date(2027, 1, 1):
		assert from_hijri(to_hijri(day)) == day
		day += timedelta(days=13)


@pytest.mark.parametrize(
	("lang", "expected"),
	[
		("ar", "15 رمضان 1446 هـ"),
		("ar-SA", "15 رمضان 1446 هـ"),
		("en", "15 Ramadan 1446 AH"),
		("en-US", "15 Ramadan 1446 AH"),
		("fr", "15 Ramadan 1446 AH"),
	],
)
def test_hijri_display(lang, expected):
	assert hijri_display(TODAY, lang) == expected


def test_hijri_display_defaults_to_arabic():
	assert hijri_display(date(2023, 7, 19)) == "1 محرم 1445 هـ"


@pytest.mark.parametrize(
	"value",
	[
		"1446-09-15",
		"1446/09/15",
		"1446-9-15",
		"15/09/1446",
		"15-09-1446",
		"15/9/1446",
		"١٤٤٦-٠٩-١٥",  # Arabic-Indic digits
		"١٥/٠٩/١٤٤٦",
		"۱۴۴۶/۰۹/۱۵",  # Persian digits
		"15/09/1446 هـ",
		"15/09/1446هـ",
		"1446-09-15 AH",
		" \u200f15/09/1446\u200f ",
	],
)
def test_from_hijri_accepted_spellings(value):
	assert from_hijri(value) == TODAY


@pytest.mark.parametrize("value", ["", "   ", None, "هـ"])
def test_from_hijri_required(value):
	with pytest.raises(VerificationError) as excinfo:
		from_hijri(value)
	assert excinfo.value.message == "Hijri date is required"


@pytest.mark.parametrize(
	"value",
	[
		"1446",
		"1446-09",
		"15-09-46",
		"46/09/15",
		"1446.09.15",
		"2025-03-15T00:00",
		"fifteen Ramadan",
		"1446-009-15",
	],
)
def test_from_hijri_bad_format(value):
	with pytest.raises(VerificationError) as excinfo:
		from_hijri(value)
	assert excinfo.value.message.startswith("{0} is not a valid Hijri date. Use YYYY-MM-DD or DD/MM/YYYY")
	assert excinfo.value.args == (value.strip(),)


@pytest.mark.parametrize(
	"value",
	[
		"1446-09-30",  # Ramadan 1446 had 29 days
		"1446-13-01",
		"1446-00-10",
		"1446-09-00",
		"31/01/1446",
	],
)
def test_from_hijri_day_or_month_that_does_not_exist(value):
	with pytest.raises(VerificationError) as excinfo:
		from_hijri(value)
	assert "does not exist in the Umm al-Qura calendar" in excinfo.value.message


@pytest.mark.parametrize("value", ["1300-01-01", "1342-12-29", "1501-01-01", "01/01/1600"])
def test_from_hijri_out_of_range(value):
	with pytest.raises(VerificationError) as excinfo:
		from_hijri(value)
	assert excinfo.value.message == "Hijri date {0} is outside the supported range, years {1} to {2} AH"
	assert excinfo.value.args == (value, "1343", "1500")


@pytest.mark.parametrize("value", [date(1900, 1, 1), date(2100, 1, 1)])
def test_to_hijri_out_of_range(value):
	with pytest.raises(VerificationError) as excinfo:
		to_hijri(value)
	assert excinfo.value.args[0] == value.isoformat()


@pytest.mark.parametrize(
	"dob",
	[
		TODAY,  # a newborn registered on the day of birth
		date(1990, 5, 20),
		date(1904, 3, 16),  # 120 years and 364 days old: still 120
		date(2024, 2, 29),
	],
)
def test_valid_birth_dates(dob):
	assert validate_birth_date(dob, TODAY) is None


@pytest.mark.parametrize("dob", [TODAY + timedelta(days=1), date(2030, 1, 1)])
def test_birth_date_in_the_future(dob):
	with pytest.raises(VerificationError) as excinfo:
		validate_birth_date(dob, TODAY)
	assert excinfo.value.message == "Date of birth {0} cannot be in the future"
	assert excinfo.value.args == (dob.isoformat(),)


@pytest.mark.parametrize("dob", [date(1904, 3, 15), date(1850, 1, 1)])
def test_birth_date_implies_age_over_120(dob):
	with pytest.raises(VerificationError) as excinfo:
		validate_birth_date(dob, TODAY)
	assert excinfo.value.message == "Date of birth {0} gives an age over {1} years. Please check the date."
	assert excinfo.value.args == (dob.isoformat(), "120")


def test_birth_date_accepts_datetimes():
	validate_birth_date(datetime(1990, 5, 20, 8, 30), datetime(2025, 3, 15, 12, 0))


@pytest.mark.parametrize(
	("expiry", "expired", "days"),
	[
		(TODAY + timedelta(days=30), False, 30),
		(TODAY + timedelta(days=1), False, 1),
		(TODAY, False, 0),  # still valid on the expiry date itself
		(TODAY - timedelta(days=1), True, -1),
		(date(2024, 3, 15), True, -365),
	],
)
def test_expiry(expiry, expired, days):
	assert is_expired(expiry, TODAY) is expired
	assert days_until(expiry, TODAY) == days


def test_expiry_entered_in_hijri():
	expiry = from_hijri("1446-10-01")
	assert not is_expired(expiry, TODAY)
	assert days_until(expiry, TODAY) == 15

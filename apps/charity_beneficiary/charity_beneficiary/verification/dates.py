"""Hijri (Umm al-Qura) conversion and date checks for birth dates and document expiry.

Saudi documents print dates of birth and expiry in Hijri, so officers enter and read them that way.
"""

import re
from datetime import date, datetime

from hijridate import Gregorian, Hijri

from charity_beneficiary.verification.digits import to_ascii_digits
from charity_beneficiary.verification.errors import VerificationError, _

MAX_AGE_YEARS = 120

# The Umm al-Qura tables shipped with hijridate cover only this range.
HIJRI_MIN_YEAR = 1343
HIJRI_MAX_YEAR = 1500
GREGORIAN_MIN = date(1924, 8, 1)
GREGORIAN_MAX = date(2077, 11, 16)

_YEAR_FIRST = re.compile(r"(?P<year>[0-9]{4})[-/](?P<month>[0-9]{1,2})[-/](?P<day>[0-9]{1,2})")
_DAY_FIRST = re.compile(r"(?P<day>[0-9]{1,2})[-/](?P<month>[0-9]{1,2})[-/](?P<year>[0-9]{4})")
# "هـ" / "ه" / "AH" after the date only says that it is Hijri; people copy it along with the date.
_ERA_SUFFIX = re.compile(r"\s*(هـ|ه|AH)\s*$", re.IGNORECASE)
# Direction marks that right-to-left text editors insert invisibly around numbers.
_DIRECTION_MARKS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def to_hijri(d: date) -> str:
	"""Return the Hijri date as "YYYY-MM-DD", e.g. ``to_hijri(date(2025, 3, 15)) == "1446-09-15"``."""
	return _hijri(d).isoformat()


def hijri_display(d: date, lang: str = "ar") -> str:
	"""Return the Hijri date for people to read: "15 رمضان 1446 هـ" in Arabic, "15 Ramadan 1446 AH" otherwise."""
	hijri = _hijri(d)
	language = "ar" if lang.lower().split("-")[0] == "ar" else "en"
	return f"{hijri.day} {hijri.month_name(language)} {hijri.year} {hijri.notation(language)}"


def from_hijri(value: str | None) -> date:
	"""Return the Gregorian date of a Hijri date written "1446-09-15" or "15/09/1446" (Arabic digits allowed)."""
	text = _clean_hijri_text(value)
	entered = (value or "").strip()
	if not text:
		raise VerificationError(_("Hijri date is required"))

	match = _YEAR_FIRST.fullmatch(text) or _DAY_FIRST.fullmatch(text)
	if not match:
		raise VerificationError(
			_("{0} is not a valid Hijri date. Use YYYY-MM-DD or DD/MM/YYYY, for example 1446-09-15"), entered
		)
	year, month, day = (int(match[part]) for part in ("year", "month", "day"))

	try:
		return Hijri(year, month, day).to_gregorian()
	except OverflowError:
		raise VerificationError(
			_("Hijri date {0} is outside the supported range, years {1} to {2} AH"),
			entered,
			str(HIJRI_MIN_YEAR),
			str(HIJRI_MAX_YEAR),
		)
	except ValueError:
		raise VerificationError(
			_("{0} is not a valid Hijri date: that month or day does not exist in the Umm al-Qura calendar"),
			entered,
		)


def validate_birth_date(dob: date, today: date) -> None:
	"""Raise VerificationError if the date of birth is in the future or implies an age over 120 years."""
	dob, today = _as_date(dob), _as_date(today)
	if dob > today:
		raise VerificationError(_("Date of birth {0} cannot be in the future"), dob.isoformat())
	if _age_in_years(dob, today) > MAX_AGE_YEARS:
		raise VerificationError(
			_("Date of birth {0} gives an age over {1} years. Please check the date."),
			dob.isoformat(),
			str(MAX_AGE_YEARS),
		)


def is_expired(expiry: date, today: date) -> bool:
	"""True once the expiry date has passed; a document is still valid on its expiry date itself."""
	return _as_date(expiry) < _as_date(today)


def days_until(expiry: date, today: date) -> int:
	"""Days left until the expiry date: 0 on the day itself, negative once it has passed."""
	return (_as_date(expiry) - _as_date(today)).days


def _hijri(d: date) -> Hijri:
	d = _as_date(d)
	try:
		return Gregorian.fromdate(d).to_hijri()
	except OverflowError:
		raise VerificationError(
			_("Date {0} is outside the range supported by the Hijri calendar, {1} to {2}"),
			d.isoformat(),
			GREGORIAN_MIN.isoformat(),
			GREGORIAN_MAX.isoformat(),
		)


def _clean_hijri_text(value: str | None) -> str:
	text = _DIRECTION_MARKS.sub("", to_ascii_digits(value)).strip()
	return _ERA_SUFFIX.sub("", text)


def _as_date(value: date) -> date:
	# A datetime is a date, but comparing it with a plain date raises TypeError.
	return value.date() if isinstance(value, datetime) else value


def _age_in_years(dob: date, today: date) -> int:
	birthday_not_yet = (today.month, today.day) < (dob.month, dob.day)
	return today.year - dob.year - birthday_not_yet

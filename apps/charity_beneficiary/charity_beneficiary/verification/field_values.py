"""The shape of a value for a DocType field (R8.3): what MariaDB and frappe assume but never check.

Frappe stores what it is given. A number or a list in a Data field reaches the verifiers (which call
string methods on it), an object in a Link field is run as a query, a year 20250 or a text longer than its
column reaches MariaDB: each ends in a server error. `check_value` takes a field's type and limits (read
from the DocType meta by the caller, so new fields need no new code) and returns the value in the form
frappe stores, or raises VerificationError saying what is wrong.

Numbers and dates typed on an Arabic keyboard are normalised (Arabic-Indic digits to ASCII) rather than
refused: that is how the app's users type them.
"""

import math
import re
from datetime import date, datetime, time, timedelta

from charity_beneficiary.verification.digits import to_ascii_digits
from charity_beneficiary.verification.errors import VerificationError, _
from charity_beneficiary.verification.web_addresses import is_attachment_address

VARCHAR_LENGTH = 140  # frappe's default for Data, Link, Select… (the field's `length` overrides it)
TEXT_BYTES = 65_535  # a MariaDB TEXT column holds this many bytes

# Column kinds of frappe's MariaDB type map (frappe/database/mariadb/database.py).
VARCHAR_TYPES = frozenset(
	{
		"Data",
		"Link",
		"Dynamic Link",
		"Select",
		"Read Only",
		"Color",
		"Icon",
		"Phone",
		"Autocomplete",
	}
)
TEXT_TYPES = frozenset({"Small Text", "Text", "Password", "Attach", "Attach Image"})
LONGTEXT_TYPES = frozenset(
	{
		"Long Text",
		"Code",
		"Text Editor",
		"Markdown Editor",
		"HTML Editor",
		"Signature",
		"Barcode",
		"Geolocation",
	}
)
TABLE_TYPES = frozenset({"Table", "Table MultiSelect"})

INT_RANGE = (-(2**31), 2**31 - 1)  # int(11)
LONG_INT_RANGE = (-(2**63), 2**63 - 1)  # bigint(20)
DECIMAL_LIMIT = 10**12  # decimal(21,9): twelve digits before the point
DECIMAL_TYPES = frozenset({"Float", "Currency", "Percent", "Duration"})

_NUMBER = re.compile(r"[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)?(\.[0-9]+)?")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,6}))?)?")
# MariaDB's DATE and DATETIME columns hold the years 1000 to 9999.
MIN_YEAR, MAX_YEAR = 1000, 9999


def check_value(
	fieldtype: str,
	value: object,
	*,
	length: int = 0,
	options: tuple[str, ...] = (),
	non_negative: bool = False,
) -> object:
	"""Return `value` as frappe stores it in a field of `fieldtype`; raise VerificationError if it cannot be.
	`non_negative`: the field's own flag, which frappe v15 checks in the form only.

	Empty values (None, "") are always accepted: whether a field is mandatory is frappe's check."""
	if value is None or (isinstance(value, str) and not value.strip() and fieldtype not in VARCHAR_TYPES):
		return value
	check = _CHECKS.get(fieldtype)
	if fieldtype in VARCHAR_TYPES:
		return check_varchar(value, length or VARCHAR_LENGTH, options if fieldtype == "Select" else ())
	value = check(value) if check else value
	if non_negative and isinstance(value, int | float) and value < 0:
		raise VerificationError(_("must not be negative"))
	return value


def check_rows(value: object) -> list:
	"""A child table is a list of rows, each row an object (frappe builds a document of each)."""
	if value in (None, ""):
		return []
	if not isinstance(value, list | tuple) or not all(isinstance(row, dict) for row in value):
		raise VerificationError(_("must be a list of rows"))
	return list(value)


def check_varchar(value: object, length: int, options: tuple[str, ...] = ()) -> str:
	text = as_text(value)
	if len(text) > length:
		raise VerificationError(_("is longer than {0} characters"), length)
	if options and text and text not in options:
		raise VerificationError(_("must be one of: {0}"), ", ".join(option for option in options if option))
	return text


def check_text(value: object) -> str:
	text = as_text(value)
	if len(text.encode("utf-8")) > TEXT_BYTES:
		raise VerificationError(_("is too long (at most {0} bytes)"), TEXT_BYTES)
	return text


def check_attachment(value: object) -> str:
	"""An Attach field's value is the address the desk and the portal link to: a `javascript:` one would
	run in the browser of whoever opens the file."""
	text = check_text(value)
	if not is_attachment_address(text):
		raise VerificationError(
			_("must be an uploaded file or a web address starting with http:// or https://")
		)
	return text


def as_text(value: object) -> str:
	"""Text as it is; a number becomes its digits (as the desk would send it); anything else is refused."""
	if isinstance(value, str):
		return value
	if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
		return str(value)
	raise VerificationError(_("must be text"))


def check_int(value: object, bounds: tuple[int, int] = INT_RANGE) -> int:
	number = _number(value, _INTEGER, _("must be a whole number"))
	if number != int(number):
		raise VerificationError(_("must be a whole number"))
	if not bounds[0] <= number <= bounds[1]:
		raise VerificationError(_("must be between {0} and {1}"), bounds[0], bounds[1])
	return int(number)


def check_decimal(value: object) -> float | int:
	number = _number(value, _NUMBER, _("must be a number"))
	if abs(number) >= DECIMAL_LIMIT:
		raise VerificationError(_("must be less than {0}"), f"{DECIMAL_LIMIT:,}")
	return number


def check_flag(value: object) -> int:
	"""A check box is 0 or 1 (JSON true/false too)."""
	if isinstance(value, bool):
		return int(value)
	if value in (0, 1, "0", "1"):
		return int(value)
	if value == "":
		return 0
	raise VerificationError(_("must be 0 or 1"))


def check_rating(value: object) -> float | int:
	number = _number(value, _NUMBER, _("must be a number"))
	if not 0 <= number <= 1:
		raise VerificationError(_("must be between {0} and {1}"), 0, 1)
	return number


def check_date(value: object) -> date | str:
	if isinstance(value, date):  # datetime too: frappe keeps its date part
		return _in_year_range(value)
	text = _date_text(value)
	match = _DATE.fullmatch(text[:10])
	if not match or (len(text) > 10 and not _time_part(text)):
		raise VerificationError(
			_("{0} is not a valid date. Use YYYY-MM-DD, for example 2025-03-15"), shorten(value)
		)
	_calendar_date(match, value)
	return text[:10]


def check_datetime(value: object) -> datetime | date | str:
	if isinstance(value, date):
		return _in_year_range(value)
	text = _date_text(value)
	match = _DATE.fullmatch(text[:10])
	if not match or (len(text) > 10 and not _time_part(text)):
		raise VerificationError(
			_("{0} is not a valid date and time. Use YYYY-MM-DD HH:MM:SS, for example 2025-03-15 09:30:00"),
			shorten(value),
		)
	_calendar_date(match, value)
	return text


def check_time(value: object) -> time | timedelta | str:
	if isinstance(value, time | timedelta):
		return value
	text = _date_text(value)
	if not _valid_time(text):
		raise VerificationError(
			_("{0} is not a valid time. Use HH:MM:SS, for example 09:30:00"), shorten(value)
		)
	return text


def _number(value: object, pattern: re.Pattern, message: str) -> float | int:
	if isinstance(value, bool):
		raise VerificationError(message)
	if isinstance(value, int):
		return value
	if isinstance(value, float):
		if not math.isfinite(value):
			raise VerificationError(message)
		return value
	if not isinstance(value, str):
		raise VerificationError(message)
	text = to_ascii_digits(value).strip()
	if not text:
		return 0
	if not pattern.fullmatch(text) or not any(c in "0123456789" for c in text):
		raise VerificationError(message)
	text = text.replace(",", "")
	return int(text) if _INTEGER.fullmatch(text) else float(text)


def _date_text(value: object) -> str:
	if not isinstance(value, str):
		raise VerificationError(_("must be a date written as text"))
	return to_ascii_digits(value).strip()


def _calendar_date(match: re.Match, entered: object) -> None:
	year, month, day = (int(part) for part in match.groups())
	try:
		_in_year_range(date(year, month, day))
	except ValueError:
		raise VerificationError(
			_("{0} is not a valid date. Use YYYY-MM-DD, for example 2025-03-15"), shorten(entered)
		)


def _in_year_range(value: date) -> date:
	if not MIN_YEAR <= value.year <= MAX_YEAR:
		raise VerificationError(_("must be between the years {0} and {1}"), MIN_YEAR, MAX_YEAR)
	return value


def _time_part(text: str) -> bool:
	"""The " HH:MM:SS" (or ISO "THH:MM:SS") after a date."""
	return text[10] in " T" and _valid_time(text[11:])


def shorten(value: object, limit: int = 40) -> str:
	"""What the user typed, cut to fit in a message."""
	text = str(value)
	return text if len(text) <= limit else text[:limit] + "…"


def _valid_time(text: str) -> bool:
	match = _TIME.fullmatch(text)
	if not match:
		return False
	hours, minutes, seconds = (int(part or 0) for part in match.groups()[:3])
	return hours < 24 and minutes < 60 and seconds < 60


_CHECKS = {
	**dict.fromkeys(TEXT_TYPES | LONGTEXT_TYPES, as_text),
	**dict.fromkeys(TEXT_TYPES, check_text),
	**dict.fromkeys(("Attach", "Attach Image"), check_attachment),
	**dict.fromkeys(DECIMAL_TYPES, check_decimal),
	"Int": check_int,
	"Long Int": lambda value: check_int(value, LONG_INT_RANGE),
	"Check": check_flag,
	"Rating": check_rating,
	"Date": check_date,
	"Datetime": check_datetime,
	"Time": check_time,
}

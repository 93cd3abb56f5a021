"""Mobile numbers, stored in E.164 so the same phone always has the same spelling (duplicates, SMS)."""

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from charity_beneficiary.verification.digits import normalize_digits
from charity_beneficiary.verification.errors import VerificationError, _

SAUDI_COUNTRY_CODE = 966

# Some countries (e.g. the US) do not distinguish mobile from landline numbers; those may still get SMS.
_MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})

# phonenumbers turns letters into keypad digits ("vanity" numbers); a beneficiary's mobile never has them.
_DIALLABLE = re.compile(r"\+?[0-9().]+")


def normalize_mobile(value: str | None, region: str = "SA") -> str:
	"""Return the mobile number in E.164 (e.g. ``+966501234567``), or raise VerificationError.

	Numbers without a ``+`` are read as local numbers of ``region``; numbers of other countries must be
	entered with ``+`` and their country code. Saudi numbers must be mobiles (+9665...), not landlines.
	"""
	entered = (value or "").strip()
	number = _parse(entered, region)

	if number.country_code == SAUDI_COUNTRY_CODE:
		if phonenumbers.number_type(number) != PhoneNumberType.MOBILE:
			raise VerificationError(
				_("{0} is not a Saudi mobile number. Saudi mobile numbers start with 05 (+966 5)."), entered
			)
	elif phonenumbers.number_type(number) not in _MOBILE_TYPES:
		raise VerificationError(_("{0} is not a mobile number"), entered)

	return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def _parse(entered: str, region: str) -> phonenumbers.PhoneNumber:
	digits = normalize_digits(entered)
	if not digits:
		raise VerificationError(_("Mobile number is required"))

	number = _try_parse(digits, region)
	if number is None or not phonenumbers.is_valid_number(number):
		raise VerificationError(
			_(
				"{0} is not a valid mobile number. Saudi numbers look like 05XXXXXXXX; numbers from other countries must start with + and the country code."
			),
			entered,
		)
	return number


def _try_parse(digits: str, region: str) -> phonenumbers.PhoneNumber | None:
	if not _DIALLABLE.fullmatch(digits):
		return None
	try:
		return phonenumbers.parse(digits, region)
	except NumberParseException:
		return None

"""Identity document numbers accepted for beneficiaries: Saudi National ID, Iqama, passport, border number."""

import re
from dataclasses import dataclass

from charity_beneficiary.verification.digits import normalize_digits
from charity_beneficiary.verification.errors import VerificationError, _

NATIONAL_ID = "National ID"
IQAMA = "Iqama"
PASSPORT = "Passport"
BORDER_NUMBER = "Border Number"

# The exact values of the beneficiary's "ID Type" select field.
ID_TYPES = (NATIONAL_ID, IQAMA, PASSPORT, BORDER_NUMBER)

SAUDI_ID_LENGTH = 10

# Passports differ by country; ICAO 9303 allows up to 9 characters and real ones are rarely shorter than 6.
_PASSPORT_PATTERN = re.compile(r"[A-Z0-9]{6,9}")


@dataclass(frozen=True)
class _TenDigitRule:
	"""How one kind of 10-digit Saudi-issued number is recognised, with the message for each failure."""

	first_digits: str
	length_message: str
	first_digit_message: str
	# None where the issuer publishes no check digit, so there is nothing to verify.
	checksum_message: str | None


_TEN_DIGIT_RULES = {
	NATIONAL_ID: _TenDigitRule(
		first_digits="1",
		length_message=_("National ID must be exactly 10 digits"),
		first_digit_message=_("National ID must start with 1 (numbers starting with 2 are Iqama numbers)"),
		checksum_message=_(
			"National ID {0} is not valid: its check digit does not match. Please compare it with the ID card."
		),
	),
	IQAMA: _TenDigitRule(
		first_digits="2",
		length_message=_("Iqama number must be exactly 10 digits"),
		first_digit_message=_("Iqama number must start with 2 (numbers starting with 1 are National IDs)"),
		checksum_message=_(
			"Iqama number {0} is not valid: its check digit does not match. Please compare it with the Iqama card."
		),
	),
	BORDER_NUMBER: _TenDigitRule(
		first_digits="34",
		length_message=_("Border Number must be exactly 10 digits"),
		first_digit_message=_("Border Number must start with 3 or 4"),
		checksum_message=None,
	),
}


def validate_id(id_type: str, value: str | None) -> str:
	"""Return the normalised ID number, or raise VerificationError saying what is wrong with it.

	Arabic-Indic digits, spaces and dashes are accepted and normalised, so the result can be stored and
	compared (e.g. for duplicate checks) as is.
	"""
	if id_type not in ID_TYPES:
		raise VerificationError(_("Unknown ID type {0}. Allowed types: {1}"), id_type, ", ".join(ID_TYPES))

	number = normalize_digits(value)
	if not number:
		raise VerificationError(_("ID number is required"))

	if id_type == PASSPORT:
		return _validate_passport(number)
	return _validate_ten_digit(_TEN_DIGIT_RULES[id_type], number)


def _validate_ten_digit(rule: _TenDigitRule, number: str) -> str:
	if len(number) != SAUDI_ID_LENGTH or not (number.isascii() and number.isdigit()):
		raise VerificationError(rule.length_message)
	if number[0] not in rule.first_digits:
		raise VerificationError(rule.first_digit_message)
	if rule.checksum_message and not _passes_luhn(number):
		raise VerificationError(rule.checksum_message, number)
	return number


def _passes_luhn(number: str) -> bool:
	"""Luhn mod-10 check used by the Saudi National ID and Iqama.

	Counting from the left, every digit in an odd position (1st, 3rd, ...) is doubled and its digits summed;
	for a 10-digit number that is exactly the classic Luhn scheme counted from the right.
	"""
	total = 0
	for position, char in enumerate(number):
		digit = int(char)
		if position % 2 == 0:
			digit *= 2
			if digit > 9:
				digit -= 9
		total += digit
	return total % 10 == 0


def _validate_passport(number: str) -> str:
	# Passport numbers are printed in upper case; normalising lets "a1234567" and "A1234567" match.
	number = number.upper()
	if not _PASSPORT_PATTERN.fullmatch(number):
		raise VerificationError(_("Passport number must be 6 to 9 English letters or digits"))
	if not any(char.isdigit() for char in number):
		raise VerificationError(_("Passport number must contain at least one digit"))
	return number

"""Saudi IBANs for paying beneficiaries, and the SAMA bank codes they carry."""

import re

from stdnum import iban as stdnum_iban
from stdnum.exceptions import InvalidChecksum, ValidationError

from charity_beneficiary.verification.digits import normalize_digits
from charity_beneficiary.verification.errors import VerificationError, _

SAUDI_IBAN_LENGTH = 24

# SA + 2 check digits + 2-digit SAMA bank code + 18-character basic account number (zero padded).
_SAUDI_IBAN_PATTERN = re.compile(r"SA[0-9]{2}[0-9]{2}[A-Z0-9]{18}")

# Bank identifiers allocated by SAMA (IBAN positions 5-6). Codes of banks that have since merged are kept:
# IBANs issued before the merger stay in use and still reach the successor bank.
SAUDI_BANKS: dict[str, tuple[str, str]] = {
	"05": ("Alinma Bank", "مصرف الإنماء"),
	"10": ("Saudi National Bank", "البنك الأهلي السعودي"),
	"15": ("Bank Albilad", "بنك البلاد"),
	"20": ("Riyad Bank", "بنك الرياض"),
	"30": ("Arab National Bank", "البنك العربي الوطني"),
	"40": (
		"SAMBA Financial Group (now Saudi National Bank)",
		"مجموعة سامبا المالية (البنك الأهلي السعودي حالياً)",
	),
	"45": ("Saudi Awwal Bank (SAB, formerly SABB)", "البنك السعودي الأول"),
	"50": ("Alawwal Bank (now Saudi Awwal Bank)", "البنك الأول (البنك السعودي الأول حالياً)"),
	"55": ("Banque Saudi Fransi", "البنك السعودي الفرنسي"),
	"60": ("Bank AlJazira", "بنك الجزيرة"),
	"65": ("Saudi Investment Bank", "البنك السعودي للاستثمار"),
	"71": ("National Bank of Bahrain", "بنك البحرين الوطني"),
	"75": ("National Bank of Kuwait", "بنك الكويت الوطني"),
	"76": ("Bank Muscat", "بنك مسقط"),
	"80": ("Al Rajhi Bank", "مصرف الراجحي"),
	"85": ("BNP Paribas", "بي إن بي باريبا"),
	"90": ("Gulf International Bank", "بنك الخليج الدولي"),
	"95": ("Emirates NBD", "بنك الإمارات دبي الوطني"),
}


def compact_iban(value: str | None) -> str:
	"""Return ``value`` without separators, with ASCII digits and upper-case letters."""
	return stdnum_iban.compact(normalize_digits(value))


def validate_iban(value: str | None) -> str:
	"""Return the compact upper-case Saudi IBAN, or raise VerificationError saying what is wrong with it.

	The charity pays out only through Saudi banks, so an otherwise valid foreign IBAN is rejected.
	"""
	iban = compact_iban(value)
	if not iban:
		raise VerificationError(_("IBAN is required"))
	if not (iban.isascii() and iban.isalnum()):
		raise VerificationError(_("IBAN may contain only English letters and digits"))
	if not iban.startswith("SA"):
		raise VerificationError(_("Only Saudi IBANs are accepted; the IBAN must start with SA"))
	if len(iban) != SAUDI_IBAN_LENGTH:
		raise VerificationError(
			_("A Saudi IBAN must be exactly 24 characters long; {0} has {1}"), iban, str(len(iban))
		)
	if not _SAUDI_IBAN_PATTERN.fullmatch(iban):
		raise _format_error(iban)
	_check_with_stdnum(iban)
	return iban


def _check_with_stdnum(iban: str) -> None:
	# ISO 13616 mod-97 check digits, plus the country structure registered with SWIFT.
	try:
		stdnum_iban.validate(iban)
	except InvalidChecksum:
		raise VerificationError(
			_(
				"IBAN {0} is not valid: its check digits do not match. Please compare it with the bank's IBAN certificate."
			),
			iban,
		)
	except ValidationError:
		raise _format_error(iban)


def _format_error(iban: str) -> VerificationError:
	return VerificationError(
		_(
			"IBAN {0} does not follow the Saudi format: SA, 2 check digits, a 2-digit bank code and 18 account characters"
		),
		iban,
	)


def saudi_bank(iban: str | None) -> dict[str, str] | None:
	"""Return ``{"code", "name_en", "name_ar"}`` of the bank holding a Saudi IBAN, or None if unknown.

	Does not validate the IBAN; SAMA keeps licensing new banks, so an unknown code is not an error by itself.
	"""
	compact = compact_iban(iban)
	if not compact.startswith("SA"):
		return None
	code = compact[4:6]
	if code not in SAUDI_BANKS:
		return None
	name_en, name_ar = SAUDI_BANKS[code]
	return {"code": code, "name_en": name_en, "name_ar": name_ar}

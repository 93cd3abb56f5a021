"""Framework-free checks of beneficiary data (R1.1: the officer verifies the data when it is submitted).

Nothing here imports Frappe, so it runs in plain unit tests. Every check raises VerificationError with an
untranslated English template; the Frappe layer shows it with ``frappe._(err.message).format(*err.args)``.
"""

from charity_beneficiary.verification.dates import (
	days_until,
	from_hijri,
	hijri_display,
	is_expired,
	to_hijri,
	validate_birth_date,
)
from charity_beneficiary.verification.digits import normalize_digits, to_ascii_digits
from charity_beneficiary.verification.errors import VerificationError
from charity_beneficiary.verification.iban import SAUDI_BANKS, compact_iban, saudi_bank, validate_iban
from charity_beneficiary.verification.ids import (
	BORDER_NUMBER,
	ID_TYPES,
	IQAMA,
	NATIONAL_ID,
	PASSPORT,
	validate_id,
)
from charity_beneficiary.verification.names import (
	is_probable_duplicate,
	name_similarity,
	normalize_arabic_name,
)
from charity_beneficiary.verification.phone import normalize_mobile
from charity_beneficiary.verification.signature import validate_signature

__all__ = [
	"BORDER_NUMBER",
	"ID_TYPES",
	"IQAMA",
	"NATIONAL_ID",
	"PASSPORT",
	"SAUDI_BANKS",
	"VerificationError",
	"compact_iban",
	"days_until",
	"from_hijri",
	"hijri_display",
	"is_expired",
	"is_probable_duplicate",
	"name_similarity",
	"normalize_arabic_name",
	"normalize_digits",
	"normalize_mobile",
	"saudi_bank",
	"to_ascii_digits",
	"to_hijri",
	"validate_birth_date",
	"validate_iban",
	"validate_id",
	"validate_signature",
]

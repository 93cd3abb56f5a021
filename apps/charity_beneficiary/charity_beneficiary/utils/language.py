"""The association's language: the one its mail, digests and named records are written in.

One place, so the escalation digest, the feedback mail and the records the install names (funds,
accounts, warehouses) cannot drift apart on which language "the site's" is.
"""

import frappe

# The app is Arabic-first (R8.1): a site whose language was never set (before the setup wizard)
# is an Arabic charity's, not frappe's English default.
FALLBACK_LANGUAGE = "ar"


def site_language() -> str:
	"""System Settings' language, else the global default frappe keeps in step with it, else Arabic.

	Not frappe.local.lang: the scheduler and the installer run in English whatever the site's
	language, and what they write is read by the association."""
	return (
		frappe.db.get_single_value("System Settings", "language")
		or frappe.db.get_default("lang")
		or FALLBACK_LANGUAGE
	)


def with_hijri(day, lang: str = FALLBACK_LANGUAGE) -> str:
	"""The Gregorian date with the Hijri date beside it (R8.1), as the beneficiary is told a date; the
	Gregorian alone for a date the Hijri calendar converter does not cover."""
	from frappe import _

	from charity_beneficiary.verification import VerificationError, hijri_display

	try:
		return _("{0} ({1})").format(frappe.format(day, "Date"), hijri_display(day, lang=lang))
	except VerificationError:
		return frappe.format(day, "Date")

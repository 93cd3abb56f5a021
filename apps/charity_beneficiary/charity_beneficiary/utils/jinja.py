"""Methods available in Jinja templates (print formats, web pages) through the `jinja` hook."""

import frappe
from frappe.utils import getdate

from charity_beneficiary.verification import VerificationError, hijri_display


def hijri(date_value) -> str:
	"""The Umm al-Qura date of a Gregorian date (or datetime, or "YYYY-MM-DD" string) in the
	current language, e.g. "15 رمضان 1446 هـ"; empty for an empty or out-of-range date."""
	if not date_value:
		return ""
	try:
		date = getdate(date_value)  # None for "0000-00-00", "0001-01-01"
		return hijri_display(date, lang=getattr(frappe.local, "lang", None) or "ar") if date else ""
	except (VerificationError, ValueError, TypeError):
		return ""

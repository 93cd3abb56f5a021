"""The desk's Hijri hint under a date field, from the conversion the server stores and prints (R8.1).

The browser's own Umm al-Qura calendar (Intl) and hijridate's official tables disagree by a day on some
dates, and the browser writes Arabic-Indic digits where the prints write Western ones: a birth date
showed ٢٣ in the hint and 24 in the stored field. The form therefore asks the server once per date
(public/js/hijri_dates.js caches the answers for the page)."""

import json
import re

import frappe
from frappe import _

from charity_beneficiary.utils.jinja import hijri

MAX_DATES = 100  # a form's date fields and its child rows' at once
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class HijriDatesRequestError(frappe.ValidationError):
	"""The dates asked for are not a list, or too many at once."""


@frappe.whitelist(methods=["GET"])
def hijri_dates(dates: str | list) -> dict[str, str]:
	"""{"YYYY-MM-DD": "15 رمضان 1446 هـ"} in the user's language; "" for what is not a date in range."""
	values = dates
	if isinstance(dates, str):
		try:
			values = json.loads(dates)
		except ValueError:
			values = None
	if not isinstance(values, list) or len(values) > MAX_DATES:
		frappe.throw(
			_("Please ask for a list of at most {0} dates").format(MAX_DATES), exc=HijriDatesRequestError
		)
	return {
		str(value): hijri(value) if isinstance(value, str) and _ISO_DATE.fullmatch(value) else ""
		for value in values
	}

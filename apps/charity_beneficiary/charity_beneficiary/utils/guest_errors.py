"""Guests never see a traceback (R8.3).

Frappe shows the traceback of a server error (in the JSON answer and on its error page) whenever the
System Setting "allow_error_traceback" is on, which is its default. Staff need it to report a fault; a
guest on the portal (a survey link, the login page) must see only frappe's plain error page. Frappe's own
`disable_traceback` flag, set per request, does exactly that.
"""

import frappe


def hide_traceback_from_guests() -> None:
	session = getattr(frappe.local, "session", None)
	if not session or session.get("user") in (None, "Guest"):
		frappe.flags.disable_traceback = True

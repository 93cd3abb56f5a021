"""Guests and portal users never see a traceback (R8.3).

Frappe shows the traceback of a server error (in the JSON answer and on its error page) whenever the
System Setting "allow_error_traceback" is on, which is its default. Staff need it to report a fault; a
guest on the portal (a survey link, the login page) or a beneficiary signed in to it must see only
the message (the code's paths and values are not his to read). Frappe's own `disable_traceback` flag,
set per request, does exactly that.
"""

import frappe

from charity_beneficiary.beneficiaries.portal import is_portal_user


def hide_traceback_outside_the_desk() -> None:
	session = getattr(frappe.local, "session", None)
	user = session.get("user") if session else None
	if user in (None, "Guest") or is_portal_user(user):
		frappe.flags.disable_traceback = True

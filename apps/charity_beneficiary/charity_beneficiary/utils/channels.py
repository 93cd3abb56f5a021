"""The app's outgoing channels (R6.3): e-mail and SMS, and what happens when one is not set up.

Without an outgoing Email Account, `frappe.sendmail` raises OutgoingEmailError after it has shown
"Please setup default outgoing Email Account…" to whoever did the work — the accountant submitting a
disbursement, the beneficiary on the portal. Catching the error is too late: the message is already
in the response. So the app asks first; a channel that is not set up is logged once a day for the
manager (Error Log) and shown on the Charity Settings page, and the work goes on.
"""

from __future__ import annotations

import frappe
from frappe.utils import today

NO_EMAIL_ACCOUNT = "E-mails not sent: no outgoing Email Account"
NO_SMS_GATEWAY = "SMS not sent: no SMS gateway in SMS Settings"


def email_configured(reference_doctype: str | None = None) -> bool:
	from frappe.email.doctype.email_account.email_account import EmailAccount

	return bool(EmailAccount.find_outgoing(match_by_doctype=reference_doctype))


def sms_configured() -> bool:
	return bool(frappe.db.get_single_value("SMS Settings", "sms_gateway_url"))


def note_missing(title: str, reference_doctype: str | None = None, reference_name: str | None = None) -> None:
	"""One Error Log a day per missing channel, for the manager; nothing shown to the user."""
	if frappe.db.exists("Error Log", {"method": title, "creation": (">=", today())}):
		return
	frappe.log_error(
		title=title,
		message=f"{reference_doctype or ''} {reference_name or ''}".strip(),
		reference_doctype=reference_doctype,
		reference_name=reference_name,
	)


def send_mail(**kwargs) -> bool:
	"""`frappe.sendmail(**kwargs)` when an outgoing account exists; else noted for the manager.

	Returns whether the mail was queued."""
	doctype, name = kwargs.get("reference_doctype"), kwargs.get("reference_name")
	if not email_configured(doctype):
		note_missing(NO_EMAIL_ACCOUNT, doctype, name)
		return False
	frappe.sendmail(**kwargs)
	return True


def status() -> dict[str, bool]:
	"""Which channels are set up (the settings page shows the missing ones)."""
	return {"email": email_configured(), "sms": sms_configured()}

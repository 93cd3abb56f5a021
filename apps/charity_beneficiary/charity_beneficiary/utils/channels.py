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


def send_sms(number: str | None, text: str, reference_doctype: str, reference_name: str) -> bool:
	"""An SMS to the beneficiary's number when a gateway is set up; a gateway that fails is logged
	and stops nothing else. Returns whether it was handed to the gateway."""
	from frappe.core.doctype.sms_settings.sms_settings import send_sms as frappe_send_sms

	if not (number and sms_configured()):
		return False
	try:
		frappe_send_sms([number], text, success_msg=False)
	except Exception:
		frappe.log_error(
			title=NO_SMS_GATEWAY, reference_doctype=reference_doctype, reference_name=reference_name
		)
		return False
	return True


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


def reach_beneficiary(context: dict, sms: bool = False) -> None:
	"""For the get_context of a standard notification to the beneficiary of `context["doc"]` (a
	record with a `beneficiary`): his current e-mail and mobile from his record (the notifications
	send to `contact_email` / `contact_mobile`), and the notification turned off for this sending
	when its channel cannot reach him. frappe's SMS channel would tell the user "Please Update SMS
	Settings" when no gateway is set, and log an error when there is no number; its e-mail channel
	would tell him to "setup default outgoing Email Account": the manager is told instead, once a day."""
	doc = context["doc"]
	contact = (
		frappe.db.get_value("Beneficiary", doc.beneficiary, ["email_id", "mobile_no"], as_dict=True)
		or frappe._dict()
	)
	doc.contact_email = contact.email_id or doc.get("contact_email")
	doc.contact_mobile = contact.mobile_no or doc.get("contact_mobile")
	if sms and not (doc.contact_mobile and sms_configured()):
		context["alert"].channel = None
	elif not sms and doc.contact_email and not email_configured(doc.doctype):
		note_missing(NO_EMAIL_ACCOUNT, doc.doctype, doc.name)
		context["alert"].channel = None


def item_lines(rows) -> list[dict]:
	"""The goods a notice lists (approved or delivered): name, quantity as people write it, unit."""
	return [
		{"item_name": row.item_name or row.item_code, "qty": f"{row.qty or 0:g}", "uom": row.uom or ""}
		for row in rows or []
	]

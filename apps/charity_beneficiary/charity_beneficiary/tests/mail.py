"""Reading what the site queued to send, for tests of notifications and escalations."""

import email
from contextlib import contextmanager

import frappe

# An outgoing server in memory only: frappe queues mail without a real account.
MAIL_CONF = {"mail_server": "smtp.example.com", "auto_email_id": "charity.notifications@example.com"}


def queued_mails(recipient: str) -> list[str]:
	"""Names of the Email Queue entries addressed to `recipient`, oldest first."""
	return frappe.get_all(
		"Email Queue Recipient", filters={"recipient": recipient}, pluck="parent", order_by="creation asc"
	)


def mail_text(queue: str) -> str:
	"""The decoded text of a queued e-mail."""
	message = email.message_from_string(frappe.db.get_value("Email Queue", queue, "message"))
	parts = message.walk() if message.is_multipart() else [message]
	return "\n".join(
		part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
		for part in parts
		if part.get_content_maintype() == "text"
	)


@contextmanager
def no_outgoing_email():
	"""A site without any outgoing e-mail account (in this transaction): no enabled Email Account
	and no mail server in the site's configuration."""
	saved = {key: frappe.local.conf.pop(key, None) for key in MAIL_CONF}
	frappe.db.set_value("Email Account", {"enable_outgoing": 1}, "enable_outgoing", 0, update_modified=False)
	frappe.local.outgoing_email_account = {}  # frappe's per-request cache of the account found
	try:
		yield
	finally:
		frappe.local.conf.update({key: value for key, value in saved.items() if value is not None})
		frappe.local.outgoing_email_account = {}


def use_test_mail_server(case) -> None:
	"""An outgoing server in the (in-memory) site configuration for the test class `case`, as on a
	bench with mail_server set: mails are queued, never sent. Restored by the class's cleanup."""
	saved = {key: frappe.local.conf.get(key) for key in MAIL_CONF}
	frappe.local.conf.update(MAIL_CONF)
	frappe.local.outgoing_email_account = {}  # frappe's per-request cache of the account found

	def restore():
		for key, value in saved.items():
			if value is None:
				frappe.local.conf.pop(key, None)
			else:
				frappe.local.conf[key] = value
		frappe.local.outgoing_email_account = {}

	case.addClassCleanup(restore)


def shown_messages() -> list[str]:
	"""The texts frappe.msgprint has put before the user in this request (its message log)."""
	return [frappe.parse_json(entry).get("message") for entry in frappe.local.message_log if entry]


# frappe's own complaint when it cannot queue a mail (frappe/email/doctype/email_account)
NO_ACCOUNT_MESSAGE = "Please setup default outgoing Email Account from Tools > Email Account"

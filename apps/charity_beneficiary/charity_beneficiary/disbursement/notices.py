"""The beneficiary is told his aid was delivered (R6.3): by e-mail and SMS, on the channels that can
reach him (utils/channels.reach_beneficiary), with what he received.

Its two standard Notifications ("Aid Disbursement Delivered" and its SMS) are evaluated after the
disbursement is committed, on the short queue, as the survey invitation is: frappe would otherwise
render them inside the accountant's posting transaction (issue 14). The disbursement marks them as
already executed for its submit, so frappe passes them over; any other notification an administrator
sets on Aid Disbursement runs as frappe runs it."""

import frappe
from frappe.email.doctype.notification.notification import evaluate_alert
from frappe.utils import get_url

from charity_beneficiary.utils import channels
from charity_beneficiary.utils.money import format_money

DOCTYPE = "Aid Disbursement"
DELIVERED_NOTICES = ("Aid Disbursement Delivered", "Aid Disbursement Delivered SMS")


def defer_delivered_notices(doc) -> None:
	"""before_submit of the disbursement: frappe skips them in the transaction; queued after it."""
	doc.flags.notifications_executed = [*(doc.flags.notifications_executed or []), *DELIVERED_NOTICES]
	frappe.enqueue(send_delivered_notices, queue="short", enqueue_after_commit=True, disbursement=doc.name)


def send_delivered_notices(disbursement: str) -> None:
	"""The queued job: a disbursement cancelled meanwhile tells nobody."""
	doc = frappe.get_doc(DOCTYPE, disbursement)
	if doc.docstatus != 1:
		return
	for name in DELIVERED_NOTICES:
		if frappe.db.get_value("Notification", name, "enabled"):
			evaluate_alert(doc, name, "Submit")


def notification_context(context: dict, sms: bool = False) -> None:
	"""get_context of the two notifications."""
	doc = context["doc"]
	channels.reach_beneficiary(context, sms)
	context.update(
		{
			"amount": format_money(doc.amount) if doc.amount else "",
			"items": channels.item_lines(doc.get("items")),
			"portal_url": get_url("/my-requests"),
			"association": frappe.db.get_default("company") or "",
		}
	)

"""Assistance requests from the beneficiary portal (R2.1, R6.1, R6.3).

A beneficiary (a Website User with the role Beneficiary whose Beneficiary record is linked to him
by `user`) files a request through the web form /assistance-request, which offers only the active
services he is eligible for (`eligible_services`). The form sends it in one call to
`portal_intake.file_request`, which inserts it already submitted as the system: the controller makes
it his own (channel Website), checks eligibility and sets the answer date, and the workflow moves to
Pending Verification. `submit_portal_request` still sends a Draft saved by frappe's web form
`accept` (the form's two-call way before issue 14). He follows his requests on /my-requests and in
the web form's view of each request.

Permissions (hooked in hooks.py): a portal user reads only the requests of his own beneficiary
record and changes none of them through the desk API (`has_permission`, `query_conditions`,
`has_website_permission`).

The standard notifications of assistance/notification/ (R6.3) take their context from
`notification_context`: the beneficiary's current e-mail and mobile, the answer date in Gregorian
and Hijri, and the portal link; SMS is sent only where SMS Settings are configured.
"""

import frappe
from frappe import _
from frappe.utils import formatdate, get_url, today

from charity_beneficiary.assistance.eligibility import eligibility_problems
from charity_beneficiary.beneficiaries.portal import (
	is_portal_user,
	own_beneficiary,
	set_beneficiary_values,
)
from charity_beneficiary.utils import channels
from charity_beneficiary.utils.money import format_money

DOCTYPE = "Assistance Request"
IN_KIND = "In-Kind"


class RequestAlreadySentError(frappe.ValidationError):
	"""The portal user sends a request that is no longer a draft."""


# A cash request must ask for something: the yearly amount limit is checked with the smallest amount.
PROBE_AMOUNT = 0.01
# What a portal user may see of a request (the web form page and /my-requests send nothing else).
PORTAL_FIELDS = (
	"name",
	"docstatus",
	"workflow_state",
	"beneficiary_name",
	"aid_service",
	"delivery_type",
	"channel",
	"received_on",
	"expected_decision_date",
	"expected_decision_date_hijri",
	"description",
	"requested_amount",
	"requested_items",
	"decision",
	"approved_amount",
	"approved_items",
	"decision_reason",
	"decided_on",
)
SERVICE_FIELDS = ("name", "service_name", "delivery_type", "description", "max_amount", "decision_days")


# --- the beneficiary behind the portal user -------------------------------------------------------
def is_own_request(doc, user: str) -> bool:
	"""Whether the request is for a beneficiary record linked to `user`."""
	beneficiary = doc.get("beneficiary")
	return bool(beneficiary) and frappe.db.get_value("Beneficiary", beneficiary, "user") == user


# --- services offered in the portal (R2.1, R2.2) --------------------------------------------------
@frappe.whitelist()
def eligible_services() -> list[dict]:
	"""Active services the logged-in user's beneficiary record passes the service-level checks for
	(status Active, categories, need score, limits, documents), as eligibility.py decides them at
	submission: each is tried with an unsaved request of today."""
	beneficiary = own_beneficiary()
	if not beneficiary or beneficiary.status != "Active":
		return []
	services = frappe.get_all(
		"Aid Service", filters={"is_active": 1}, fields=list(SERVICE_FIELDS), order_by="service_name asc"
	)
	eligible = []
	for service in services:
		probe = frappe.new_doc(DOCTYPE)
		probe.update(
			{
				"beneficiary": beneficiary.name,
				"aid_service": service.name,
				"channel": "Website",
				"received_on": today(),
				"requested_amount": 0 if service.delivery_type == IN_KIND else PROBE_AMOUNT,
			}
		)
		if eligibility_problems(probe):
			continue
		service["items"] = service_items(service.name) if service.delivery_type == IN_KIND else []
		eligible.append(service)
	return eligible


def service_items(service: str) -> list[dict]:
	return frappe.get_all(
		"Aid Service Item",
		filters={"parent": service, "parenttype": "Aid Service", "parentfield": "default_items"},
		fields=["item_code", "item_name", "qty", "uom"],
		order_by="idx asc",
	)


# --- sending a portal request (R2.1, R3.2) --------------------------------------------------------
@frappe.whitelist(methods=["POST"])
def submit_portal_request(name: str) -> dict:
	"""Submit the session user's own Draft, saved by the web form, as the system.

	The Beneficiary role cannot take the workflow's Submit action, so the request is submitted with
	ignore_permissions and its workflow_state left at Draft: frappe then moves it to the first
	submitted state, Pending Verification (set_workflow_state_on_action). Setting that state first
	would be refused: frappe checks the state change against the session user's roles. The
	controller's before_submit checks eligibility (a refusal is its translated message) and sets the
	answer date."""
	user = frappe.session.user
	not_yours = _("You can only send your own assistance requests")
	if not is_portal_user(user) or not frappe.db.exists(DOCTYPE, name):
		frappe.throw(not_yours, frappe.PermissionError)
	doc = frappe.get_doc(DOCTYPE, name, for_update=True)
	# his own beneficiary's request, and one he filed himself (not an officer's draft for him)
	if not is_own_request(doc, user) or doc.owner != user:
		frappe.throw(not_yours, frappe.PermissionError)
	if doc.docstatus != 0:
		frappe.throw(_("Request {0} has already been sent").format(doc.name), RequestAlreadySentError)

	set_beneficiary_values(doc)
	doc.flags.ignore_permissions = True
	doc.submit()
	doc.add_comment("Workflow", _(doc.workflow_state))
	return received_summary(doc)


def received_summary(doc) -> dict:
	"""What the portal tells the beneficiary once his request is received."""
	expected = formatdate(doc.expected_decision_date) if doc.expected_decision_date else ""
	return {
		"name": doc.name,
		"workflow_state": doc.workflow_state,
		"workflow_state_label": _(doc.workflow_state),
		"expected_decision_date": str(doc.expected_decision_date or ""),
		"expected_decision_date_formatted": expected,
		"expected_decision_date_hijri": doc.expected_decision_date_hijri or "",
		"message": _(
			"Your request {0} has been received. It goes to the research committee, and you will "
			"receive the answer by {1} ({2})."
		).format(doc.name, expected, doc.expected_decision_date_hijri or ""),
	}


# --- permissions (R8.2) ---------------------------------------------------------------------------
def has_permission(
	doc, ptype: str | None = None, user: str | None = None, debug: bool = False
) -> bool | None:
	"""Portal users: only the requests of their own beneficiary record, and only to read them.

	They create requests through the web form (the controller makes them their own, channel
	Website) and send them through `submit_portal_request`; nothing else is theirs to change."""
	user = user or frappe.session.user
	if not is_portal_user(user):
		return None
	if ptype == "create":
		return None  # the controller sets his own beneficiary before the request is saved
	if not is_own_request(doc, user):
		return False
	if ptype in (None, "read", "select", "print"):
		return None  # the role permissions decide
	return False


def query_conditions(user: str | None = None, doctype: str | None = None) -> str | None:
	user = user or frappe.session.user
	if not is_portal_user(user):
		return None
	return (
		"`tabAssistance Request`.`beneficiary` in "
		f"(select `name` from `tabBeneficiary` where `user` = {frappe.db.escape(user)})"
	)


def has_website_permission(doc, ptype: str, user: str, verbose: bool = False) -> bool:
	"""Web form pages: he reads his beneficiary's requests and edits only his own unsent drafts."""
	if not doc or not user or user == "Guest" or not is_own_request(doc, user):
		return False
	if ptype == "read":
		return True
	return ptype == "write" and doc.docstatus == 0 and doc.owner == user


# --- notifications (R6.3) -------------------------------------------------------------------------
def notification_context(context: dict, sms: bool = False) -> None:
	"""Context of the standard Assistance Request notifications (their get_context calls this): his
	current address and number, a channel that cannot reach him turned off (channels.reach_beneficiary),
	and the request's dates, amounts and links."""
	doc = context["doc"]
	channels.reach_beneficiary(context, sms)
	context.update(
		{
			"received_on": formatdate(doc.received_on) if doc.received_on else "",
			"expected_date": formatdate(doc.expected_decision_date) if doc.expected_decision_date else "",
			"expected_date_hijri": doc.expected_decision_date_hijri or "",
			"approved_amount": format_money(doc.approved_amount),
			"approved_items": channels.item_lines(doc.get("approved_items")),
			"portal_url": get_url("/my-requests"),
			"request_url": get_url(f"/assistance-request/{doc.name}"),
			"association": frappe.db.get_default("company") or "",
		}
	)

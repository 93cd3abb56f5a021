"""/my-requests (R6.1): the beneficiary follows his assistance requests and their answer dates.

Read as the user with frappe.get_list, so the permission hooks of assistance/portal.py apply; the
page asks only for his own beneficiary's requests as well, so it shows nothing else either way.
"""

import frappe
from charity_beneficiary.beneficiaries.portal import own_beneficiary
from charity_beneficiary.utils.money import company_currency
from frappe import _
from frappe.utils.jinja_globals import is_rtl

no_cache = 1

ROUTE = "my-requests"
NEW_REQUEST_ROUTE = "/assistance-request/new"
REGISTRATION_ROUTE = "/beneficiary-registration"
# States in which the beneficiary still waits for the committee's answer.
WAITING_STATES = ("Pending Verification", "Under Research", "Pending Committee", "Returned")
FIELDS = (
	"name",
	"docstatus",
	"workflow_state",
	"aid_service",
	"received_on",
	"expected_decision_date",
	"expected_decision_date_hijri",
	"approved_amount",
	"decision_reason",
)
STATE_COLORS = {
	"Draft": "gray",
	"Pending Verification": "blue",
	"Under Research": "blue",
	"Pending Committee": "blue",
	"Returned": "orange",
	"Approved": "green",
	"Partly Approved": "green",
	"Disbursed": "green",
	"Rejected": "red",
	"Cancelled": "gray",
}


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.redirect(f"/login?redirect-to=/{ROUTE}")

	context.no_cache = 1
	context.show_sidebar = True
	context.title = _("My Assistance Requests")
	context.rtl = is_rtl()
	context.currency = company_currency()
	context.new_request_route = NEW_REQUEST_ROUTE
	context.registration_route = REGISTRATION_ROUTE

	beneficiary = own_beneficiary()
	context.beneficiary = beneficiary
	context.can_apply = bool(beneficiary and beneficiary.status == "Active")
	context.requests = request_rows(beneficiary.name) if beneficiary else []


def request_rows(beneficiary: str) -> list[frappe._dict]:
	rows = frappe.get_list(
		"Assistance Request",
		filters={"beneficiary": beneficiary},
		fields=list(FIELDS),
		order_by="creation desc",
	)
	for row in rows:
		state = row.workflow_state if row.docstatus else "Draft"
		row.state = state
		row.state_label = _("Not sent") if state == "Draft" else _(state)
		row.color = STATE_COLORS.get(state, "gray")
		row.waiting = state in WAITING_STATES
		row.route = f"/assistance-request/{row.name}" + ("/edit" if state == "Draft" else "")
		row.show_reason = state in ("Returned", "Rejected") and bool(row.decision_reason)
		row.show_amount = state in ("Approved", "Partly Approved", "Disbursed") and bool(row.approved_amount)
	return rows

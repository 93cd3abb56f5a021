"""The Assistance Request of each household a programme serves (R6.2 with R2, R3.3, R4.3).

The request is the record the rest of the app understands: the register and the reports list it,
the beneficiary sees it on the portal, the survey is tied to it. It is made inside the batch that
pays it, already decided and served:

- its decision is the committee's on the programme: `committee_meeting` and `decided_on` are the
  meeting's, and the request's own `validate_decision` accepts it only inside
  `owner_writes(PROGRAMME)` (the approved amount and items are what the line gets);
- it is written Disbursed, with nothing remaining: `balance.check_disbursable` refuses any further
  disbursement of it, so a household cannot be paid again through the single path either.

The rows are written with `db_insert`, not `insert()`: the request workflow's intake steps
(submission, verification, committee) and its notifications describe a request the beneficiary
filed; here the programme's criteria, its exclusions and the committee's vote on the whole list
took their place, and the programme's own notice is sent after payment (notify.py). This is also
what makes the run fast enough for a season (tests/benchmark/programme_vs_single.py).
"""

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce
from frappe.utils import flt, getdate, now_datetime

from charity_beneficiary.assistance.states import DISBURSED_STATE
from charity_beneficiary.disbursement.balance import conversion_factor
from charity_beneficiary.utils import code_owned
from charity_beneficiary.verification import hijri_display

# The programme reaches out to the household: the policy's "help request service" is the channel
CHANNEL = "Help Request Service"
APPROVED = "Approved"


def make_requests(doc, lines) -> dict[str, str]:
	"""line name -> the request made for it, written in this transaction."""
	decided_on = getdate(doc.approved_on)
	hijri = hijri_display(decided_on)
	items = [{"item_code": row.item_code, "qty": row.qty, "uom": row.uom} for row in doc.items]
	made = {}
	for line in lines:
		request = build_request(doc, line, items, decided_on, hijri)
		request.db_insert()
		for row in request.get_all_children():
			row.db_insert()
		made[line.name] = request.name
	return made


def build_request(doc, line, items, decided_on, hijri):
	if not code_owned.writing_as(code_owned.PROGRAMME):
		raise frappe.PermissionError("programme requests are made by the programme's run only")
	request = frappe.new_doc("Assistance Request")
	request.update(
		{
			"beneficiary": line.beneficiary,
			"beneficiary_name": line.beneficiary_name,
			"branch": line.branch,
			"aid_service": doc.aid_service,
			"delivery_type": doc.delivery_type,
			"channel": CHANNEL,
			"description": _("Seasonal aid programme {0}: {1}").format(doc.name, doc.title),
			"requested_amount": flt(line.amount),
			"requested_items": items,
			"received_on": decided_on,
			"requires_research": 0,
			"expected_decision_date": decided_on,
			"expected_decision_date_hijri": hijri,
			"docstatus": 1,
			"workflow_state": APPROVED,
			"decision": APPROVED,
			"committee_meeting": doc.committee_meeting,
			"decided_on": decided_on,
		}
	)
	request.validate_decision()  # the request's own rule: a decision by the committee (or its programme)
	if doc.delivery_type == "Cash":  # paid in this batch, in full; goods are valued after their issue
		serve(request, flt(request.approved_amount))
	request.set_new_name()
	request.set_user_and_timestamp()
	request.set_parent_in_children()
	return request


def serve(request, amount: float) -> None:
	"""Cash: the request's running totals (disbursement/balance.py) as served in full."""
	request.workflow_state = DISBURSED_STATE
	request.disbursed_amount = request.served_amount = amount
	request.remaining_amount = 0
	request.fully_disbursed = 1
	for row in request.approved_items:
		row.disbursed_qty = row.qty
		row.disbursed_stock_qty = flt(row.qty) * conversion_factor(row.item_code, row.uom)


def mark_served(doc, made: dict[str, str], ledger: dict[str, str]) -> None:
	"""Goods: the requests of the batch are served in full at the value ERPNext issued them at."""
	names = list(made.values())
	if doc.delivery_type == "Cash" or not names:
		return
	value = flt(frappe.db.get_value("Stock Entry", ledger.get("stock_entry"), "total_outgoing_value"))
	request = frappe.qb.DocType("Assistance Request")
	(
		frappe.qb.update(request)
		.set(request.workflow_state, DISBURSED_STATE)
		.set(request.disbursed_amount, flt(value / len(names), 2))
		.set(request.remaining_amount, 0)
		.set(request.fully_disbursed, 1)
		.set(request.modified, now_datetime())
		.where(request.name.isin(names))
	).run()
	# the batch's households share its value in halalas; the last takes what rounding left, so the
	# requests add up to the ledger (the Aid Disbursement Register reconciles them)
	rest = flt(value - flt(value / len(names), 2) * (len(names) - 1), 2)
	frappe.qb.update(request).set(request.disbursed_amount, rest).where(request.name == names[-1]).run()
	item = frappe.qb.DocType("Assistance Request Item")
	for row in doc.items:  # the programme's items are the rows of each request, in the stock unit too
		(
			frappe.qb.update(item)
			.set(item.disbursed_qty, item.qty)
			.set(item.disbursed_stock_qty, item.qty * conversion_factor(row.item_code, row.uom))
			.where(item.parent.isin(names))
			.where(item.parenttype == "Assistance Request")
			.where(item.parentfield == "approved_items")
			.where(item.item_code == row.item_code)
			.where(Coalesce(item.uom, "") == (row.uom or ""))
		).run()

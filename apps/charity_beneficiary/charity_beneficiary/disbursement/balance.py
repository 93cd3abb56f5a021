"""What a request approved, what its submitted disbursements served, and the lock that keeps the
two consistent when several users disburse at once.

The rule: the submitted disbursements of a request never exceed its approval, in amount (cash and
provider services) and in quantity per item (goods, in the item's stock unit).

Running totals. What was served is kept on the request, as ERPNext keeps `per_billed` on an order,
and never recounted from the disbursements:
- `served_amount` (hidden): the amount of its submitted cash and provider-service disbursements,
  which the approved amount limits;
- `disbursed_amount`: the value of all of them, goods at the value ERPNext issued them at;
- on each approved item row, `disbursed_stock_qty` (hidden, in the item's stock unit: what the rule
  compares) and `disbursed_qty` (the same in the row's unit, shown); what was served of an item
  fills its approved rows in order;
- `remaining_amount` and `fully_disbursed`, derived from them.
Submitting a disbursement adds to them and cancelling subtracts, in the transaction that posts or
cancels its ledger documents, so they are committed or rolled back together.

Concurrency. Submitting or cancelling first reads the request's row and its approved item rows
with `SELECT ... FOR UPDATE`. The lock makes the disbursements of one request go one at a time, and
a locking read returns the latest committed version of the rows, where a plain read (REPEATABLE
READ) returns the transaction's snapshot, which may predate a disbursement committed while this
one waited for the lock. The totals are then read and written under the lock, in one transaction.
The item rows are locked through their `parent` index: a new request's rows inserted next to them
in that index may wait for the disbursement's commit, nothing else does.
"""

import frappe
from frappe import _
from frappe.utils import flt

from charity_beneficiary.assistance.states import DISBURSABLE_STATES, DISBURSED_STATE
from charity_beneficiary.utils import audit
from charity_beneficiary.utils.money import format_money

AMOUNT_TYPES = ("Cash", "Provider Service")
REQUEST_INDEX = "assistance_request_docstatus_index"
# what the balance reads of the request, and writes back
REQUEST_FIELDS = (
	"name",
	"docstatus",
	"workflow_state",
	"decision",
	"aid_service",
	"approved_amount",
	"served_amount",
	"disbursed_amount",
	"remaining_amount",
	"fully_disbursed",
)
ROW_FIELDS = ("name", "item_code", "qty", "uom", "conversion_factor", "disbursed_qty", "disbursed_stock_qty")
# quantities are stored with 9 decimals; amounts are compared to half a cent
QTY_TOLERANCE = 1e-9
AMOUNT_TOLERANCE = 0.005


class NotDisbursableError(frappe.ValidationError):
	pass


class OverDisbursementError(frappe.ValidationError):
	pass


class BeneficiaryNotActiveError(NotDisbursableError):
	pass


class UnitError(frappe.ValidationError):
	"""A unit the item is not counted in: neither its stock unit nor one of its conversion table."""


# --- reading the request ----------------------------------------------------------------------------
def read_request(name: str, for_update: bool = False) -> frappe._dict:
	"""The request's approval and running totals, with its approved item rows. `for_update` locks
	the rows until the transaction ends and reads their latest committed version."""
	request_table = frappe.qb.DocType("Assistance Request")
	query = frappe.qb.from_(request_table).select(*REQUEST_FIELDS).where(request_table.name == name)
	rows = (query.for_update() if for_update else query).run(as_dict=True)
	if not rows:
		frappe.throw(_("Assistance Request {0} does not exist").format(name), exc=frappe.DoesNotExistError)
	request = rows[0]
	request.delivery_type = frappe.get_cached_value("Aid Service", request.aid_service, "delivery_type")

	item = frappe.qb.DocType("Assistance Request Item")
	query = (
		frappe.qb.from_(item)
		.select(*ROW_FIELDS)
		.where(item.parent == name)
		.where(item.parenttype == "Assistance Request")
		.where(item.parentfield == "approved_items")
		.orderby(item.idx)
	)
	request.approved_items = (query.for_update() if for_update else query).run(as_dict=True)
	for row in request.approved_items:
		row.factor = approved_factor(row)
		row.stock_qty = flt(row.qty) * row.factor
	return request


def approved_factor(row) -> float:
	"""The stock units of an approved row's unit as the committee approved it (frozen on the row by
	freeze_factors): an item's Box made 24 Nos after the committee approved a Box of 12 would
	approve 24. Rows written before the factor was kept fall back to the item's current one."""
	return flt(row.get("conversion_factor")) or conversion_factor(row.item_code, row.uom)


def freeze_factors(rows) -> None:
	"""Assistance Request: each approved row keeps the conversion factor of the day it was written."""
	for row in rows:
		if not flt(row.conversion_factor):
			row.conversion_factor = conversion_factor(row.item_code, row.uom)


def request_details(name: str | None) -> frappe._dict | None:
	"""The request's state, beneficiary, service and branch with the beneficiary's name and the
	service's delivery type and providers' guide, in one read (not locked: the disbursement's
	validation)."""
	if not name:
		return None
	request = frappe.qb.DocType("Assistance Request")
	beneficiary = frappe.qb.DocType("Beneficiary")
	service = frappe.qb.DocType("Aid Service")
	rows = (
		frappe.qb.from_(request)
		.left_join(beneficiary)
		.on(beneficiary.name == request.beneficiary)
		.left_join(service)
		.on(service.name == request.aid_service)
		.select(
			request.name,
			request.docstatus,
			request.workflow_state,
			request.beneficiary,
			request.aid_service,
			request.branch,
			beneficiary.beneficiary_name,
			beneficiary.status.as_("beneficiary_status"),
			service.delivery_type,
			service.providers_guide,
		)
		.where(request.name == name)
		.run(as_dict=True)
	)
	return rows[0] if rows else None


def lock_request(name: str) -> frappe._dict:
	"""The request, locked for the rest of the transaction (see the module's docstring)."""
	return read_request(name, for_update=True)


def lock_for(doc) -> frappe._dict:
	"""Lock the disbursement's request; kept for its on_submit / on_cancel (`doc.flags.request`)."""
	doc.flags.request = lock_request(doc.assistance_request)
	return doc.flags.request


def served(request: frappe._dict) -> frappe._dict:
	"""What the request's submitted disbursements served, from its running totals."""
	qty = {}
	for row in request.approved_items:
		qty[row.item_code] = qty.get(row.item_code, 0) + flt(row.disbursed_stock_qty)
	return frappe._dict(amount=flt(request.served_amount), total=flt(request.disbursed_amount), qty=qty)


def add(totals: frappe._dict, doc, sign: int = 1) -> frappe._dict:
	"""`totals` with the disbursement `doc` added (sign 1) or taken away (sign -1)."""
	totals.total += sign * flt(doc.amount)
	if doc.disbursement_type in AMOUNT_TYPES:
		totals.amount += sign * flt(doc.amount)
	for row in doc.items or []:
		totals.qty[row.item_code] = totals.qty.get(row.item_code, 0) + sign * flt(row.stock_qty)
	return totals


def approved_qty(request: frappe._dict) -> dict[str, float]:
	qty = {}
	for row in request.approved_items:
		qty[row.item_code] = qty.get(row.item_code, 0) + row.stock_qty
	return qty


def measures(request: frappe._dict, disbursement_type: str | None = None) -> tuple[bool, bool]:
	"""(by amount, by item quantity): what a request's approval limits, for one disbursement type."""
	kind = disbursement_type or request.delivery_type
	if kind == "Cash":
		return True, False
	if kind == "In-Kind":
		return False, True
	# a provider service: its invoice total within the approved amount, its items within the approved items
	by_amount = flt(request.approved_amount) > 0 or not request.approved_items
	return by_amount, bool(request.approved_items)


# --- the rule, at submission ------------------------------------------------------------------------
def check_disbursable(request: frappe._dict) -> None:
	if request.docstatus != 1 or request.workflow_state not in DISBURSABLE_STATES:
		frappe.throw(
			_("Only approved or partly approved requests can be disbursed; {0} is {1}").format(
				request.name, _(request.workflow_state or "Draft")
			),
			exc=NotDisbursableError,
		)


def check_beneficiary_active(request: frappe._dict) -> None:
	"""Aid goes to Active beneficiaries only: one suspended, made inactive or rejected after the
	committee approved his request is not paid until he is Active again (`request` from
	`request_details`, read in the disbursement's validate, on insert and again on submit)."""
	if request.beneficiary_status != "Active":
		frappe.throw(
			_("The beneficiary {0} is {1}; aid is disbursed to active beneficiaries only").format(
				request.beneficiary, _(request.beneficiary_status or "Applicant")
			),
			exc=BeneficiaryNotActiveError,
		)


def check_within_approval(doc) -> None:
	"""Lock the request, then refuse a disbursement that would exceed what remains of the approval."""
	request = lock_for(doc)
	check_disbursable(request)
	done = served(request)
	check_amount(request, doc, done)

	if measures(request, doc.disbursement_type)[1]:
		approved = approved_qty(request)
		wanted = {}
		for row in doc.items:
			wanted[row.item_code] = wanted.get(row.item_code, 0) + flt(row.stock_qty)
		for item_code, qty in wanted.items():
			if item_code not in approved:
				frappe.throw(
					_("The item {0} was not approved for the request {1}").format(item_code, request.name),
					exc=OverDisbursementError,
					title=_("Over-disbursement"),
				)
			remaining = approved[item_code] - done.qty.get(item_code, 0)
			if qty > remaining + QTY_TOLERANCE:
				frappe.throw(
					_(
						"The quantity of {0} ({1}) exceeds what remains of the approval: {2} approved, {3} already disbursed, {4} remaining"
					).format(
						item_code, qty, approved[item_code], done.qty.get(item_code, 0), max(remaining, 0)
					),
					exc=OverDisbursementError,
					title=_("Over-disbursement"),
				)


def check_amount(request: frappe._dict, doc, done: frappe._dict, note: str = "") -> None:
	"""The disbursement's amount within what remains of the approved amount (or, for a provider's
	items approved without an amount, of the service's limit). `note` explains a refusal first."""
	by_amount = measures(request, doc.disbursement_type)[0]
	if by_amount:
		remaining = flt(request.approved_amount) - done.amount
		if flt(doc.amount) > remaining + AMOUNT_TOLERANCE:
			frappe.throw(
				note
				+ _(
					"The disbursement of {0} exceeds what remains of the approval: {1} approved, {2} already disbursed, {3} remaining"
				).format(
					fmt(doc.amount), fmt(request.approved_amount), fmt(done.amount), fmt(max(remaining, 0))
				),
				exc=OverDisbursementError,
				title=_("Over-disbursement"),
			)
	elif doc.disbursement_type == "Provider Service":
		check_unpriced_provider_bill(request, doc, done, note)


def check_invoice_total(doc, total: float) -> None:
	"""A provider's invoice is what the charity owes him, taxes included (ERPNext adds those of the
	items' tax templates and of a default taxes template): when it differs from the rows' amount, the
	invoice's total becomes the disbursement's amount, checked again against the approval under the
	lock before_submit took. posting.make_purchase_invoice calls it before submitting the invoice."""
	total = flt(total, doc.precision("amount"))
	if abs(total - flt(doc.amount)) <= AMOUNT_TOLERANCE:
		return
	note = _("The provider's invoice comes to {0} with its taxes, not {1}.").format(
		fmt(total), fmt(doc.amount)
	)
	doc.amount = total
	request = doc.flags.request or lock_for(doc)
	check_amount(request, doc, served(request), note + " ")


def check_unpriced_provider_bill(request: frappe._dict, doc, done: frappe._dict, note: str = "") -> None:
	"""The committee approved a provider's items without an amount: what the provider bills for
	them is never unlimited. It stays within the service's limit per request; a service without a
	limit needs an approved amount before any provider is paid."""
	limit = flt(frappe.get_cached_value("Aid Service", request.aid_service, "max_amount"))
	if not limit:
		frappe.throw(
			note
			+ _(
				"The approval of {0} sets no amount and its service no limit: the committee must approve the amount the provider may bill"
			).format(request.name),
			exc=OverDisbursementError,
			title=_("Over-disbursement"),
		)
	if done.amount + flt(doc.amount) > limit + AMOUNT_TOLERANCE:
		frappe.throw(
			note
			+ _(
				"The provider's bill of {0} exceeds the service's limit of {1} per request ({2} already billed)"
			).format(fmt(doc.amount), fmt(limit), fmt(done.amount)),
			exc=OverDisbursementError,
			title=_("Over-disbursement"),
		)


def check_approval_covers_served(request_doc) -> None:
	"""Assistance Request before_update_after_submit: an approval changed after disbursements began
	cannot fall below what was disbursed (the manager may edit an approved request)."""
	if request_doc.workflow_state not in (*DISBURSABLE_STATES, DISBURSED_STATE):
		return
	locked = lock_request(request_doc.name)  # what was served, as committed: the stored rows, not the doc's
	done = served(locked)
	request = frappe._dict(
		name=request_doc.name,
		delivery_type=locked.delivery_type,
		approved_amount=request_doc.approved_amount,
		approved_items=[
			frappe._dict(item_code=row.item_code, stock_qty=flt(row.qty) * approved_factor(row))
			for row in request_doc.approved_items
		],
	)
	by_amount, by_items = measures(request)
	short = []
	if by_amount and done.amount and flt(request.approved_amount) < done.amount - AMOUNT_TOLERANCE:
		short.append(
			_("the amount {0} (disbursed {1})").format(fmt(request.approved_amount), fmt(done.amount))
		)
	if by_items:
		approved = approved_qty(request)
		short += [
			_("{0}: {1} (disbursed {2})").format(item_code, approved.get(item_code, 0), qty)
			for item_code, qty in done.qty.items()
			if approved.get(item_code, 0) < qty - QTY_TOLERANCE
		]
	if short:
		frappe.throw(
			_("The approval cannot be less than what was already disbursed: {0}").format("; ".join(short)),
			exc=OverDisbursementError,
			title=_("Over-disbursement"),
		)


# --- the request's balance, after submit and cancel -------------------------------------------------
def balance(request: frappe._dict, done: frappe._dict) -> frappe._dict:
	"""Approved, served and remaining, in amount and per approved item row."""
	by_amount, by_items = measures(request)
	remaining_amount = max(flt(request.approved_amount) - done.amount, 0) if by_amount else 0
	rows = spread(request, done.qty)
	fully = (by_amount or by_items) and (
		(not by_amount or (flt(request.approved_amount) > 0 and remaining_amount <= AMOUNT_TOLERANCE))
		and (not by_items or all(r.disbursed_stock_qty >= r.stock_qty - QTY_TOLERANCE for r in rows))
	)
	return frappe._dict(
		request=request,
		served_amount=done.amount,
		disbursed_amount=done.total,
		remaining_amount=remaining_amount,
		rows=rows,
		fully_disbursed=bool(fully),
	)


def spread(request: frappe._dict, served_qty: dict[str, float]) -> list[frappe._dict]:
	"""What was served of each item (stock unit) over its approved rows in order, each up to its
	approved quantity; the item's last row keeps any excess, so that the stored totals lose nothing
	(there is none unless an approval shrank below what was served)."""
	left = dict(served_qty)
	last = {row.item_code: row.name for row in request.approved_items}
	rows = []
	for row in request.approved_items:
		available = max(left.get(row.item_code, 0), 0)
		taken = available if last[row.item_code] == row.name else min(available, row.stock_qty)
		left[row.item_code] = available - taken
		rows.append(
			frappe._dict(
				name=row.name,
				item_code=row.item_code,
				qty=row.qty,
				stock_qty=row.stock_qty,
				disbursed_stock_qty=taken,
				disbursed_qty=taken / row.factor,
			)
		)
	return rows


def update_request(doc) -> frappe._dict:
	"""After the disbursement's submit (adds) or cancel (subtracts): write the request's running
	totals; move it to Disbursed when fully served, and back to its decision when a cancellation
	reopens it. The request was locked by the disbursement's before_submit / before_cancel."""
	request = doc.flags.request or lock_for(doc)
	doc.flags.request = None  # read again under the lock by the next submit or cancel of this doc
	state = balance(request, add(served(request), doc, 1 if doc.docstatus == 1 else -1))

	values = {
		"served_amount": state.served_amount,
		"disbursed_amount": state.disbursed_amount,
		"remaining_amount": state.remaining_amount,
		"fully_disbursed": int(state.fully_disbursed),
	}
	if state.fully_disbursed and request.workflow_state in DISBURSABLE_STATES:
		values["workflow_state"] = DISBURSED_STATE
	elif not state.fully_disbursed and request.workflow_state == DISBURSED_STATE:
		values["workflow_state"] = request.decision if request.decision in DISBURSABLE_STATES else "Approved"
	# the old values are the locked read's (see audit.set_values)
	audit.set_values("Assistance Request", request.name, values, old=request)

	stored = {row.name: row for row in request.approved_items}
	for row in state.rows:
		if flt(stored[row.name].disbursed_stock_qty, 9) != flt(row.disbursed_stock_qty, 9):  # 9: as stored
			frappe.db.set_value(
				"Assistance Request Item",
				row.name,
				{"disbursed_stock_qty": row.disbursed_stock_qty, "disbursed_qty": row.disbursed_qty},
				update_modified=False,
			)
	return state


@frappe.whitelist()
def get_balance(assistance_request: str, aid_disbursement: str | None = None) -> dict:
	"""The request's approved, disbursed and remaining amounts and quantities (for the forms): for who
	reads the request, or a disbursement of it (the accountant follows the storekeeper's goods in the
	ledgers without reading the request, and the form showed him a refusal)."""
	if not reads_disbursement_of(aid_disbursement, assistance_request):
		frappe.get_doc("Assistance Request", assistance_request).check_permission("read")
	request = read_request(assistance_request)
	state = balance(request, served(request))
	return {
		"approved_amount": flt(request.approved_amount),
		"disbursed_amount": state.disbursed_amount,
		"remaining_amount": state.remaining_amount,
		"fully_disbursed": state.fully_disbursed,
		"items": [
			{
				"item_code": r.item_code,
				"qty": r.qty,
				"disbursed_qty": r.disbursed_qty,
				"remaining_qty": max(flt(r.qty) - r.disbursed_qty, 0),
			}
			for r in state.rows
		],
	}


# --- helpers ----------------------------------------------------------------------------------------
def reads_disbursement_of(aid_disbursement: str | None, assistance_request: str) -> bool:
	if not aid_disbursement or not isinstance(aid_disbursement, str):
		return False
	if not frappe.db.exists("Aid Disbursement", aid_disbursement):
		return False
	disbursement = frappe.get_doc("Aid Disbursement", aid_disbursement)
	return disbursement.assistance_request == assistance_request and disbursement.has_permission("read")


def conversion_factor(item_code: str, uom: str | None) -> float:
	"""How many of the item's stock unit one `uom` holds: 1 for the stock unit, else the factor of the
	item's conversion table (its template's for a variant). Any other unit is refused: ERPNext's
	get_conversion_factor falls back to a global factor and then to 1, which counted "1 Kg" of an item
	kept in pieces as one piece against the approval."""
	stock_uom = frappe.get_cached_value("Item", item_code, "stock_uom")
	if not uom or uom == stock_uom:
		return 1.0
	factors = item_conversion_factors(item_code)
	if not flt(factors.get(uom)):
		frappe.throw(
			_("{0} is not a unit of the item {1}; its units are: {2}").format(
				frappe.bold(uom), frappe.bold(item_code), ", ".join(_(unit) for unit in (stock_uom, *factors))
			),
			exc=UnitError,
			title=_("Invalid Unit"),
		)
	return flt(factors[uom])


def item_conversion_factors(item_code: str) -> dict[str, float]:
	"""unit -> stock units in one, from the item's UOM conversion table, or its template's (ERPNext
	reads a variant's units from both)."""
	parents = [item_code]
	template = frappe.get_cached_value("Item", item_code, "variant_of")
	if template:
		parents.append(template)
	factors = {}
	for parent in parents:
		for row in frappe.get_all(
			"UOM Conversion Detail",
			filters={"parent": parent, "parenttype": "Item"},
			fields=["uom", "conversion_factor"],
			order_by="idx",
		):
			factors.setdefault(row.uom, flt(row.conversion_factor))
	factors.pop(frappe.get_cached_value("Item", item_code, "stock_uom"), None)
	return factors


def fmt(value) -> str:
	return format_money(value)

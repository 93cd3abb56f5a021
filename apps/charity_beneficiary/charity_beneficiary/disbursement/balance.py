"""What a request approved, what its submitted disbursements served, and the lock that keeps the
two consistent when several users disburse at once.

The rule: the submitted disbursements of a request never exceed its approval, in amount (cash and
provider services) and in quantity per item (goods, in the item's stock unit).

Concurrency. Submitting or cancelling a disbursement first locks its request's row
(`SELECT ... FOR UPDATE`) until the transaction ends, so the disbursements of one request are posted
one at a time; the served totals are recomputed from the submitted disbursements after the lock is
held. Submitting and cancelling always write the request row (its balance) in the same transaction.

The recount must see what was committed while this transaction waited for the lock, which a plain
read may not: under REPEATABLE READ it reads the snapshot the transaction took at its first read.
So the request's `modified` is read twice, by the locking read (the latest committed version) and by
a plain read (the snapshot): when they agree, no disbursement of the request changed since the
snapshot and plain reads are exact; when they differ, the totals are read through a short-lived
READ COMMITTED connection, which sees every committed disbursement (this transaction has not changed
any of the request's yet: it would hold the lock since). Locking reads of the disbursements would
also see them, but their gap locks would make unrelated disbursements wait, or deadlock, on them.
"""

import frappe
from frappe import _
from frappe.utils import flt

from charity_beneficiary.assistance.states import DISBURSABLE_STATES, DISBURSED_STATE
from charity_beneficiary.utils import audit
from charity_beneficiary.utils.money import format_money

AMOUNT_TYPES = ("Cash", "Provider Service")
REQUEST_INDEX = "assistance_request_docstatus_index"
REQUEST_FIELDS = "name, docstatus, workflow_state, decision, aid_service, approved_amount, modified"


class NotDisbursableError(frappe.ValidationError):
	pass


class OverDisbursementError(frappe.ValidationError):
	pass


# --- reading the request ----------------------------------------------------------------------------
def lock_request(name: str) -> frappe._dict:
	"""Lock the request row for the rest of the transaction; return it with what it approved and
	the connection (`request.db`) that sees its disbursements as committed."""
	rows = frappe.db.sql(  # sql-ok: REQUEST_FIELDS is a constant list of columns
		f"select {REQUEST_FIELDS} from `tabAssistance Request` where name = %s for update", name
	)
	if not rows:
		frappe.throw(_("Assistance Request {0} does not exist").format(name), exc=frappe.DoesNotExistError)
	# the plain read is the snapshot: when its `modified` is the locked one, it is also the request
	snapshot = request_row(name, frappe.db)
	if snapshot.modified == rows[0][-1]:
		return with_details(snapshot, frappe.db)
	return read_request(name, committed_reader())


def read_request(name: str, db=None) -> frappe._dict:
	db = db or frappe.db
	return with_details(request_row(name, db), db)


def request_row(name: str, db) -> frappe._dict:
	# sql-ok: REQUEST_FIELDS is a constant list of columns
	rows = db.sql(f"select {REQUEST_FIELDS} from `tabAssistance Request` where name = %s", name, as_dict=True)
	if not rows:
		frappe.throw(_("Assistance Request {0} does not exist").format(name), exc=frappe.DoesNotExistError)
	return rows[0]


def with_details(request: frappe._dict, db) -> frappe._dict:
	"""The request row with its service's delivery type and its approved items. A disbursement reads
	its request three times in one transaction (its validation at insert and at submit, the lock):
	the details are read once per version of the request (its `modified`) per transaction."""
	request.db = db
	cache = transaction_cache() if db is frappe.db else {}
	key = (request.name, str(request.modified), request.aid_service)
	if key not in cache:
		approved_items = db.sql(
			"""select name, item_code, qty, uom from `tabAssistance Request Item`
			where parent = %s and parenttype = 'Assistance Request' and parentfield = 'approved_items'
			order by idx""",
			request.name,
			as_dict=True,
		)
		for row in approved_items:
			row.stock_qty = flt(row.qty) * conversion_factor(row.item_code, row.uom)
		cache[key] = (
			frappe.db.get_value("Aid Service", request.aid_service, "delivery_type"),
			approved_items,
		)
	delivery_type, approved_items = cache[key]
	request.delivery_type = delivery_type
	request.approved_items = [frappe._dict(row) for row in approved_items]
	return request


def transaction_cache() -> dict:
	"""A dict of the current transaction of this connection, forgotten at its commit or rollback."""
	held = getattr(frappe.local, "charity_request_details", None)
	if held and held[0] is frappe.db:
		return held[1]
	cache = {}
	frappe.local.charity_request_details = (frappe.db, cache)

	def forget():
		frappe.local.charity_request_details = None

	frappe.db.after_commit.add(forget)
	frappe.db.after_rollback.add(forget)
	return cache


def committed_reader():
	"""A connection of its own that reads what is committed (READ COMMITTED); close it after use."""
	from frappe.database import get_db

	conf = frappe.local.conf
	db = get_db(
		socket=conf.db_socket,
		host=conf.db_host,
		port=conf.db_port,
		user=conf.db_name,
		password=conf.db_password,
		cur_db_name=conf.db_name,
	)
	db.connect()
	db.sql("set session transaction isolation level read committed")
	return db


def release(request: frappe._dict) -> None:
	if request.db is not frappe.db:
		request.db.close()
		request.db = frappe.db


def served(request: frappe._dict, exclude: str | None = None) -> frappe._dict:
	"""Totals of the request's submitted disbursements but `exclude`, read through `request.db`."""
	disbursements = request.db.sql(
		"""select name, disbursement_type, amount from `tabAid Disbursement`
		where assistance_request = %s and docstatus = 1 and name != %s""",
		(request.name, exclude or ""),
		as_dict=True,
	)
	totals = frappe._dict(amount=0.0, total=0.0, qty={})
	add(totals, disbursements)
	names = [d.name for d in disbursements]
	if names:
		for item_code, stock_qty in request.db.sql(
			"""select item_code, sum(stock_qty) from `tabAid Disbursement Item`
			where parent in %(names)s and parenttype = 'Aid Disbursement' group by item_code""",
			{"names": names},
		):
			totals.qty[item_code] = totals.qty.get(item_code, 0) + flt(stock_qty)
	return totals


def add(totals: frappe._dict, disbursements, items=None) -> frappe._dict:
	for d in disbursements:
		totals.total += flt(d.amount)
		if d.disbursement_type in AMOUNT_TYPES:
			totals.amount += flt(d.amount)
	for row in items or []:
		totals.qty[row.item_code] = totals.qty.get(row.item_code, 0) + flt(row.stock_qty)
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


def lock_for(doc) -> frappe._dict:
	"""Lock the disbursement's request and count what the others served (kept for on_submit/on_cancel)."""
	request = lock_request(doc.assistance_request)
	try:
		others = served(request, exclude=doc.name)
	finally:
		release(request)
	doc.flags.request, doc.flags.served_by_others = request, others
	return request


def check_within_approval(doc) -> None:
	"""Lock the request, then refuse a disbursement that would exceed what remains of the approval."""
	request = lock_for(doc)
	check_disbursable(request)
	done = doc.flags.served_by_others
	by_amount, by_items = measures(request, doc.disbursement_type)

	if by_amount:
		remaining = flt(request.approved_amount) - done.amount
		if flt(doc.amount) > remaining + 0.005:
			frappe.throw(
				_(
					"The disbursement of {0} exceeds what remains of the approval: {1} approved, {2} already disbursed, {3} remaining"
				).format(
					fmt(doc.amount), fmt(request.approved_amount), fmt(done.amount), fmt(max(remaining, 0))
				),
				exc=OverDisbursementError,
				title=_("Over-disbursement"),
			)

	if by_items:
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
			if qty > remaining + 1e-9:
				frappe.throw(
					_(
						"The quantity of {0} ({1}) exceeds what remains of the approval: {2} approved, {3} already disbursed, {4} remaining"
					).format(
						item_code, qty, approved[item_code], done.qty.get(item_code, 0), max(remaining, 0)
					),
					exc=OverDisbursementError,
					title=_("Over-disbursement"),
				)


def check_approval_covers_served(request_doc) -> None:
	"""Assistance Request before_update_after_submit: an approval changed after disbursements began
	cannot fall below what was disbursed (the manager may edit an approved request)."""
	if request_doc.workflow_state not in (*DISBURSABLE_STATES, DISBURSED_STATE):
		return
	locked = lock_request(request_doc.name)  # the row frappe's save already holds: chooses the reader
	try:
		done = served(locked)
	finally:
		release(locked)
	request = frappe._dict(
		name=request_doc.name,
		delivery_type=locked.delivery_type,
		approved_amount=request_doc.approved_amount,
		approved_items=[
			frappe._dict(
				item_code=row.item_code, stock_qty=flt(row.qty) * conversion_factor(row.item_code, row.uom)
			)
			for row in request_doc.approved_items
		],
	)
	by_amount, by_items = measures(request)
	short = []
	if by_amount and done.amount and flt(request.approved_amount) < done.amount - 0.005:
		short.append(
			_("the amount {0} (disbursed {1})").format(fmt(request.approved_amount), fmt(done.amount))
		)
	if by_items:
		approved = approved_qty(request)
		short += [
			_("{0}: {1} (disbursed {2})").format(item_code, approved.get(item_code, 0), qty)
			for item_code, qty in done.qty.items()
			if approved.get(item_code, 0) < qty - 1e-9
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

	left = dict(done.qty)  # served stock qty, spread over the approved rows of each item in order
	rows = []
	for row in request.approved_items:
		taken = min(left.get(row.item_code, 0), row.stock_qty)
		left[row.item_code] = left.get(row.item_code, 0) - taken
		factor = row.stock_qty / flt(row.qty) if flt(row.qty) else 1
		rows.append(
			frappe._dict(name=row.name, item_code=row.item_code, qty=row.qty, disbursed_qty=taken / factor)
		)

	fully = (by_amount or by_items) and (
		(not by_amount or (flt(request.approved_amount) > 0 and remaining_amount <= 0.005))
		and (not by_items or all(r.disbursed_qty >= flt(r.qty) - 1e-9 for r in rows))
	)
	return frappe._dict(
		request=request,
		disbursed_amount=done.total,
		remaining_amount=remaining_amount,
		rows=rows,
		fully_disbursed=bool(fully),
	)


def update_request(doc) -> frappe._dict:
	"""After the disbursement's submit or cancel: write the request's balance; move it to Disbursed
	when fully served, and back to its decision when a cancellation reopens it."""
	if doc.flags.served_by_others is None:  # not locked by this document's before_submit/before_cancel
		lock_for(doc)
	request, done = doc.flags.request, frappe._dict(doc.flags.served_by_others)
	done.qty = dict(done.qty)
	if doc.docstatus == 1:
		add(done, [doc], doc.items)
	state = balance(request, done)

	values = {
		"disbursed_amount": state.disbursed_amount,
		"remaining_amount": state.remaining_amount,
		"fully_disbursed": int(state.fully_disbursed),
	}
	if state.fully_disbursed and request.workflow_state in DISBURSABLE_STATES:
		values["workflow_state"] = DISBURSED_STATE
	elif not state.fully_disbursed and request.workflow_state == DISBURSED_STATE:
		values["workflow_state"] = request.decision if request.decision in DISBURSABLE_STATES else "Approved"
	audit.set_values("Assistance Request", request.name, values)

	for row in state.rows:
		frappe.db.set_value(
			"Assistance Request Item", row.name, "disbursed_qty", row.disbursed_qty, update_modified=False
		)
	return state


@frappe.whitelist()
def get_balance(assistance_request: str) -> dict:
	"""The request's approved, disbursed and remaining amounts and quantities (for the forms)."""
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
def conversion_factor(item_code: str, uom: str | None) -> float:
	if not uom or uom == frappe.get_cached_value("Item", item_code, "stock_uom"):
		return 1.0
	from erpnext.stock.get_item_details import get_conversion_factor

	return flt(get_conversion_factor(item_code, uom).get("conversion_factor")) or 1.0


def fmt(value) -> str:
	return format_money(value)

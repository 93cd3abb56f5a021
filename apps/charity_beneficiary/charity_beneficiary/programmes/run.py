"""Running an approved programme (R6.2, R4.2, R4.3): the aid posted in batches, as ERPNext's Payroll
Entry posts salaries — one ledger document for many people.

Per batch, in ONE transaction:

- an approved, already served Assistance Request per household (requests.py), so that the register,
  the portal, the surveys and "never more than approved" keep working: the request carries the
  committee's decision on the programme and leaves no balance to disburse again;
- cash: ONE Journal Entry with a debit row per beneficiary (party = the beneficiary) on the cash
  aid expense account and the credit on the account paid from, every row with the fund dimension;
  goods: ONE Material Issue of the batch's baskets;
- every line of the batch marked Paid with its request and ledger document, and the programme's
  counters.

The transaction is committed per batch, and each batch holds the season lock from its check to its
commit (season.py), so that two programmes' runs never pay the same household. The next batch is
chosen under a lock on the programme's row (`SELECT ... FOR UPDATE`) among the lines still Pending,
read with a locking read too (the latest committed rows, whatever snapshot the worker holds). So a
run can be stopped and resumed, two workers never post the same line, and a worker killed in the
middle loses only its uncommitted batch, which the next run posts again: nobody is paid twice. After
each commit a job is queued that tells the beneficiaries of the batch in Arabic and invites them to
the survey (notify.py), also resumable.
"""

import time

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.utils import escape_html, flt, now_datetime, nowdate

from charity_beneficiary.disbursement.defaults import expense_account, get_defaults
from charity_beneficiary.disbursement.permissions import POSTING_ROLES, can_post
from charity_beneficiary.disbursement.posting import (
	PARTY_ACCOUNT_TYPES,
	InsufficientStockError,
	in_posting,
	material_issue_type,
	stock_at,
)
from charity_beneficiary.disbursement.setup import PARTY_TYPE
from charity_beneficiary.programmes import eligibility, notify, requests, rules, season
from charity_beneficiary.programmes.doctype.aid_programme.aid_programme import ProgrammeError
from charity_beneficiary.utils import audit, code_owned

QUEUE = "long"
TIMEOUT = 4 * 60 * 60
PAID, PENDING = "Paid", "Pending"
RUNNING, QUEUED, STOPPED, COMPLETED, FAILED = "Running", "Queued", "Stopped", "Completed", "Failed"


class ProgrammeNotApprovedError(ProgrammeError):
	pass


def job_id(programme: str) -> str:
	return f"aid_programme::{programme}"


# --- the endpoints ----------------------------------------------------------------------------------
@frappe.whitelist(methods=["POST"])
def run_programme(programme: str) -> dict:
	"""Queue the run (queue "long"); a run already queued or running is not started twice."""
	doc = frappe.get_doc("Aid Programme", programme)
	check_can_run(doc)
	if doc.run_status == COMPLETED:
		frappe.throw(_("Programme {0} has been run to the end").format(programme), exc=ProgrammeError)
	if doc.run_status != RUNNING:
		set_header(programme, {"run_status": QUEUED, "stop_requested": 0})
	frappe.enqueue(
		"charity_beneficiary.programmes.run.execute",
		queue=QUEUE,
		timeout=TIMEOUT,
		job_id=job_id(programme),
		deduplicate=True,
		enqueue_after_commit=True,
		programme=programme,
	)
	return {"job_id": job_id(programme), "run_status": QUEUED}


@frappe.whitelist(methods=["POST"])
def stop_programme(programme: str) -> None:
	"""Ask the run to stop after its current batch (it can be resumed with run_programme)."""
	check_can_run(frappe.get_doc("Aid Programme", programme))
	set_header(programme, {"stop_requested": 1})


def check_can_run(doc) -> None:
	doc.check_permission("read")
	if not can_post(doc.delivery_type):
		frappe.throw(
			_("Only the roles {0} can run a {1} programme").format(
				", ".join(_(role) for role in POSTING_ROLES.get(doc.delivery_type, ())), _(doc.delivery_type)
			),
			exc=frappe.PermissionError,
			title=_("Not Permitted"),
		)
	if doc.docstatus != 1 or doc.approval_status != "Approved":
		frappe.throw(
			_("Programme {0} has not been approved by the research committee").format(doc.name),
			exc=ProgrammeNotApprovedError,
		)
	doc.validate_fund()


# --- the job ----------------------------------------------------------------------------------------
def execute(programme: str, pause: float = 0) -> None:
	"""The background job: batches until nothing is pending or a stop is asked. `pause` (seconds
	between batches) lets a busy site breathe."""
	doc = frappe.get_doc("Aid Programme", programme)
	check_can_run(doc)
	# the season lock before this programme's own row, as every batch takes it: another run's batch
	# in progress may hold the row (its season check reads the programmes' headers with a locking
	# read), and a run waiting on the row rather than on the lock failed after MariaDB's 50 s
	season.hold_lock(season.RUN_WAIT)
	set_header(programme, {"run_status": RUNNING})
	frappe.db.commit()  # the desk shows "Running" while the first batch posts
	notify.queue(programme)  # what a killed run paid but did not announce
	try:
		while run_batch(doc):
			frappe.db.commit()  # the batch, its ledger document and its lines: all or nothing
			notify.queue(programme)  # the notices in a job of their own (notify.py)
			publish(doc)
			if pause:
				time.sleep(pause)
		frappe.db.commit()
	except Exception:
		frappe.db.rollback()
		frappe.log_error(
			title=_("Aid programme run failed"), reference_doctype="Aid Programme", reference_name=programme
		)
		set_header(programme, {"run_status": FAILED})
		frappe.db.commit()
		raise
	publish(doc)


def run_batch(doc) -> bool:
	"""Post the next batch; False when the run is over (nothing pending, or stopped)."""
	# the batch's check to its commit in turn with other runs and submits: a household another run
	# is paying is seen as paid here (season.py); the lock first, then the programme's row
	season.hold_lock(season.RUN_WAIT)
	header = lock_programme(doc.name)
	if header.stop_requested:
		set_header(doc.name, {"run_status": STOPPED, "stop_requested": 0})
		return False
	lines = pending_lines(doc.name, rules.batch_size(doc.batch_size))
	if not lines:
		set_header(doc.name, {"run_status": COMPLETED})
		return False
	doc.validate_fund()  # deactivated or restricted since the approval: nothing more is paid from it
	lines = set_aside_unpayable(doc, header, lines)
	if not lines:
		return True  # the whole batch was set aside: the next one
	with code_owned.owner_writes(code_owned.PROGRAMME):
		made = requests.make_requests(doc, lines)
		if doc.delivery_type == "Cash":
			ledger = {"journal_entry": post_cash(doc, lines)}
		else:
			ledger = {"stock_entry": post_goods(doc, lines)}
		requests.mark_served(doc, made, ledger)
		mark_paid(doc, header, lines, made, ledger)
	return True


def lock_programme(name: str) -> frappe._dict:
	rows = frappe.db.sql(
		"""select name, approval_status, stop_requested, paid_count, paid_amount,
			selected_count, total_amount
		from `tabAid Programme` where name = %s for update""",
		name,
		as_dict=True,
	)
	if not rows or rows[0].approval_status != "Approved":
		frappe.throw(
			_("Programme {0} has not been approved by the research committee").format(name),
			exc=ProgrammeNotApprovedError,
		)
	return rows[0]


def pending_lines(programme: str, size: int) -> list[frappe._dict]:
	"""The next `size` lines to pay, read with a locking read (the latest committed state)."""
	return frappe.db.sql(
		"""select name, idx, beneficiary, beneficiary_name, branch, household_size, amount
		from `tabAid Programme Line`
		where parent = %s and parenttype = 'Aid Programme' and status = %s
			and excluded = 0 and beyond_budget = 0
		order by idx limit %s for update""",
		(programme, PENDING, size),
		as_dict=True,
	)


def set_aside_unpayable(doc, header, lines) -> list[frappe._dict]:
	"""The lines of the batch still payable. Households that stopped qualifying since the committee
	approved the list (eligibility.unpayable) are excluded with the reason, out of the programme's
	selection and total, and the programme says so in its timeline."""
	reasons = eligibility.unpayable(doc, [line.beneficiary for line in lines])
	if not reasons:
		return lines
	aside = [line for line in lines if line.beneficiary in reasons]
	table = frappe.qb.DocType("Aid Programme Line")
	reason_of = Case()
	for line in aside:
		reason_of = reason_of.when(table.name == line.name, reasons[line.beneficiary])
	(
		frappe.qb.update(table)
		.set(table.excluded, 1)
		.set(table.exclusion_reason, reason_of)
		.where(table.name.isin([line.name for line in aside]))
	).run()
	header.selected_count = (header.selected_count or 0) - len(aside)
	header.total_amount = flt(header.total_amount) - sum(flt(line.amount) for line in aside)
	set_header(doc.name, {"selected_count": header.selected_count, "total_amount": header.total_amount})
	frappe.get_doc(
		{
			"doctype": "Comment",
			"comment_type": "Info",
			"reference_doctype": "Aid Programme",
			"reference_name": doc.name,
			"content": "<br>".join(
				escape_html(f"{line.beneficiary} ({line.beneficiary_name}): {reasons[line.beneficiary]}")
				for line in aside
			),
		}
	).insert(ignore_permissions=True)
	return [line for line in lines if line.beneficiary not in reasons]


# --- cash: one Journal Entry per batch --------------------------------------------------------------
def post_cash(doc, lines) -> str:
	accounts = posting_accounts(doc, "Cash")
	paid_from_type = frappe.get_cached_value("Account", doc.paid_from_account, "account_type")
	common = {"cost_center": accounts.cost_center, "charity_fund": doc.charity_fund}
	rows = [
		{
			"account": accounts.expense_account,
			"debit_in_account_currency": flt(line.amount),
			"party_type": PARTY_TYPE,
			"party": line.beneficiary,
			**common,
		}
		for line in lines
	]
	if paid_from_type in PARTY_ACCOUNT_TYPES:  # e.g. Beneficiaries Payable: settled per beneficiary later
		rows += [
			{
				"account": doc.paid_from_account,
				"credit_in_account_currency": flt(line.amount),
				"party_type": PARTY_TYPE,
				"party": line.beneficiary,
				**common,
			}
			for line in lines
		]
	else:  # ERPNext refuses a party on a cash or bank account: one credit row for the batch
		rows.append(
			{
				"account": doc.paid_from_account,
				"credit_in_account_currency": sum(flt(line.amount) for line in lines),
				**common,
			}
		)
	voucher_type = {"Cash": "Cash Entry", "Bank": "Bank Entry"}.get(paid_from_type, "Journal Entry")
	reference = f"{doc.name}/{lines[0].idx}"
	je = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"voucher_type": voucher_type,
			"company": doc.company,
			"posting_date": nowdate(),
			"cheque_no": reference if voucher_type == "Bank Entry" else None,
			"cheque_date": nowdate() if voucher_type == "Bank Entry" else None,
			"user_remark": remark(doc, lines),
			"accounts": rows,
		}
	)
	submit(je)
	return je.name


# --- goods: one Material Issue per batch ------------------------------------------------------------
def post_goods(doc, lines) -> str:
	accounts = posting_accounts(doc, "In-Kind")
	per_household = doc.item_quantities()
	uoms = {row.item_code: row.uom for row in doc.items}
	check_stock(per_household, uoms, len(lines), accounts.warehouse)
	dims = {"charity_fund": doc.charity_fund}
	se = frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": material_issue_type(),
			"purpose": "Material Issue",
			"company": doc.company,
			"from_warehouse": accounts.warehouse,
			"remarks": remark(doc, lines),
			**dims,
			"items": [
				{
					"item_code": item_code,
					"qty": qty * len(lines),
					"uom": uoms.get(item_code),
					"s_warehouse": accounts.warehouse,
					"expense_account": accounts.expense_account,
					"cost_center": accounts.cost_center,
					**dims,
				}
				for item_code, qty in per_household.items()
			],
		}
	)
	submit(se)
	return se.name


def check_stock(per_household: dict[str, float], uoms: dict, households: int, warehouse: str) -> None:
	from charity_beneficiary.disbursement.balance import conversion_factor

	short = []
	for item_code, qty in per_household.items():
		needed = qty * households
		available = flt(stock_at(item_code, warehouse, nowdate()).qty_after_transaction)
		if needed * conversion_factor(item_code, uoms.get(item_code)) > available + 1e-9:
			short.append(
				_("{0}: {1} needed in {2}, {3} available").format(item_code, needed, warehouse, available)
			)
	if short:
		frappe.throw(
			_("Insufficient stock; nothing was posted.") + "<br>" + "<br>".join(short),
			exc=InsufficientStockError,
			title=_("Insufficient Stock"),
		)


# --- the batch's lines ------------------------------------------------------------------------------
def mark_paid(doc, header, lines, made: dict[str, str], ledger: dict[str, str]) -> None:
	"""The lines of the batch, Paid with their request and ledger document (one UPDATE), and the
	counters from the programme's `header`, read under the batch's lock."""
	line = frappe.qb.DocType("Aid Programme Line")
	request_of = Case()
	for row in lines:
		request_of = request_of.when(line.name == row.name, made[row.name])
	update = (
		frappe.qb.update(line)
		.set(line.status, PAID)
		.set(line.assistance_request, request_of)
		.set(line.paid_on, now_datetime())
		.where(line.name.isin([row.name for row in lines]))
	)
	for fieldname, voucher in ledger.items():
		update = update.set(line[fieldname], voucher)
	update.run()
	set_header(
		doc.name,
		{
			"paid_count": (header.paid_count or 0) + len(lines),
			"paid_amount": flt(header.paid_amount) + sum(flt(row.amount) for row in lines),
		},
	)


# --- helpers ----------------------------------------------------------------------------------------
def set_header(programme: str, values: dict) -> None:
	with code_owned.owner_writes(code_owned.PROGRAMME):
		audit.set_values("Aid Programme", programme, values)


def posting_accounts(doc, delivery_type: str) -> frappe._dict:
	defaults = get_defaults(doc.company)
	service_account = frappe.get_cached_value("Aid Service", doc.aid_service, "expense_account")
	if service_account and frappe.get_cached_value("Account", service_account, "company") != doc.company:
		service_account = None
	accounts = frappe._dict(
		expense_account=service_account or expense_account(delivery_type, defaults),
		cost_center=defaults.cost_center or frappe.get_cached_value("Company", doc.company, "cost_center"),
		warehouse=defaults.warehouse,
	)
	if not accounts.expense_account:
		frappe.throw(
			_("Please set the aid expense account for {0} disbursements in Charity Settings").format(
				_(delivery_type)
			),
			exc=frappe.MandatoryError,
		)
	return accounts


def submit(ledger) -> None:
	# the runner's own right to post this programme was checked (check_can_run); ERPNext's bundles of
	# tracked goods are made under his permissions, which hold inside a posting (posting.in_posting)
	ledger.flags.ignore_permissions = True
	with in_posting():
		ledger.insert()
		ledger.submit()


def remark(doc, lines) -> str:
	return _("Aid programme {0} ({1}): {2} beneficiaries, rows {3} to {4}").format(
		doc.name, doc.title, len(lines), lines[0].idx, lines[-1].idx
	)


def publish(doc) -> None:
	header = frappe.db.get_value("Aid Programme", doc.name, ["paid_count", "selected_count"], as_dict=True)
	frappe.publish_progress(
		rules.progress(header.paid_count or 0, header.selected_count or 0),
		title=_("Running programme {0}").format(doc.name),
		doctype="Aid Programme",
		docname=doc.name,
		description=_("{0} of {1} beneficiaries paid").format(
			header.paid_count or 0, header.selected_count or 0
		),
	)

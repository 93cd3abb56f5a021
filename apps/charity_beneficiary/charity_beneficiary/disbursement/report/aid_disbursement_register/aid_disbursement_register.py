# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""Aid Disbursement Register (R4.4): the submitted aid disbursements of a period, with links to the
request, the beneficiary and the ERPNext document each one posted, and their reconciliation with
the general ledger. What seasonal programmes paid is aid too: each household a programme paid is a
row of its own, with its request and the batch's ledger document (programmes/run.py posts one
document per batch), so the register still equals the ledger when programmes run.

Reconciliation. The register's total is compared with the balance (debit − credit) of the aid
expense accounts in GL Entry for the same company, period and fund, cancelled entries left out.
When the register is narrowed to part of the disbursements (service, branch, beneficiary, type),
only the ledger entries of the documents those disbursements posted count (matched by voucher_no),
so every filter reconciles. Each row shows the ledger amount of its own document; ledger entries on
the aid expense accounts that no listed disbursement posted (a manual journal entry, or one the user
may not see) are listed too, as rows of their own, so the difference can be traced.

Disbursements are read through frappe.get_list: a user sees only the disbursements his permissions
allow. The ledger is read with the query builder (the report is limited to accounting roles).
"""

import frappe
from frappe import _
from frappe.query_builder.functions import Sum
from frappe.utils import add_days, flt, get_first_day, get_last_day, getdate, today

from charity_beneficiary.disbursement.defaults import EXPENSE_FIELD
from charity_beneficiary.disbursement.posting import LEDGER_DOCUMENTS
from charity_beneficiary.disbursement.setup import FUND_FIELD, LINK_FIELD, PARTY_TYPE
from charity_beneficiary.utils.money import company_currency

# filters that select part of the disbursements, so only their own ledger entries count
DOCUMENT_FILTERS = ("aid_service", "branch", "beneficiary", "disbursement_type")


# a heavy read: on the read replica when the site has read_from_replica (README, Scaling out)
@frappe.read_only()
def execute(filters: dict | None = None):
	filters = prepare_filters(filters)
	rows = get_disbursements(filters)
	lines = get_programme_lines(filters)
	accounts = aid_expense_accounts(filters.company)
	ledger = get_ledger(filters, accounts, rows + lines)
	share_programme_ledger(filters, accounts, lines, ledger)
	data = build_rows(rows, lines, ledger)
	reconciliation = reconcile(data, ledger)
	currency = company_currency(filters.company)
	return (
		get_columns(),
		data,
		get_message(reconciliation, accounts, currency),
		get_chart(rows + lines),
		get_summary(reconciliation, currency),
	)


# --- filters ----------------------------------------------------------------------------------------
def prepare_filters(filters: dict | None) -> frappe._dict:
	filters = frappe._dict(filters or {})
	if not filters.company:
		filters.company = (
			frappe.db.get_single_value("Charity Settings", "company")
			or frappe.defaults.get_user_default("Company")
			or frappe.db.get_single_value("Global Defaults", "default_company")
		)
	if not filters.company:
		frappe.throw(_("Please select a company"))
	filters.from_date = getdate(filters.from_date or get_first_day(today()))
	filters.to_date = getdate(filters.to_date or get_last_day(today()))
	if filters.from_date > filters.to_date:
		frappe.throw(_("From Date must be before To Date"))
	filters.branches = branch_limit()
	return filters


def period_end(filters: frappe._dict):
	"""The first moment after the period (a datetime column is compared with it)."""
	return add_days(filters.to_date, 1)


def is_partial(filters: frappe._dict) -> bool:
	"""The filters (or the user's branches) select part of the disbursements: only their own ledger
	entries count."""
	return filters.branches is not None or any(filters.get(field) for field in DOCUMENT_FILTERS)


def branch_limit() -> list[str] | None:
	"""The branches the user's lists are limited to — a branch representative's, or his User
	Permissions on Branch, which frappe applies to the disbursements' list; None: every branch."""
	from frappe.core.doctype.user_permission.user_permission import get_user_permissions

	from charity_beneficiary.beneficiaries.branch_access import allowed_branches

	branches = allowed_branches(doctype="Aid Disbursement")
	if branches is not None:
		return branches
	permitted = [
		permission.doc
		for permission in get_user_permissions().get("Branch", [])
		if not permission.applicable_for or permission.applicable_for == "Aid Disbursement"
	]
	return permitted or None


# --- disbursements ----------------------------------------------------------------------------------
def get_disbursements(filters: frappe._dict) -> list[frappe._dict]:
	"""The submitted disbursements the user may read, with their request's branch (kept on the
	disbursement, so a year's 90k rows read no request)."""
	conditions = {
		"docstatus": 1,
		"company": filters.company,
		"posting_date": ("between", [filters.from_date, filters.to_date]),
	}
	for field in ("aid_service", "beneficiary", "disbursement_type", "branch"):
		if filters.get(field):
			conditions[field] = filters[field]
	if filters.get("fund"):
		conditions[FUND_FIELD] = filters.fund

	rows = frappe.get_list(
		"Aid Disbursement",
		filters=conditions,
		fields=[
			"name",
			"posting_date",
			"assistance_request",
			"beneficiary",
			"beneficiary_name",
			"aid_service",
			"branch",
			"disbursement_type",
			f"{FUND_FIELD} as fund",
			"amount",
			"expense_account",
			"journal_entry",
			"stock_entry",
			"purchase_invoice",
			"received_by",
			"received_on",
		],
		order_by="posting_date asc, name asc",
		limit_page_length=0,
	)
	for row in rows:
		row.vouchers = [(doctype, row.get(field)) for doctype, field in LEDGER_DOCUMENTS if row.get(field)]
	return rows


# --- programme payments ----------------------------------------------------------------------------
def get_programme_lines(filters: frappe._dict) -> list[frappe._dict]:
	"""The households seasonal programmes paid in the period, as register rows: the line, its
	request (whose served value is the amount) and the batch's ledger document. Read like the ledger
	(the report is limited to accounting roles, who need not read the programmes); a user limited to
	branches sees his branches' households only."""
	line, programme = frappe.qb.DocType("Aid Programme Line"), frappe.qb.DocType("Aid Programme")
	request = frappe.qb.DocType("Assistance Request")
	query = (
		frappe.qb.from_(line)
		.join(programme)
		.on(programme.name == line.parent)
		.left_join(request)
		.on(request.name == line.assistance_request)
		.select(
			programme.name.as_("aid_programme"),
			line.name.as_("line"),
			line.paid_on,
			line.assistance_request,
			line.beneficiary,
			line.beneficiary_name,
			programme.aid_service,
			line.branch,
			programme.delivery_type.as_("disbursement_type"),
			programme.charity_fund.as_("fund"),
			request.disbursed_amount.as_("amount"),
			line.journal_entry,
			line.stock_entry,
			line.received_by,
			line.received_on,
		)
		.where(line.parenttype == "Aid Programme")
		.where(line.status == "Paid")
		.where(programme.docstatus == 1)
		.where(programme.company == filters.company)
		.where(line.paid_on >= filters.from_date)
		.where(line.paid_on < period_end(filters))
		.orderby(line.paid_on)
		.orderby(line.parent)
		.orderby(line.idx)
	)
	for field, column in (
		("aid_service", programme.aid_service),
		("beneficiary", line.beneficiary),
		("branch", line.branch),
		("disbursement_type", programme.delivery_type),
		("fund", programme.charity_fund),
	):
		if filters.get(field):
			query = query.where(column == filters[field])
	if filters.branches is not None:
		query = query.where(line.branch.isin(filters.branches or [""]))
	lines = query.run(as_dict=True)
	for row in lines:
		row.posting_date = getdate(row.paid_on)
		row.vouchers = [
			(doctype, row.get(field))
			for doctype, field in (("Journal Entry", "journal_entry"), ("Stock Entry", "stock_entry"))
			if row.get(field)
		]
	return lines


def share_programme_ledger(filters, accounts, lines, ledger: dict) -> None:
	"""Each programme row's part of its batch's ledger document (`gl_amount`). A cash batch debits
	each household on a row naming him (party): his part is read from the ledger. A goods batch is
	one material issue valued as a whole: each household's part is what his request was served, the
	batch's last household taking what rounding left, so the batch adds up to its document.

	A batch pays households of several branches and services: when the register shows part of them
	(a filter, the user's branches), the batch's document counts in the reconciliation for the part
	shown only."""
	cash = {row.journal_entry for row in lines if row.journal_entry}
	by_party = ledger_by_party(filters, accounts, list(cash)) if cash else {}
	goods = goods_shares(ledger, {row.stock_entry for row in lines if row.stock_entry})
	for row in lines:
		if row.journal_entry:
			row.gl_amount = by_party.get((row.journal_entry, row.beneficiary), 0)
		else:
			row.gl_amount = goods.get(row.line, 0)
	if is_partial(filters):
		shown = {}
		for row in lines:
			for key in row.vouchers:
				shown[key] = flt(shown.get(key, 0) + row.gl_amount, 2)
		ledger.update({key: value for key, value in shown.items() if key in ledger})


def goods_shares(ledger: dict, stock_entries: set[str]) -> dict[str, float]:
	"""line -> its household's part of its batch's material issue, over all the batch's lines."""
	if not stock_entries:
		return {}
	line, request = frappe.qb.DocType("Aid Programme Line"), frappe.qb.DocType("Assistance Request")
	rows = (
		frappe.qb.from_(line)
		.left_join(request)
		.on(request.name == line.assistance_request)
		.select(line.name, line.stock_entry, request.disbursed_amount)
		.where(line.parenttype == "Aid Programme")
		.where(line.stock_entry.isin(list(stock_entries)))
		.orderby(line.parent)
		.orderby(line.idx)
		.run(as_dict=True)
	)
	batches = {}
	for row in rows:
		batches.setdefault(row.stock_entry, []).append(row)
	shares = {}
	for stock_entry, batch in batches.items():
		total = ledger.get(("Stock Entry", stock_entry), 0)
		for row in batch[:-1]:
			shares[row.name] = flt(row.disbursed_amount)
		shares[batch[-1].name] = flt(total - sum(flt(row.disbursed_amount) for row in batch[:-1]), 2)
	return shares


def ledger_by_party(filters, accounts: list[str], journal_entries: list[str]) -> dict:
	"""(journal entry, party) -> debit − credit on the aid expense accounts."""
	if not accounts:
		return {}
	gle = frappe.qb.DocType("GL Entry")
	query = (
		frappe.qb.from_(gle)
		.select(gle.voucher_no, gle.party, Sum(gle.debit - gle.credit))
		.where(
			(gle.voucher_type == "Journal Entry")
			& gle.voucher_no.isin(journal_entries)
			& (gle.is_cancelled == 0)
			& gle.account.isin(accounts)
		)
		.groupby(gle.voucher_no, gle.party)
	)
	if filters.get("fund"):
		query = query.where(gle[FUND_FIELD] == filters.fund)
	return {(voucher_no, party): flt(balance) for voucher_no, party, balance in query.run()}


# --- ledger -----------------------------------------------------------------------------------------
def aid_expense_accounts(company: str) -> list[str]:
	"""The company's aid expense accounts: those of Charity Settings, of the aid services and those
	the company's disbursements were posted to."""
	accounts = set()
	for fieldname in EXPENSE_FIELD.values():
		accounts.add(frappe.db.get_single_value("Charity Settings", fieldname))
	service = frappe.qb.DocType("Aid Service")
	accounts.update(
		frappe.qb.from_(service)
		.select(service.expense_account)
		.where(service.expense_account.isnotnull())
		.run(pluck=True)
	)
	disbursement = frappe.qb.DocType("Aid Disbursement")
	accounts.update(
		frappe.qb.from_(disbursement)
		.select(disbursement.expense_account)
		.distinct()
		.where((disbursement.company == company) & (disbursement.docstatus == 1))
		.run(pluck=True)
	)
	accounts.discard(None)
	accounts.discard("")
	if not accounts:
		return []
	account = frappe.qb.DocType("Account")
	return (
		frappe.qb.from_(account)
		.select(account.name)
		.where(account.name.isin(list(accounts)) & (account.company == company))
		.orderby(account.name)
		.run(pluck=True)
	)


def get_ledger(filters: frappe._dict, accounts: list[str], rows: list[frappe._dict]) -> dict:
	"""(voucher_type, voucher_no) -> debit − credit on the aid expense accounts, for the filters."""
	if not accounts:
		return {}
	gle = frappe.qb.DocType("GL Entry")
	query = (
		frappe.qb.from_(gle)
		.select(gle.voucher_type, gle.voucher_no, Sum(gle.debit - gle.credit).as_("balance"))
		.where(
			(gle.company == filters.company)
			& (gle.is_cancelled == 0)
			& (gle.posting_date[filters.from_date : filters.to_date])
			& gle.account.isin(accounts)
		)
		.groupby(gle.voucher_type, gle.voucher_no)
		.orderby(gle.voucher_no)
	)
	if filters.get("fund"):
		query = query.where(gle[FUND_FIELD] == filters.fund)
	if is_partial(filters):
		voucher_nos = [name for row in rows for _doctype, name in row.vouchers]
		condition = gle.voucher_no.isin(voucher_nos or [""])
		if filters.get("beneficiary"):
			condition |= made_out_by_hand(gle, filters.beneficiary)
		elif not voucher_nos:
			return {}
		query = query.where(condition)
	return {(voucher_type, voucher_no): flt(balance) for voucher_type, voucher_no, balance in query.run()}


def made_out_by_hand(gle, beneficiary: str):
	"""Journal entries naming the beneficiary as party that neither a disbursement nor a programme
	posted: the register of one beneficiary shows them (and the difference) instead of reconciling
	without them. The app's own documents are his rows' (or, under another filter, not shown)."""
	journal, line = frappe.qb.DocType("Journal Entry"), frappe.qb.DocType("Aid Programme Line")
	posted_by_app = frappe.qb.from_(journal).select(journal.name).where(journal[LINK_FIELD].isnotnull())
	programme_batches = frappe.qb.from_(line).select(line.journal_entry).where(line.journal_entry.isnotnull())
	return (
		(gle.party_type == PARTY_TYPE)
		& (gle.party == beneficiary)
		& (gle.voucher_type == "Journal Entry")
		& gle.voucher_no.notin(posted_by_app)
		& gle.voucher_no.notin(programme_batches)
	)


# --- rows -------------------------------------------------------------------------------------------
def build_rows(rows: list[frappe._dict], lines: list[frappe._dict], ledger: dict) -> list[frappe._dict]:
	data = []
	matched = set()
	type_labels = {t: _(t) for t in EXPENSE_FIELD}  # once per run, not once per row (a year: 90k rows)
	for row in sorted(rows + lines, key=lambda row: row.posting_date):  # stable: each list in order
		keys = [key for key in row.vouchers if key in ledger]
		matched.update(keys)
		gl_amount = row.gl_amount if row.aid_programme else sum(ledger[key] for key in keys)
		voucher_type, voucher_no = row.vouchers[0] if row.vouchers else (None, None)
		data.append(
			make_row(
				row,
				disbursement=None if row.aid_programme else row.name,
				disbursement_type_label=type_labels.get(row.disbursement_type) or "",
				voucher_type=voucher_type,
				voucher_no=voucher_no,
				gl_amount=gl_amount,
				difference=flt(row.amount) - gl_amount,
			)
		)
	for (voucher_type, voucher_no), balance in ledger.items():
		if (voucher_type, voucher_no) in matched:
			continue
		data.append(
			make_row(
				frappe._dict(),
				beneficiary_name=_("Ledger entry without an aid disbursement"),
				voucher_type=voucher_type,
				voucher_no=voucher_no,
				amount=0,
				gl_amount=balance,
				difference=-balance,
				unmatched=1,
			)
		)
	return data


COLUMN_FIELDS = (
	"disbursement",
	"aid_programme",
	"posting_date",
	"assistance_request",
	"beneficiary",
	"beneficiary_name",
	"aid_service",
	"branch",
	"disbursement_type_label",
	"fund",
	"expense_account",
	"voucher_type",
	"voucher_no",
	"amount",
	"gl_amount",
	"difference",
	"received_by",
	"received_on",
)


def make_row(source: frappe._dict, **values) -> frappe._dict:
	"""A row with every column's key (frappe's total row skips a column a dict row is too short for)."""
	row = frappe._dict({fieldname: source.get(fieldname) for fieldname in COLUMN_FIELDS})
	row.update(values)
	row.disbursement_type = source.get("disbursement_type")
	return row


def reconcile(data: list[frappe._dict], ledger: dict) -> frappe._dict:
	register_total = flt(sum(flt(row.amount) for row in data), 2)
	gl_total = flt(sum(ledger.values()), 2)
	return frappe._dict(
		count=sum(1 for row in data if row.disbursement or row.aid_programme),
		register_total=register_total,
		gl_total=gl_total,
		difference=flt(register_total - gl_total, 2),
	)


# --- columns, message, chart, summary ---------------------------------------------------------------
def get_columns() -> list[dict]:
	return [
		{
			"fieldname": "disbursement",
			"label": _("Aid Disbursement"),
			"fieldtype": "Link",
			"options": "Aid Disbursement",
			"width": 170,
		},
		linked("aid_programme", _("Aid Programme"), "Aid Programme", 170),
		{"fieldname": "posting_date", "label": _("Posting Date"), "fieldtype": "Date", "width": 120},
		linked("assistance_request", _("Assistance Request"), "Assistance Request", 170),
		linked("beneficiary", _("Beneficiary"), "Beneficiary", 160),
		{"fieldname": "beneficiary_name", "label": _("Beneficiary Name"), "fieldtype": "Data", "width": 200},
		linked("aid_service", _("Aid Service"), "Aid Service", 150),
		linked("branch", _("Branch"), "Branch", 120),
		{
			"fieldname": "disbursement_type_label",
			"label": _("Disbursement Type"),
			"fieldtype": "Data",
			"width": 120,
		},
		linked("fund", _("Fund"), "Charity Fund", 120),
		linked("expense_account", _("Aid Expense Account"), "Account", 180),
		{"fieldname": "voucher_type", "label": _("Voucher Type"), "fieldtype": "Data", "width": 120},
		{
			"fieldname": "voucher_no",
			"label": _("Voucher No"),
			"fieldtype": "Dynamic Link",
			"options": "voucher_type",
			"width": 170,
		},
		{"fieldname": "amount", "label": _("Amount"), "fieldtype": "Currency", "width": 120},
		{"fieldname": "gl_amount", "label": _("GL Amount"), "fieldtype": "Currency", "width": 120},
		{"fieldname": "difference", "label": _("Difference"), "fieldtype": "Currency", "width": 110},
		{"fieldname": "received_by", "label": _("Receiver's Name"), "fieldtype": "Data", "width": 160},
		{"fieldname": "received_on", "label": _("Received On"), "fieldtype": "Datetime", "width": 170},
	]


def linked(fieldname: str, label: str, doctype: str, width: int) -> dict:
	"""A column of record names that the register's formatter links to `link_doctype`
	(aid_disbursement_register.js). Not a Link column: frappe's report runner refuses the whole report
	to a user who cannot read the linked DocType (an accountant need not read beneficiaries' files or
	branches). Not a Dynamic Link either: every row would carry its DocType's name, six keys a row
	that made a month's register a quarter larger and slower to send."""
	return {
		"fieldname": fieldname,
		"label": label,
		"fieldtype": "Data",
		"link_doctype": doctype,
		"width": width,
	}


def get_message(reconciliation: frappe._dict, accounts: list[str], currency: str) -> str:
	from frappe.utils import fmt_money

	accounts_text = "، ".join(accounts) if accounts else _("none")
	if abs(reconciliation.difference) < 0.005:
		text = _("The register total {0} equals the GL balance of the aid expense accounts ({1}).").format(
			fmt_money(reconciliation.register_total, currency=currency), accounts_text
		)
		style = "text-success"
	else:
		text = _(
			"The register total {0} differs from the GL balance {1} of the aid expense accounts ({2}) by {3}."
		).format(
			fmt_money(reconciliation.register_total, currency=currency),
			fmt_money(reconciliation.gl_total, currency=currency),
			accounts_text,
			fmt_money(reconciliation.difference, currency=currency),
		)
		style = "text-danger"
	return f'<div class="{style}">{frappe.utils.escape_html(text)}</div>'


def get_chart(rows: list[frappe._dict]) -> dict | None:
	if not rows:
		return None
	totals = {}
	for row in rows:
		totals[row.disbursement_type] = totals.get(row.disbursement_type, 0) + flt(row.amount)
	types = [t for t in EXPENSE_FIELD if t in totals]
	return {
		"data": {
			"labels": [_(t) for t in types],
			"datasets": [{"name": _("Amount"), "values": [totals[t] for t in types]}],
		},
		"type": "bar",
		"fieldtype": "Currency",
		"height": 220,
	}


def get_summary(reconciliation: frappe._dict, currency: str) -> list[dict]:
	balanced = abs(reconciliation.difference) < 0.005
	return [
		{"value": reconciliation.count, "label": _("Disbursements"), "datatype": "Int", "indicator": "Blue"},
		{
			"value": reconciliation.register_total,
			"label": _("Register Total"),
			"datatype": "Currency",
			"currency": currency,
			"indicator": "Blue",
		},
		{
			"value": reconciliation.gl_total,
			"label": _("GL Balance of Aid Expense Accounts"),
			"datatype": "Currency",
			"currency": currency,
			"indicator": "Blue",
		},
		{
			"value": reconciliation.difference,
			"label": _("Difference"),
			"datatype": "Currency",
			"currency": currency,
			"indicator": "Green" if balanced else "Red",
		},
	]

# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""Fund Utilisation (R4.4): what each fund (the ERPNext accounting dimension "Charity Fund") paid out
in aid, period by period, by disbursement type, read from the general ledger: the balance
(debit − credit) of the aid expense accounts in GL Entry, cancelled entries left out.

A tree: one row per fund with its total and its share of all funds, and under it one row per period
with the period's amounts by type and its share of the fund's total. The type of a ledger entry is
that of the disbursement that posted its document; an entry no disbursement posted takes the type
whose aid expense account it is on (Charity Settings), else "Other".
"""

from datetime import date

import frappe
from frappe import _
from frappe.utils import add_months, flt, getdate
from pypika.terms import Field, ValueWrapper

from charity_beneficiary.disbursement.defaults import EXPENSE_FIELD
from charity_beneficiary.disbursement.posting import LEDGER_DOCUMENTS
from charity_beneficiary.disbursement.report.aid_disbursement_register.aid_disbursement_register import (
	aid_expense_accounts,
	prepare_filters,
)
from charity_beneficiary.disbursement.setup import FUND_FIELD
from charity_beneficiary.utils.money import company_currency

TYPE_FIELDS = {"Cash": "cash", "In-Kind": "in_kind", "Provider Service": "provider_service", "Other": "other"}
PERIOD_MONTHS = {"Monthly": 1, "Quarterly": 3, "Half-Yearly": 6, "Yearly": 12}
NO_FUND = "__none__"


# a heavy read: on the read replica when the site has read_from_replica (README, Scaling out)
@frappe.read_only()
def execute(filters: dict | None = None):
	filters = prepare_filters(filters)
	filters.periodicity = filters.get("periodicity") or "Monthly"
	accounts = aid_expense_accounts(filters.company)
	entries = get_entries(filters, accounts)
	data, totals = build_tree(entries, filters)
	return (
		get_columns(),
		data,
		None,
		get_chart(totals),
		get_summary(totals, company_currency(filters.company)),
	)


# --- ledger -----------------------------------------------------------------------------------------
def get_entries(filters: frappe._dict, accounts: list[str]) -> list[frappe._dict]:
	"""Ledger balances on the aid expense accounts by fund, month, disbursement type and account, summed
	in SQL from the app's index on GL Entry (disbursement/ledger_index.py), so a year of 100k
	disbursements is a few hundred rows."""
	if not accounts:
		return []
	account_types = {
		frappe.db.get_single_value("Charity Settings", fieldname): disbursement_type
		for disbursement_type, fieldname in EXPENSE_FIELD.items()
	}
	kinds = types_by_document()
	if kinds is not None:  # a programme pays cash by journal entry and goods by material issue
		kinds = {**{doctype: kind for doctype, _field, kind in PROGRAMME_DOCUMENTS}, **kinds}
	entries = (
		sum_ledger(filters, accounts, typed=True)
		if kinds is None
		else told_apart(filters, accounts, kinds, account_types)
	)
	for entry in entries:
		# an entry no disbursement posted takes the type whose aid expense account it is on
		entry.disbursement_type = entry.posted_type or account_types.get(entry.account) or "Other"
	return entries


def told_apart(filters: frappe._dict, accounts: list[str], kinds: dict, account_types: dict) -> list:
	"""The ledger summed by kind of voucher, without looking up a single disbursement where the kind and
	the account tell the same type: a Journal Entry on the cash aid account is Cash whether a
	disbursement posted it or not (most of the ledger: 0.27 s instead of 0.69 s for a year's 100k
	rows). Only the (account, kind) groups where they differ (say, a service's own expense account)
	are summed again with the lookup (posted_type_term)."""
	entries, unsure = [], set()
	for entry in sum_ledger(filters, accounts, typed=False):
		kind = kinds.get(entry.voucher_type)
		if kind is None or kind == account_types.get(entry.account):
			entry.posted_type = kind
			entries.append(entry)
		else:
			unsure.add((entry.account, entry.voucher_type))
	if unsure:
		entries += [
			entry
			for entry in sum_ledger(
				filters,
				sorted({account for account, _kind in unsure}),
				typed=True,
				voucher_types=sorted({kind for _account, kind in unsure}),
			)
			if (entry.account, entry.voucher_type) in unsure
		]
	return entries


def sum_ledger(
	filters: frappe._dict, accounts: list[str], typed: bool, voucher_types: list[str] | None = None
) -> list[frappe._dict]:
	"""Balances by fund, month, account and kind of voucher; `typed`: also by the type of the
	disbursement that posted the voucher (a lookup per ledger row)."""
	from frappe.query_builder.functions import Sum
	from pypika.functions import Extract

	gle = frappe.qb.DocType("GL Entry")
	year, month = Extract("year", gle.posting_date), Extract("month", gle.posting_date)
	columns = [
		gle[FUND_FIELD].as_("fund"),
		year.as_("year"),
		month.as_("month"),
		gle.account,
		gle.voucher_type,
	]
	groups = [gle[FUND_FIELD], year, month, gle.account, gle.voucher_type]
	if typed:
		columns.append(posted_type_term(gle).as_("posted_type"))
		# by the alias: the sub-queries of the type are not evaluated again for the grouping
		groups.append(Field("posted_type"))
	query = (
		frappe.qb.from_(gle)
		.select(*columns, Sum(gle.debit - gle.credit).as_("balance"))
		.where(
			(gle.company == filters.company)
			& (gle.is_cancelled == 0)
			& (gle.posting_date[filters.from_date : filters.to_date])
			& gle.account.isin(accounts)
		)
		.groupby(*groups)
	)
	if voucher_types:
		query = query.where(gle.voucher_type.isin(voucher_types))
	if filters.get("fund"):
		query = query.where(gle[FUND_FIELD] == filters.fund)
	return query.run(as_dict=True)


def posted_type_term(gle):
	"""The type of the disbursement that posted a ledger entry's voucher, None if none did.

	Each type posts one kind of document (posting.post), so when the disbursements show one type per
	kind, an index-only EXISTS on the voucher's link tells the type: about half the time of joining
	every one of a year's 100k ledger rows to its disbursement to read the type. Otherwise (never,
	unless the posting changes) it is read by a sub-query per kind of document."""
	from frappe.query_builder.functions import Coalesce
	from pypika.terms import Case, ExistsCriterion

	types = types_by_document()
	if types is None:
		return Coalesce(
			*(type_of_voucher(gle, doctype, field) for doctype, field in LEDGER_DOCUMENTS),
			programme_type(gle, Case()),
		)
	case = programme_type(gle, Case())
	for doctype, fieldname in LEDGER_DOCUMENTS:
		if doctype not in types:
			continue  # no disbursement posts this kind of document
		disbursement = frappe.qb.DocType("Aid Disbursement").as_(f"by_{fieldname}")
		posted = (
			frappe.qb.from_(disbursement)
			.select(disbursement.name)
			.where(disbursement[fieldname] == gle.voucher_no)
		)
		case = case.when((gle.voucher_type == doctype) & ExistsCriterion(posted), types[doctype])
	return case


# what a seasonal programme posts for a batch (programmes/run.py): its lines name the document
PROGRAMME_DOCUMENTS = (("Journal Entry", "journal_entry", "Cash"), ("Stock Entry", "stock_entry", "In-Kind"))


def programme_type(gle, case):
	"""`case` with the type of a programme's batch document: a programme pays cash by journal entry
	and goods by material issue, whatever account its service expenses them to."""
	from pypika.terms import ExistsCriterion

	for doctype, fieldname, disbursement_type in PROGRAMME_DOCUMENTS:
		line = frappe.qb.DocType("Aid Programme Line").as_(f"line_{fieldname}")
		paid = frappe.qb.from_(line).select(line.name).where(line[fieldname] == gle.voucher_no)
		case = case.when((gle.voucher_type == doctype) & ExistsCriterion(paid), disbursement_type)
	return case


def type_of_voucher(gle, doctype: str, fieldname: str):
	"""The type of the disbursement whose `fieldname` is the entry's voucher (a scalar sub-query)."""
	disbursement = frappe.qb.DocType("Aid Disbursement").as_(f"of_{fieldname}")
	return (
		frappe.qb.from_(disbursement)
		.select(disbursement.disbursement_type)
		.where((gle.voucher_type == doctype) & (disbursement[fieldname] == gle.voucher_no))
		.limit(1)
	)


def types_by_document() -> dict[str, str] | None:
	"""Document kind -> the one disbursement type that posts it; None when a kind has several types."""
	from frappe.query_builder.functions import Count

	disbursement = frappe.qb.DocType("Aid Disbursement")
	rows = (
		frappe.qb.from_(disbursement)
		.select(
			disbursement.disbursement_type,
			*(Count(disbursement[fieldname]).as_(fieldname) for _doctype, fieldname in LEDGER_DOCUMENTS),
		)
		.groupby(disbursement.disbursement_type)
		.run(as_dict=True)
	)
	types = {}
	for doctype, fieldname in LEDGER_DOCUMENTS:
		posting = [row.disbursement_type for row in rows if row[fieldname]]
		if len(posting) > 1:
			return None
		if posting:
			types[doctype] = posting[0]
	return types


# --- periods ----------------------------------------------------------------------------------------
def period_start(day, periodicity: str) -> date:
	"""The first day of the period (month, quarter, half or calendar year) the date falls in."""
	day = getdate(day)
	return month_period(day.year, day.month, periodicity)


def month_period(year: int, month: int, periodicity: str) -> date:
	"""The first day of the period of a month: the ledger is grouped by month, never read per row."""
	months = PERIOD_MONTHS.get(periodicity, 1)
	return date(int(year), ((int(month) - 1) // months) * months + 1, 1)


def period_label(start, periodicity: str) -> str:
	if periodicity == "Yearly":
		return str(start.year)
	if periodicity == "Quarterly":
		return f"{start.year} Q{(start.month - 1) // 3 + 1}"
	if periodicity == "Half-Yearly":
		return f"{start.year} H{(start.month - 1) // 6 + 1}"
	return start.strftime("%Y-%m")


def periods_between(from_date, to_date, periodicity: str) -> list:
	start, end = period_start(from_date, periodicity), getdate(to_date)
	periods = []
	while start <= end:
		periods.append(start)
		start = getdate(add_months(start, PERIOD_MONTHS.get(periodicity, 1)))
	return periods


# --- tree -------------------------------------------------------------------------------------------
def empty_amounts() -> dict:
	return {fieldname: 0.0 for fieldname in TYPE_FIELDS.values()} | {"total": 0.0}


def build_tree(entries: list[frappe._dict], filters: frappe._dict) -> tuple[list[dict], frappe._dict]:
	by_fund: dict[str, dict] = {}
	for entry in entries:
		fund = entry.fund or NO_FUND
		start = month_period(entry.year, entry.month, filters.periodicity)
		periods = by_fund.setdefault(fund, {})
		amounts = periods.setdefault(start, empty_amounts())
		amounts[TYPE_FIELDS[entry.disbursement_type]] += flt(entry.balance)
		amounts["total"] += flt(entry.balance)

	grand = empty_amounts()
	fund_totals = {}
	for fund, periods in by_fund.items():
		fund_total = empty_amounts()
		for amounts in periods.values():
			for key, value in amounts.items():
				fund_total[key] += value
				grand[key] += value
		fund_totals[fund] = fund_total

	data = []
	for fund in sorted(by_fund, key=lambda f: (f == NO_FUND, f)):
		fund_total = fund_totals[fund]
		# a fund's name is translatable (Charity Fund is a translated doctype), as its link column shows it
		label = _("Without Fund") if fund == NO_FUND else _(fund)
		data.append(
			{
				"fund": None if fund == NO_FUND else fund,
				"period": label,
				"indent": 0,
				"is_fund": 1,
				**rounded(fund_total),
				"share": share(fund_total["total"], grand["total"]),
			}
		)
		for start in periods_between(filters.from_date, filters.to_date, filters.periodicity):
			amounts = by_fund[fund].get(start)
			if not amounts:
				continue
			data.append(
				{
					"fund": None if fund == NO_FUND else fund,
					"period": period_label(start, filters.periodicity),
					"period_start": start,
					"indent": 1,
					"is_fund": 0,
					**rounded(amounts),
					"share": share(amounts["total"], fund_total["total"]),
				}
			)
	totals = frappe._dict(rounded(grand))
	totals.funds = {fund: flt(values["total"], 2) for fund, values in fund_totals.items()}
	return data, totals


def rounded(amounts: dict) -> dict:
	return {key: flt(value, 2) for key, value in amounts.items()}


def share(part: float, whole: float) -> float:
	return flt(flt(part) * 100 / flt(whole), 2) if flt(whole) else 0.0


# --- columns, chart, summary ------------------------------------------------------------------------
def get_columns() -> list[dict]:
	return [
		{"fieldname": "period", "label": _("Fund / Period"), "fieldtype": "Data", "width": 200},
		{
			"fieldname": "fund",
			"label": _("Fund"),
			"fieldtype": "Link",
			"options": "Charity Fund",
			"width": 130,
		},
		{"fieldname": "cash", "label": _("Cash"), "fieldtype": "Currency", "width": 120},
		{"fieldname": "in_kind", "label": _("In-Kind"), "fieldtype": "Currency", "width": 120},
		{
			"fieldname": "provider_service",
			"label": _("Provider Service"),
			"fieldtype": "Currency",
			"width": 130,
		},
		{"fieldname": "other", "label": _("Other"), "fieldtype": "Currency", "width": 100},
		{"fieldname": "total", "label": _("Total"), "fieldtype": "Currency", "width": 130},
		{"fieldname": "share", "label": _("Share %"), "fieldtype": "Percent", "width": 90},
	]


def get_chart(totals: frappe._dict) -> dict | None:
	funds = [fund for fund in totals.funds if fund != NO_FUND]
	if not funds:
		return None
	return {
		"data": {
			"labels": [_(fund) for fund in funds],
			"datasets": [{"name": _("Total"), "values": [totals.funds[fund] for fund in funds]}],
		},
		# no "fieldtype": frappe formats a donut's legend values with it as block HTML, which the legend
		# then prints as text ("<div style='text-align: right'>…</div>"); the summary shows the currency
		"type": "donut",
		"height": 240,
	}


def get_summary(totals: frappe._dict, currency: str) -> list[dict]:
	summary = [
		{
			"value": totals[fieldname],
			"label": _(disbursement_type),
			"datatype": "Currency",
			"currency": currency,
			"indicator": "Blue",
		}
		for disbursement_type, fieldname in TYPE_FIELDS.items()
		if disbursement_type != "Other" or totals[fieldname]
	]
	summary.append(
		{
			"value": totals.total,
			"label": _("Total"),
			"datatype": "Currency",
			"currency": currency,
			"indicator": "Green",
		}
	)
	return summary

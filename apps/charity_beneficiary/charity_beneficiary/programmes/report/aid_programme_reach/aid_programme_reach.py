"""Aid Programme Reach (R6.2, R4.4): per programme, branch and category — households eligible,
selected and reached (paid), the amount paid against the budget, and the receipts still unsigned.

One grouped query; a household of several categories counts under each of them (a category row
per household and category), the programme's totals row (category and branch empty) counts it once.
The report's totals are the programme rows' alone (its summary): frappe's total row added the
programme rows and their detail rows together, counting each household and amount twice or more.
"""

import frappe
from frappe import _
from frappe.query_builder import Case, DocType
from frappe.query_builder.functions import Coalesce, Count, Sum
from frappe.utils import flt

from charity_beneficiary.utils.money import company_currency


def execute(filters=None):
	filters = frappe._dict(filters or {})
	frappe.has_permission("Aid Programme", "read", throw=True)
	rows = data(filters)
	return columns(), rows, None, None, summary(rows)


SUMMED = (
	("eligible", "Eligible", "Int"),
	("selected", "Selected", "Int"),
	("reached", "Reached", "Int"),
	("planned_amount", "Planned Amount", "Currency"),
	("paid_amount", "Amount Paid", "Currency"),
	("budget_amount", "Budget Amount", "Currency"),
)


def summary(rows: list[dict]) -> list[dict]:
	"""Totals over the programmes (indent 0), each household and amount once."""
	programmes = [row for row in rows if not row.get("indent")]
	if not programmes:
		return []
	currency = company_currency()
	return [
		{
			"label": _(label),
			"value": sum(flt(row.get(fieldname)) for row in programmes),
			"datatype": fieldtype,
			**({"currency": currency} if fieldtype == "Currency" else {}),
		}
		for fieldname, label, fieldtype in SUMMED
	]


def columns() -> list[dict]:
	currency = company_currency()
	return [
		{
			"fieldname": "programme",
			"label": _("Aid Programme"),
			"fieldtype": "Link",
			"options": "Aid Programme",
			"width": 170,
		},
		{"fieldname": "branch", "label": _("Branch"), "fieldtype": "Link", "options": "Branch", "width": 130},
		{
			"fieldname": "category",
			"label": _("Category"),
			"fieldtype": "Link",
			"options": "Beneficiary Category",
			"width": 130,
		},
		{"fieldname": "eligible", "label": _("Eligible"), "fieldtype": "Int", "width": 90},
		{"fieldname": "selected", "label": _("Selected"), "fieldtype": "Int", "width": 90},
		{"fieldname": "reached", "label": _("Reached"), "fieldtype": "Int", "width": 90},
		{
			"fieldname": "planned_amount",
			"label": _("Planned Amount"),
			"fieldtype": "Currency",
			"options": currency,
			"width": 120,
		},
		{
			"fieldname": "paid_amount",
			"label": _("Amount Paid"),
			"fieldtype": "Currency",
			"options": currency,
			"width": 120,
		},
		{
			"fieldname": "budget_amount",
			"label": _("Budget Amount"),
			"fieldtype": "Currency",
			"options": currency,
			"width": 120,
		},
		{"fieldname": "unsigned_receipts", "label": _("Receipts Unsigned"), "fieldtype": "Int", "width": 110},
	]


def data(filters) -> list[dict]:
	programmes = frappe.get_list(
		"Aid Programme",
		filters={"docstatus": 1, **({"name": filters.programme} if filters.programme else {})},
		fields=["name", "budget_amount"],
		limit_page_length=0,
	)
	if not programmes:
		return []
	# two queries for all the programmes, their rows then grouped here
	names = [p.name for p in programmes]
	overall = {row.programme: row for row in totals(names, by_category=False)}
	details = {}
	for row in totals(names, by_category=True):
		details.setdefault(row.programme, []).append(row)
	rows = []
	for p in programmes:
		rows.append(
			{"programme": p.name, "budget_amount": p.budget_amount, "indent": 0, **overall.get(p.name, {})}
		)
		rows += [{**row, "indent": 1} for row in details.get(p.name, [])]
	return rows


def totals(programmes: list[str], by_category: bool) -> list[dict]:
	"""What was paid is what each household's request was served: the line's amount for cash, the
	value its goods were issued at for a basket (whose line carries no amount)."""
	line, request = DocType("Aid Programme Line"), DocType("Assistance Request")
	selected = (line.excluded == 0) & (line.beyond_budget == 0)
	paid = line.status == "Paid"
	query = (
		frappe.qb.from_(line)
		.left_join(request)
		.on(request.name == line.assistance_request)
		.select(
			line.parent.as_("programme"),
			Count(line.name).as_("eligible"),
			Sum(Case().when(selected, 1).else_(0)).as_("selected"),
			Sum(Case().when(paid, 1).else_(0)).as_("reached"),
			Sum(line.amount).as_("planned_amount"),
			Sum(Case().when(paid, Coalesce(request.disbursed_amount, line.amount)).else_(0)).as_(
				"paid_amount"
			),
			Sum(Case().when(paid & line.received_on.isnull(), 1).else_(0)).as_("unsigned_receipts"),
		)
		.where(line.parenttype == "Aid Programme")
		.where(line.parent.isin(programmes))
		.groupby(line.parent)
	)
	if by_category:
		category = DocType("Beneficiary Category Row")
		query = (
			query.left_join(category)
			.on((category.parent == line.beneficiary) & (category.parenttype == "Beneficiary"))
			.select(line.branch, Coalesce(category.category, "").as_("category"))
			.groupby(line.branch, category.category)
			.orderby(line.branch)
			.orderby(category.category)
		)
	return query.run(as_dict=True)

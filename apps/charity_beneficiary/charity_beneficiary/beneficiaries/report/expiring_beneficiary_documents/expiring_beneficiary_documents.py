# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""Expiring Beneficiary Documents (R6.2): the identities and documents that expire within N days
(the reminder days of Charity Settings unless the filter says otherwise), and those already expired,
so the officer can call the family before the aid stops.

Rows come through frappe.get_list, so each user sees only the beneficiaries his permissions allow
(a branch representative his branch's). The Hijri dates are the ones stored on the records."""

from datetime import timedelta
from typing import NamedTuple

import frappe
from frappe import _
from frappe.utils import cint, getdate, today

from charity_beneficiary.beneficiaries.reminders import TOLD_STATUSES, setting

ROW_LIMIT = 500  # per source (identities, documents), the soonest first
BENEFICIARY_FIELDS = ["name as beneficiary", "beneficiary_name", "branch", "mobile_no"]


class NegativeDaysError(frappe.ValidationError):
	"""The report's "days" filter is negative."""


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	day = getdate(today())
	days = cint(filters.days) if filters.days not in (None, "") else setting("document_reminder_days")
	if days < 0:
		frappe.throw(_("The number of days cannot be negative"), exc=NegativeDaysError)
	start = None if cint(filters.get("include_expired", 1)) else day
	end = day + timedelta(days=days)
	rows = expiries(IDENTITY, filters, start, end) + expiries(DOCUMENT, filters, start, end)
	rows.sort(key=lambda row: (row.expiry_date, row.beneficiary))
	labels = {name: _(name) for name in {row.document_type for row in rows}}  # once per type, not per row
	expired, expiring = _("Expired"), _("Expiring")
	for row in rows:
		row.days_left = (row.expiry_date - day).days
		row.document = labels[row.document_type]
		row.status = expired if row.days_left < 0 else expiring
	return get_columns(), rows


def common_filters(filters) -> list:
	conditions = [["Beneficiary", "status", "in", TOLD_STATUSES]]
	if filters.branch:
		conditions.append(["Beneficiary", "branch", "=", filters.branch])
	return conditions


def date_filters(doctype: str, fieldname: str, start, end) -> list:
	if start:
		return [[doctype, fieldname, "between", [start, end]]]
	# frappe reads an empty date as 0001-01-01 for "<=": a record without an expiry is not listed
	return [[doctype, fieldname, "is", "set"], [doctype, fieldname, "<=", end]]


class Source(NamedTuple):
	"""Where an expiry is kept: the identity on the beneficiary, or a row of his documents."""

	doctype: str
	type_field: str
	date_field: str
	hijri_field: str

	def column(self, fieldname: str) -> str:
		return f"`tab{self.doctype}`.{fieldname}"


IDENTITY = Source("Beneficiary", "id_type", "id_expiry_date", "id_expiry_hijri")
DOCUMENT = Source("Beneficiary Document", "document_type", "expiry_date", "expiry_date_hijri")


def expiries(source: Source, filters, start, end) -> list[frappe._dict]:
	"""The beneficiaries' expiries kept in `source`, as report rows, the soonest first."""
	return frappe.get_list(
		"Beneficiary",
		fields=[
			*BENEFICIARY_FIELDS,
			f"{source.column(source.type_field)} as document_type",
			f"{source.column(source.date_field)} as expiry_date",
			f"{source.column(source.hijri_field)} as expiry_hijri",
		],
		filters=common_filters(filters) + date_filters(source.doctype, source.date_field, start, end),
		order_by=f"{source.column(source.date_field)} asc",
		limit_page_length=ROW_LIMIT,
	)


def get_columns() -> list[dict]:
	return [
		{
			"fieldname": "beneficiary",
			"label": _("Beneficiary"),
			"fieldtype": "Link",
			"options": "Beneficiary",
			"width": 160,
		},
		{
			"fieldname": "beneficiary_name",
			"label": _("Full Name (Arabic)"),
			"fieldtype": "Data",
			"width": 200,
		},
		{"fieldname": "branch", "label": _("Branch"), "fieldtype": "Link", "options": "Branch", "width": 120},
		{"fieldname": "mobile_no", "label": _("Mobile No"), "fieldtype": "Data", "width": 140},
		{"fieldname": "document", "label": _("Document"), "fieldtype": "Data", "width": 160},
		{"fieldname": "expiry_date", "label": _("Expiry Date"), "fieldtype": "Date", "width": 120},
		{"fieldname": "expiry_hijri", "label": _("Expiry Date (Hijri)"), "fieldtype": "Data", "width": 130},
		{"fieldname": "days_left", "label": _("Days Left"), "fieldtype": "Int", "width": 90},
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 90},
	]

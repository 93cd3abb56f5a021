# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""Assistance Request Ageing (R3.4): the submitted requests still waiting for a decision, with their
answer date, how late they are and their ageing bucket (sla.py), as of a date (today by default).

Rows come through frappe.get_list, so each user sees only the requests his permissions allow
(researchers their assigned ones, branch representatives their branch)."""

import frappe
from frappe import _
from frappe.utils import getdate, today

from charity_beneficiary.assistance import sla
from charity_beneficiary.assistance.escalation import PENDING_STATES, pending_filters

# The "bucket" filter also takes this value: both overdue buckets together.
ALL_OVERDUE = "Overdue"
OVERDUE_BUCKETS = (sla.OVERDUE_MORE_THAN_WEEK, sla.OVERDUE)
BUCKET_COLORS = {
	sla.OVERDUE_MORE_THAN_WEEK: ("#CB2929", "Red"),
	sla.OVERDUE: ("#F5A623", "Orange"),
	sla.DUE_SOON: ("#ECAD4B", "Yellow"),
	sla.ON_TRACK: ("#29CD42", "Green"),
}


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	as_of = getdate(filters.get("as_of_date") or today())
	data = get_data(filters, as_of)
	counts = {bucket: 0 for bucket in sla.BUCKETS}
	for row in data:
		counts[row.bucket_key] += 1
	return get_columns(), data, None, get_chart(counts), get_summary(counts)


def bucket_label(bucket: str) -> str:
	"""The translated label of an sla.BUCKETS value."""
	return {
		sla.OVERDUE_MORE_THAN_WEEK: _("Overdue more than 7 days"),
		sla.OVERDUE: _("Overdue 1-7 days"),
		sla.DUE_SOON: _("Due within 2 days"),
		sla.ON_TRACK: _("On track"),
	}[bucket]


def get_columns() -> list[dict]:
	return [
		{
			"fieldname": "name",
			"label": _("Assistance Request"),
			"fieldtype": "Link",
			"options": "Assistance Request",
			"width": 160,
		},
		{"fieldname": "beneficiary_name", "label": _("Beneficiary Name"), "fieldtype": "Data", "width": 200},
		{
			"fieldname": "aid_service",
			"label": _("Aid Service"),
			"fieldtype": "Link",
			"options": "Aid Service",
			"width": 160,
		},
		{"fieldname": "branch", "label": _("Branch"), "fieldtype": "Link", "options": "Branch", "width": 150},
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 140},
		{"fieldname": "received_on", "label": _("Received On"), "fieldtype": "Date", "width": 110},
		{
			"fieldname": "expected_decision_date",
			"label": _("Expected Decision Date"),
			"fieldtype": "Date",
			"width": 130,
		},
		{"fieldname": "days_overdue", "label": _("Days Overdue"), "fieldtype": "Int", "width": 110},
		{"fieldname": "bucket", "label": _("Ageing"), "fieldtype": "Data", "width": 170},
		{
			"fieldname": "researcher",
			"label": _("Assigned Researcher"),
			"fieldtype": "Link",
			"options": "User",
			"width": 180,
		},
	]


def get_data(filters: frappe._dict, as_of) -> list[frappe._dict]:
	conditions = pending_filters()
	for field in ("branch", "aid_service"):
		if filters.get(field):
			conditions[field] = filters[field]
	if filters.get("workflow_state") in PENDING_STATES:
		conditions["workflow_state"] = filters.workflow_state

	rows = frappe.get_list(
		"Assistance Request",
		filters=conditions,
		fields=[
			"name",
			"beneficiary_name",
			"aid_service",
			"branch",
			"workflow_state",
			"received_on",
			"expected_decision_date",
			"researcher",
		],
		order_by="expected_decision_date asc, name asc",
	)

	wanted = filters.get("bucket")
	data = []
	for row in rows:
		expected = getdate(row.expected_decision_date)
		bucket = sla.ageing_bucket(expected, as_of)
		if wanted and not (bucket == wanted or (wanted == ALL_OVERDUE and bucket in OVERDUE_BUCKETS)):
			continue
		row.update(
			{
				"status": _(row.workflow_state),
				"days_overdue": sla.days_overdue(expected, as_of),
				"bucket_key": bucket,
				"bucket": bucket_label(bucket),
			}
		)
		data.append(row)
	return data


def get_chart(counts: dict) -> dict:
	return {
		"data": {
			"labels": [bucket_label(bucket) for bucket in sla.BUCKETS],
			"datasets": [{"name": _("Requests"), "values": [counts[bucket] for bucket in sla.BUCKETS]}],
		},
		"type": "donut",
		"colors": [BUCKET_COLORS[bucket][0] for bucket in sla.BUCKETS],
		"height": 260,
	}


def get_summary(counts: dict) -> list[dict]:
	return [
		{
			"value": counts[bucket],
			"label": bucket_label(bucket),
			"datatype": "Int",
			"indicator": BUCKET_COLORS[bucket][1],
		}
		for bucket in sla.BUCKETS
	]

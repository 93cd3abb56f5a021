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
from charity_beneficiary.assistance.escalation import PENDING_STATES, REQUEST_FIELDS, pending_filters

# The "bucket" filter also takes this value: both overdue buckets together.
ALL_OVERDUE = "Overdue"
OVERDUE_BUCKETS = (sla.OVERDUE_MORE_THAN_WEEK, sla.OVERDUE)
# Rows shown at most (the most overdue first); the summary and the chart count every request.
ROW_LIMIT = 500
BUCKET_COLORS = {
	sla.OVERDUE_MORE_THAN_WEEK: ("#CB2929", "Red"),
	sla.OVERDUE: ("#F5A623", "Orange"),
	sla.DUE_SOON: ("#ECAD4B", "Yellow"),
	sla.ON_TRACK: ("#29CD42", "Green"),
}


# a heavy read: on the read replica when the site has read_from_replica (README, Scaling out)
@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	as_of = getdate(filters.get("as_of_date") or today())
	conditions = get_conditions(filters, as_of)
	labels = bucket_labels()
	counts = count_by_bucket(conditions, as_of)
	data = get_data(conditions, as_of, labels)
	return (
		get_columns(),
		data,
		row_limit_message(len(data), counts),
		get_chart(counts, labels),
		get_summary(counts, labels),
	)


def bucket_labels() -> dict[str, str]:
	"""The four labels, translated once per run (not once per row)."""
	return {
		sla.OVERDUE_MORE_THAN_WEEK: _("Overdue more than 7 days"),
		sla.OVERDUE: _("Overdue 1-7 days"),
		sla.DUE_SOON: _("Due within 2 days"),
		sla.ON_TRACK: _("On track"),
	}


def get_columns() -> list[dict]:
	return [
		{
			"fieldname": "name",
			"label": _("Assistance Request"),
			"fieldtype": "Link",
			"options": "Assistance Request",
			"width": 170,
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
		{"fieldname": "received_on", "label": _("Received On"), "fieldtype": "Date", "width": 120},
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


def get_conditions(filters: frappe._dict, as_of) -> list[list]:
	"""The request filters of the report; the ageing bucket becomes a range of answer dates, so the
	database selects by (workflow_state, expected_decision_date) instead of the report by row."""
	conditions = [
		[field, *value] if isinstance(value, list) else [field, "=", value]
		for field, value in pending_filters().items()
	]
	for field in ("branch", "aid_service"):
		if filters.get(field):
			conditions.append([field, "=", filters[field]])
	if filters.get("workflow_state") in PENDING_STATES:
		conditions.append(["workflow_state", "=", filters.workflow_state])
	wanted = filters.get("bucket")
	if wanted in sla.BUCKETS or wanted == ALL_OVERDUE:
		first, last = (
			(sla.bucket_dates(OVERDUE_BUCKETS[0], as_of)[0], sla.bucket_dates(OVERDUE_BUCKETS[1], as_of)[1])
			if wanted == ALL_OVERDUE
			else sla.bucket_dates(wanted, as_of)
		)
		if first:
			conditions.append(["expected_decision_date", ">=", first])
		if last:
			conditions.append(["expected_decision_date", "<=", last])
	return conditions


def count_by_bucket(conditions: list[list], as_of) -> dict[str, int]:
	"""Requests per bucket over all the rows the user may read, grouped by answer date in SQL (a few
	hundred dates, never one row per request). frappe.get_list keeps the permission rules."""
	per_day = frappe.get_list(
		"Assistance Request",
		filters=conditions,
		fields=["expected_decision_date", "count(*) as requests"],
		group_by="expected_decision_date",
		order_by=None,
	)
	counts = dict.fromkeys(sla.BUCKETS, 0)
	for day in per_day:
		counts[sla.ageing_bucket(getdate(day.expected_decision_date), as_of)] += day.requests
	return counts


def get_data(conditions: list[list], as_of, labels: dict[str, str]) -> list[frappe._dict]:
	"""The most overdue requests first, at most ROW_LIMIT: the manager acts on the top of the list and
	narrows it with the filters; the summary and the chart count them all."""
	rows = frappe.get_list(
		"Assistance Request",
		filters=[["name", "in", most_overdue(conditions)]],
		fields=list(REQUEST_FIELDS),
		order_by="expected_decision_date asc, name asc",
	)
	states = {state: _(state) for state in PENDING_STATES}
	for row in rows:
		expected = getdate(row.expected_decision_date)
		bucket = sla.ageing_bucket(expected, as_of)
		row.update(
			{
				"status": states.get(row.workflow_state, row.workflow_state),
				"days_overdue": sla.days_overdue(expected, as_of),
				"bucket_key": bucket,
				"bucket": labels[bucket],
			}
		)
	return rows


def most_overdue(conditions: list[list]) -> list[str]:
	"""The names of the ROW_LIMIT most overdue requests. Sorting only (answer date, name) lets MariaDB
	read them from the pending index alone; the rows' other columns are then read for these few,
	instead of for every open request before the sort (issue 14: 85k open requests)."""
	return frappe.get_list(
		"Assistance Request",
		filters=conditions,
		pluck="name",
		order_by="expected_decision_date asc, name asc",
		limit_page_length=ROW_LIMIT,
	) or [""]


def row_limit_message(shown: int, counts: dict[str, int]) -> str | None:
	total = sum(counts.values())
	if shown >= total:
		return None
	return _("Showing the {0} most overdue of {1} requests; narrow the filters to see the others.").format(
		shown, total
	)


def get_chart(counts: dict, labels: dict[str, str]) -> dict:
	return {
		"data": {
			"labels": [labels[bucket] for bucket in sla.BUCKETS],
			"datasets": [{"name": _("Requests"), "values": [counts[bucket] for bucket in sla.BUCKETS]}],
		},
		"type": "donut",
		"colors": [BUCKET_COLORS[bucket][0] for bucket in sla.BUCKETS],
		"height": 260,
	}


def get_summary(counts: dict, labels: dict[str, str]) -> list[dict]:
	return [
		{
			"value": counts[bucket],
			"label": labels[bucket],
			"datatype": "Int",
			"indicator": BUCKET_COLORS[bucket][1],
		}
		for bucket in sla.BUCKETS
	]

# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""Service Quality (R5.3): CSAT %, NPS and response rate of the satisfaction surveys, complaints by type and
their resolution time, grouped by service, branch, channel, staff member or month.

Only grouped figures leave this report (R5.1). A response counts in the survey figures only when it
is in a group of at least Service Quality Settings' min_group_size responses under every grouping at
once (service, branch, channel, staff member, month): every grouping then shows the same responses, so
one grouping's figures cannot be subtracted from another's to read a single answer (blanking small
groups in the grouping shown alone let a branch's only answer be read off the service's total). The
period is taken in whole months for the same reason: two periods a day apart would differ by that
day's answers. The data is read without the user's permissions on Survey Response
(which only managers read) precisely because nothing individual is returned; but the record-level
rules of the lists still hold: a user restricted to branches sees the figures of his branches only,
the feedback is read as the user's own list of it, and only those who may read the survey responses
(the managers) see the figures of each staff member (R5.3).

CSAT and NPS as in scoring.py: CSAT = mean of the responses' satisfaction scores (share of ratings 4-5
and Yes answers); NPS = % promoters (9-10) - % detractors (0-6).
"""

from collections import Counter, defaultdict

import frappe
from frappe import _
from frappe.utils import add_months, get_first_day, get_fullname, get_last_day, getdate, today

from charity_beneficiary.beneficiaries.branch_access import allowed_branches
from charity_beneficiary.service_quality import scoring, settings

SERVICE, BRANCH, CHANNEL, STAFF, MONTH = "Service", "Branch", "Channel", "Staff Member", "Month"
GROUPINGS = (SERVICE, BRANCH, CHANNEL, STAFF, MONTH)
NOT_SET = "__not_set__"
FEEDBACK_TYPES = ("Complaint", "Suggestion", "Praise", "Inquiry")

# The column of each record that a grouping reads (survey response, invitation, feedback).
RESPONSE_KEYS = {
	SERVICE: "aid_service",
	BRANCH: "branch",
	CHANNEL: "channel",
	STAFF: "served_by",
	MONTH: "submitted_on",
}
RESPONSE_FIELDS = [*RESPONSE_KEYS.values(), "satisfaction_score", "nps_score"]
INVITATION_KEYS = {
	SERVICE: "aid_service",
	BRANCH: "branch",
	CHANNEL: "channel",
	STAFF: "served_by",
	MONTH: "creation",
}
FEEDBACK_KEYS = {
	SERVICE: "aid_service",
	BRANCH: "branch",
	CHANNEL: "channel",
	STAFF: "assigned_to",
	MONTH: "creation",
}


# a heavy read: on the read replica when the site has read_from_replica (README, Scaling out)
@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	group_by = filters.get("group_by") or SERVICE
	if group_by not in GROUPINGS:
		frappe.throw(_("Unknown grouping {0}").format(group_by))
	frappe.has_permission("Beneficiary Feedback", "report", throw=True)
	check_grouping(group_by)
	rows, totals = get_data(filters, group_by, settings.min_group_size())
	return get_columns(group_by), rows, None, get_chart(rows), get_summary(totals)


def may_see_staff() -> bool:
	"""Figures per staff member are the managers': those who may read the survey responses."""
	return bool(frappe.has_permission("Survey Response", "read"))


def check_grouping(group_by: str) -> None:
	if group_by == STAFF and not may_see_staff():
		frappe.throw(
			_("Only the association's managers see the figures of each staff member"),
			exc=frappe.PermissionError,
			title=_("Not Permitted"),
		)


def date_range(filters) -> tuple:
	"""The whole months the dates asked fall in (the docstring: no difference of a day)."""
	to_date = getdate(filters.get("to_date") or today())
	from_date = getdate(filters.get("from_date") or add_months(to_date, -12))
	return get_first_day(from_date), get_last_day(to_date)


def fetch(doctype: str, fields: list[str], date_field: str, filters) -> list[frappe._dict]:
	"""The records of the period. Feedback as the user lists it; survey records (which only managers
	read one by one) without his permissions, but of his branches only when he is restricted to some."""
	from_date, to_date = date_range(filters)
	conditions = [[date_field, "between", [f"{from_date} 00:00:00", f"{to_date} 23:59:59.999999"]]]
	if filters.get("aid_service"):
		conditions.append(["aid_service", "=", filters.aid_service])
	if filters.get("branch"):
		conditions.append(["branch", "=", filters.branch])
	if doctype == "Beneficiary Feedback":
		return frappe.get_list(doctype, filters=conditions, fields=fields, order_by=None)
	branches = allowed_branches(frappe.session.user, doctype)
	if branches is not None:
		if not branches:
			return []
		conditions.append(["branch", "in", branches])
	return frappe.get_all(doctype, filters=conditions, fields=fields, order_by=None)


def group_key(row, field: str, group_by: str) -> str:
	value = row.get(field)
	if group_by == MONTH:
		return getdate(value).strftime("%Y-%m") if value else NOT_SET
	return value or NOT_SET


def get_data(filters, group_by: str, min_size: int) -> tuple[list[dict], dict]:
	responses = fetch("Survey Response", RESPONSE_FIELDS, "submitted_on", filters)
	invitations = fetch(
		"Survey Invitation",
		["aid_service", "branch", "channel", "served_by", "creation", "status"],
		"creation",
		filters,
	)
	feedback = fetch(
		"Beneficiary Feedback",
		[
			"aid_service",
			"branch",
			"channel",
			"assigned_to",
			"creation",
			"feedback_type",
			"status",
			"resolution_days",
		],
		"creation",
		filters,
	)

	responses = countable(responses, min_size)
	by_group: dict[str, dict] = defaultdict(
		lambda: {"responses": [], "invited": 0, "answered": 0, "feedback": []}
	)
	for row in responses:
		by_group[group_key(row, RESPONSE_KEYS[group_by], group_by)]["responses"].append(row)
	for row in invitations:
		group = by_group[group_key(row, INVITATION_KEYS[group_by], group_by)]
		group["invited"] += 1
		group["answered"] += int(row.status == "Answered")
	for row in feedback:
		by_group[group_key(row, FEEDBACK_KEYS[group_by], group_by)]["feedback"].append(row)

	rows = []
	for key in sorted(by_group, key=lambda k: (k == NOT_SET, k)):
		group = by_group[key]
		row = {"group": key, "group_label": group_label(key, group_by)}
		row.update(survey_figures(group["responses"]))
		row.update(invitation_figures(group["invited"], group["answered"]))
		row.update(feedback_figures(group["feedback"]))
		if row["responses"] or row["invited"] or row["feedback"]:
			rows.append(row)

	totals = survey_figures(responses)
	totals.update(
		invitation_figures(
			sum(g["invited"] for g in by_group.values()), sum(g["answered"] for g in by_group.values())
		)
	)
	totals.update(feedback_figures(feedback))
	return rows, totals


def countable(responses: list, min_size: int) -> list:
	"""The responses in a group of at least `min_size` under every grouping (the docstring). Leaving
	some out can make another group small: repeated until none is."""
	while True:
		sizes = {
			group_by: Counter(group_key(r, RESPONSE_KEYS[group_by], group_by) for r in responses)
			for group_by in GROUPINGS
		}
		kept = [
			r
			for r in responses
			if all(
				scoring.is_reportable(sizes[g][group_key(r, RESPONSE_KEYS[g], g)], min_size)
				for g in GROUPINGS
			)
		]
		if len(kept) == len(responses):
			return kept
		responses = kept


def survey_figures(responses: list) -> dict:
	nps_values = [r.nps_score for r in responses if r.nps_score is not None]
	categories = [scoring.nps_category(v) for v in nps_values]
	return {
		"responses": len(responses),
		"csat": scoring.aggregate_csat(r.satisfaction_score for r in responses),
		"nps": scoring.aggregate_nps(nps_values),
		"promoters": categories.count(scoring.PROMOTER) if responses else None,
		"detractors": categories.count(scoring.DETRACTOR) if responses else None,
	}


def invitation_figures(invited: int, answered: int) -> dict:
	return {
		"invited": invited,
		"answered": answered,
		"response_rate": scoring.response_rate(answered, invited),
	}


def feedback_figures(feedback: list) -> dict:
	figures = {"feedback": len(feedback)}
	for feedback_type in FEEDBACK_TYPES:
		figures[feedback_type.lower()] = sum(1 for f in feedback if f.feedback_type == feedback_type)
	figures["open_complaints"] = sum(
		1 for f in feedback if f.feedback_type == "Complaint" and f.status in ("Open", "In Progress")
	)
	times = [
		f.resolution_days
		for f in feedback
		if f.resolution_days is not None and f.status in ("Resolved", "Closed")
	]
	figures["avg_resolution_days"] = round(sum(times) / len(times), 2) if times else None
	return figures


def group_label(key: str, group_by: str) -> str:
	if key == NOT_SET:
		return _("Not set")
	if group_by == STAFF:
		return get_fullname(key)
	if group_by == CHANNEL:
		return _(key)
	return key


def get_columns(group_by: str) -> list[dict]:
	return [
		{"fieldname": "group_label", "label": _(group_by), "fieldtype": "Data", "width": 200},
		{"fieldname": "responses", "label": _("Responses"), "fieldtype": "Int", "width": 100},
		{"fieldname": "csat", "label": _("CSAT %"), "fieldtype": "Percent", "width": 100},
		{"fieldname": "nps", "label": _("NPS"), "fieldtype": "Float", "precision": 1, "width": 90},
		{"fieldname": "promoters", "label": _("Promoters"), "fieldtype": "Int", "width": 100},
		{"fieldname": "detractors", "label": _("Detractors"), "fieldtype": "Int", "width": 100},
		{"fieldname": "invited", "label": _("Invited"), "fieldtype": "Int", "width": 90},
		{"fieldname": "response_rate", "label": _("Response Rate %"), "fieldtype": "Percent", "width": 120},
		{"fieldname": "complaint", "label": _("Complaints"), "fieldtype": "Int", "width": 100},
		{"fieldname": "suggestion", "label": _("Suggestions"), "fieldtype": "Int", "width": 100},
		{"fieldname": "praise", "label": _("Praise"), "fieldtype": "Int", "width": 90},
		{"fieldname": "inquiry", "label": _("Inquiries"), "fieldtype": "Int", "width": 90},
		{"fieldname": "open_complaints", "label": _("Open Complaints"), "fieldtype": "Int", "width": 120},
		{
			"fieldname": "avg_resolution_days",
			"label": _("Average Resolution Time (Days)"),
			"fieldtype": "Float",
			"precision": 2,
			"width": 150,
		},
	]


def get_chart(rows: list[dict]) -> dict | None:
	shown = [r for r in rows if r["csat"] is not None]
	if not shown:
		return None
	return {
		"data": {
			"labels": [r["group_label"] for r in shown],
			"datasets": [
				{"name": _("CSAT %"), "values": [r["csat"] for r in shown]},
				{"name": _("NPS"), "values": [r["nps"] or 0 for r in shown]},
			],
		},
		"type": "bar",
		"colors": ["#29CD42", "#2490EF"],
	}


def summary_figure(
	value, label: str, fieldtype: str = "Float", indicator: str = "Blue", empty: str = ""
) -> dict:
	"""A figure of the summary; a figure with nothing behind it (None) says so in grey, since a 0 in the
	figure's colour would read as a measured result (a "0 %" satisfaction in green)."""
	if value is None:
		return {"value": empty or _("No data yet"), "label": label, "datatype": "Data", "indicator": "Grey"}
	return {"value": value, "label": label, "datatype": fieldtype, "indicator": indicator}


def get_summary(totals: dict) -> list[dict]:
	no_answers = _("No answers yet")
	return [
		summary_figure(totals["csat"], _("CSAT %"), "Percent", "Green", no_answers),
		summary_figure(totals["nps"], _("NPS"), empty=no_answers),
		summary_figure(
			totals["response_rate"], _("Response Rate %"), "Percent", empty=_("No surveys sent yet")
		),
		summary_figure(totals["responses"], _("Responses"), "Int"),
		summary_figure(totals["complaint"], _("Complaints"), "Int", "Orange"),
		summary_figure(totals["open_complaints"], _("Open Complaints"), "Int", "Red"),
		summary_figure(
			totals["avg_resolution_days"],
			_("Average Resolution Time (Days)"),
			empty=_("No resolved feedback yet"),
		),
	]

"""Numbers behind the "جودة الخدمة" workspace's cards (number cards of type "Custom"), R5.3.

Survey figures are association-wide aggregates of the current month, shown only once the month has
Service Quality Settings' min_group_size responses (0 before), as in the Service Quality report, and of
the user's branches only when he is restricted to some; complaints are counted as the user lists them."""

import frappe
from frappe.utils import get_first_day, getdate, today

from charity_beneficiary.beneficiaries.branch_access import allowed_branches
from charity_beneficiary.service_quality import scoring, settings
from charity_beneficiary.service_quality.feedback_sla import OPEN_STATUSES

REPORT_NAME = "Service Quality"


def _month_responses() -> list[frappe._dict]:
	start = get_first_day(today())
	filters = {"submitted_on": (">=", f"{start} 00:00:00")}
	branches = allowed_branches(frappe.session.user, "Survey Response")
	if branches is not None:
		if not branches:
			return []
		filters["branch"] = ("in", branches)
	# aggregates only (never one response), so read past the managers-only role permissions
	return frappe.get_all(
		"Survey Response", filters=filters, fields=["satisfaction_score", "nps_score"], order_by=None
	)


def _card(value, fieldtype: str = "Int", **route_options) -> dict:
	return {
		"value": value or 0,
		"fieldtype": fieldtype,
		"route": ["query-report", REPORT_NAME],
		"route_options": {"group_by": "Month", **route_options},
	}


def _check() -> None:
	frappe.has_permission("Beneficiary Feedback", "report", throw=True)


@frappe.whitelist()
def csat_this_month(filters: str | list | dict | None = None) -> dict:
	_check()
	rows = _month_responses()
	value = (
		scoring.aggregate_csat(r.satisfaction_score for r in rows)
		if scoring.is_reportable(len(rows), settings.min_group_size())
		else None
	)
	return _card(value, "Percent")


@frappe.whitelist()
def nps_this_month(filters: str | list | dict | None = None) -> dict:
	_check()
	rows = _month_responses()
	value = (
		scoring.aggregate_nps(r.nps_score for r in rows)
		if scoring.is_reportable(len(rows), settings.min_group_size())
		else None
	)
	return _card(value, "Float")


def _complaints(extra: dict | None = None) -> int:
	rows = frappe.get_list(
		"Beneficiary Feedback",
		filters={"feedback_type": "Complaint", "status": ("in", OPEN_STATUSES), **(extra or {})},
		fields=["count(*) as total"],
		order_by=None,
	)
	return rows[0].total if rows else 0


@frappe.whitelist()
def open_complaints(filters: str | list | dict | None = None) -> dict:
	_check()
	return {
		"value": _complaints(),
		"fieldtype": "Int",
		"route": ["List", "Beneficiary Feedback"],
		"route_options": {"feedback_type": "Complaint", "status": "Open"},
	}


@frappe.whitelist()
def overdue_complaints(filters: str | list | dict | None = None) -> dict:
	_check()
	return {
		"value": _complaints({"due_date": ("<", getdate(today()))}),
		"fieldtype": "Int",
		"route": ["List", "Beneficiary Feedback"],
		"route_options": {"feedback_type": "Complaint"},
	}

"""Numbers behind the "جودة الخدمة" workspace's cards (number cards of type "Custom"), R5.3.

Survey figures are association-wide aggregates of the current month, over the responses the Service
Quality report counts ("no answers yet" before there are any, in grey), and of
the user's branches only when he is restricted to some; complaints are counted as the user lists them."""

import frappe
from frappe import _
from frappe.utils import escape_html, get_first_day, getdate, today

from charity_beneficiary.service_quality import scoring, settings
from charity_beneficiary.service_quality.feedback_sla import OPEN_STATUSES
from charity_beneficiary.service_quality.report.service_quality import service_quality as report

REPORT_NAME = "Service Quality"


def _month_responses() -> list[frappe._dict]:
	"""This month's responses that the Service Quality report counts over its default period: the
	same ones, or the card could be subtracted from the report's month to read an answer (R5.1)."""
	counted = report.countable(
		report.fetch("Survey Response", report.RESPONSE_FIELDS, "submitted_on", frappe._dict()),
		settings.min_group_size(),
	)
	start = get_first_day(today())
	return [row for row in counted if getdate(row.submitted_on) >= start]


def _card(value, fieldtype: str = "Int", **route_options) -> dict:
	return {
		"value": value or 0,
		"fieldtype": fieldtype,
		"route": ["query-report", REPORT_NAME],
		"route_options": {"group_by": "Month", **route_options},
	}


def _check() -> None:
	frappe.has_permission("Beneficiary Feedback", "report", throw=True)


def no_answers_yet(answered: int, min_size: int) -> str:
	"""What a survey card shows instead of a figure: "0 %" in the card's colour would read as a month of
	unhappy beneficiaries (or, in green, of happy ones) when nobody has answered. frappe's custom number
	card shows a plain string as it is; the muted class greys it whatever the card's colour."""
	if answered:
		text = _("Fewer than {0} answers so far").format(min_size)
	else:
		text = _("No answers yet")
	return f'<span class="text-muted">{escape_html(text)}</span>'


def _survey_card(rows: list, aggregate, fieldtype: str) -> dict | str:
	min_size = settings.min_group_size()
	if not scoring.is_reportable(len(rows), min_size):
		return no_answers_yet(len(rows), min_size)
	value = aggregate(rows)
	if value is None:  # answers, but none to this question
		return no_answers_yet(0, min_size)
	return _card(value, fieldtype)


@frappe.whitelist()
def csat_this_month(filters: str | list | dict | None = None) -> dict | str:
	_check()
	return _survey_card(
		_month_responses(), lambda rows: scoring.aggregate_csat(r.satisfaction_score for r in rows), "Percent"
	)


@frappe.whitelist()
def nps_this_month(filters: str | list | dict | None = None) -> dict | str:
	_check()
	return _survey_card(
		_month_responses(), lambda rows: scoring.aggregate_nps(r.nps_score for r in rows), "Float"
	)


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

"""Numbers behind the "علاقات المستفيدين" workspace's cards (number cards of type "Custom")."""

import frappe
from frappe.utils import today

from charity_beneficiary.assistance.escalation import REPORT_NAME, pending_filters
from charity_beneficiary.utils.input_guard import card_filters


@frappe.whitelist()
def overdue_requests(filters: str | list | dict | None = None) -> dict:
	"""Number Card "Overdue Requests" (R3.4): the submitted requests still waiting for a decision whose
	answer date has passed, counted over the requests the user may read. `filters` are extra Assistance
	Request filters from the card. A click opens the ageing report on its overdue buckets."""
	frappe.has_permission("Assistance Request", "read", throw=True)

	extra = card_filters("Assistance Request", filters)
	conditions = [
		["Assistance Request", field, *condition] for field, condition in _as_pairs(pending_filters())
	]
	conditions.append(["Assistance Request", "expected_decision_date", "<", today()])

	rows = frappe.get_list(
		"Assistance Request",
		filters=[*extra, *conditions],
		fields=["count(`tabAssistance Request`.`name`) as requests"],
		order_by=None,
	)
	return {
		"value": (rows[0].requests if rows else 0) or 0,
		"fieldtype": "Int",
		"route": ["query-report", REPORT_NAME],
		"route_options": {"bucket": "Overdue"},
	}


def _as_pairs(filters: dict):
	"""{"field": ["in", [...]], "other": 1} -> ("field", ["in", [...]]), ("other", ["=", 1])"""
	for field, value in filters.items():
		yield field, (value if isinstance(value, list | tuple) else ["=", value])

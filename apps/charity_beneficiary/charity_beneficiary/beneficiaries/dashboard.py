"""Numbers behind the desk workspace's cards (number cards of type "Custom")."""

import frappe
from frappe.utils import add_days, getdate, today

from charity_beneficiary.utils.input_guard import card_filters

EXPIRY_WINDOW_DAYS = 30


def expiry_window(days: int = EXPIRY_WINDOW_DAYS) -> tuple[str, str]:
	"""Today and the day `days` later, both included, as "YYYY-MM-DD"."""
	start = getdate(today())
	return str(start), str(add_days(start, days))


@frappe.whitelist()
def documents_expiring_soon(filters: str | list | None = None) -> dict:
	"""Number Card "Documents Expiring in 30 Days": the beneficiary documents whose expiry date falls
	between today and 30 days from today, counted over the beneficiaries the user may read (branch
	restrictions and portal rules apply). `filters` are extra Beneficiary filters from the card."""
	frappe.has_permission("Beneficiary", "read", throw=True)

	start, end = expiry_window()
	window = ["Beneficiary Document", "expiry_date", "between", [start, end]]
	extra = card_filters("Beneficiary", filters)

	rows = frappe.get_list(
		"Beneficiary",
		filters=[*extra, window],
		fields=["count(`tabBeneficiary Document`.`name`) as documents"],
		order_by=None,
	)
	return {
		"value": (rows[0].documents if rows else 0) or 0,
		"fieldtype": "Int",
		"route": ["List", "Beneficiary", "List"],
		"route_options": {"Beneficiary Document.expiry_date": ["Between", [start, end]]},
	}

"""Money is shown in the charity's currency: its company's, never a currency written in the code."""

import erpnext
import frappe
from frappe.utils import flt, fmt_money

# Only for a site that has no company and no default currency yet (before the setup wizard): the
# app serves Saudi charities.
FALLBACK_CURRENCY = "SAR"


def company_currency(company: str | None = None) -> str:
	"""The currency of `company`, else of the disbursements' company (Charity Settings), else the
	site's default company; the site's default currency when there is no company."""
	company = (
		company
		or frappe.db.get_single_value("Charity Settings", "company")
		or frappe.defaults.get_global_default("company")
	)
	currency = erpnext.get_company_currency(company) if company else None
	return currency or frappe.db.get_default("currency") or FALLBACK_CURRENCY


def format_money(amount, company: str | None = None) -> str:
	"""`amount` formatted in the company's currency (see company_currency)."""
	return fmt_money(flt(amount), currency=company_currency(company))


def currency_options(company: str | None = None) -> dict:
	"""The Currency-field options frappe.format / format_value format `amount` with."""
	return {"fieldtype": "Currency", "options": company_currency(company)}

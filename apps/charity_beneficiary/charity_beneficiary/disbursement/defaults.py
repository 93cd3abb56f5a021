"""The defaults a disbursement starts from: Charity Settings for its company, or the records the
install made for another company (same accounts, warehouse and cost center, found by name)."""

import frappe

# Charity Settings field holding the aid expense account of each disbursement type
EXPENSE_FIELD = {
	"Cash": "cash_expense_account",
	"In-Kind": "in_kind_expense_account",
	"Provider Service": "service_expense_account",
}


def get_defaults(company: str | None = None) -> frappe._dict:
	settings = frappe.get_cached_doc("Charity Settings")
	values = frappe._dict(settings.as_dict(no_default_fields=True))
	if not company or company == settings.company:
		values.company = settings.company
		return values

	from charity_beneficiary.disbursement.setup import company_records

	# the fund and the service item are not per company; the rest is
	return frappe._dict(
		{
			**company_records(company),
			"default_fund": values.default_fund,
			"provider_service_item": values.provider_service_item,
		}
	)


def expense_account(disbursement_type: str, defaults: frappe._dict) -> str | None:
	return defaults.get(EXPENSE_FIELD.get(disbursement_type))

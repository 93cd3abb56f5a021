"""Install the accounting side of aid disbursements. Idempotent and per company: migrate runs it again.

`setup_disbursement(company=None)` makes, for every company (or the one given):

- the Party Type "Beneficiary" (a Payable party, so aid owed to a beneficiary can sit on a payable
  account, and every ledger entry can name the beneficiary as its party);
- the links both ways: a read-only `aid_disbursement` field on the Journal Entry, Stock Entry and
  Purchase Invoice a disbursement makes;
- the standard funds (Zakat, Sadaqah, General) and the ERPNext Accounting Dimension "Charity Fund",
  whose `charity_fund` field ERPNext adds to GL Entry, Journal Entry Account, Stock Entry Detail,
  Purchase Invoice Item and the other accounting doctypes;
- the group "Aid Expenses" under the company's expense root with the cash, in-kind and provider
  services aid expense accounts. They have no account type on purpose: ERPNext accepts a party on
  an account without a type (erpnext.accounts.party.validate_account_party_type), which is what
  lets the beneficiary be the party of the expense entries;
- the account "Beneficiaries Payable" beside the company's default payable account;
- the warehouse "Charity Store", the provider service item, and the Charity Settings defaults.

Names are created in the site's language (as ERPNext names its own accounts and warehouses), and
records that exist are found again in either language; existing records and settings are kept, and an
account, warehouse or item the Charity Settings name (renamed or chosen by an administrator) is not
made again under the app's name.
"""

import frappe
from frappe import _
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from charity_beneficiary.disbursement.defaults import EXPENSE_FIELD
from charity_beneficiary.utils.language import site_language

PARTY_TYPE = "Beneficiary"
FUND_DOCTYPE = "Charity Fund"
FUND_FIELD = "charity_fund"
# fund_type -> English name of the standard fund
STANDARD_FUNDS = {"Zakat": "Zakat", "Sadaqah": "Sadaqah", "General": "General"}

AID_EXPENSE_GROUP = "Aid Expenses"
# disbursement type -> English name of its aid expense account
EXPENSE_ACCOUNT_NAMES = {
	"Cash": "Cash Aid Expense",
	"In-Kind": "In-Kind Aid Expense",
	"Provider Service": "Provider Services Aid Expense",
}
# Charity Settings field -> English account name (the fields are defaults.py's, the one map of them)
EXPENSE_ACCOUNTS = {EXPENSE_FIELD[kind]: english for kind, english in EXPENSE_ACCOUNT_NAMES.items()}
PAYABLE_ACCOUNT = "Beneficiaries Payable"
WAREHOUSE = "Charity Store"
SERVICE_ITEM = "AID-PROVIDER-SERVICE"
SERVICE_ITEM_NAME = "Aid Provider Service"

LINK_FIELD = "aid_disbursement"
LINKED_DOCTYPES = {
	"Journal Entry": "voucher_type",
	"Stock Entry": "stock_entry_type",
	"Purchase Invoice": "supplier_name",
}


def setup_disbursement(company: str | None = None) -> None:
	"""Everything disbursements need, for `company` or every company; nothing before the setup wizard."""
	companies = [company] if company else frappe.get_all("Company", pluck="name", order_by="creation")
	if not companies:
		return
	from charity_beneficiary.disbursement.ledger_index import add_ledger_index  # it imports FUND_FIELD

	make_party_type()
	make_link_fields()
	funds = make_standard_funds()
	dimension = make_fund_dimension()
	add_ledger_index()  # needs the dimension's column on GL Entry
	if not frappe.db.get_single_value("Charity Settings", "provider_service_item"):
		make_service_item()  # not when the administrator chose another item
	for name in companies:
		records = make_company_records(name)
		add_dimension_default(dimension, name, funds.get("General"))
		set_settings_defaults(name, records, funds.get("General"))


def before_uninstall() -> None:
	from charity_beneficiary.disbursement.ledger_index import drop_ledger_index  # it imports FUND_FIELD

	drop_ledger_index()
	for doctype in LINKED_DOCTYPES:
		frappe.delete_doc_if_exists("Custom Field", f"{doctype}-{LINK_FIELD}")


# --- translation-aware names ------------------------------------------------------------------------
def local_name(english: str) -> str:
	"""The name a record gets on this site: English, translated to the site's language."""
	return _(english, lang=site_language())


def both_names(english: str) -> list[str]:
	return list(dict.fromkeys((english, local_name(english))))


# --- global records ---------------------------------------------------------------------------------
def make_party_type() -> None:
	if not frappe.db.exists("Party Type", PARTY_TYPE):
		frappe.get_doc({"doctype": "Party Type", "party_type": PARTY_TYPE, "account_type": "Payable"}).insert(
			ignore_permissions=True
		)


def make_link_fields() -> None:
	"""The ERPNext documents name the disbursement that made them (read only, never copied). A field that
	exists is kept as it is (a change of it for existing sites is a patch)."""
	create_custom_fields(
		{
			doctype: [
				{
					"fieldname": LINK_FIELD,
					"fieldtype": "Link",
					"label": "Aid Disbursement",
					"options": "Aid Disbursement",
					"insert_after": insert_after,
					"read_only": 1,
					"no_copy": 1,
					"in_standard_filter": 1,
					"search_index": 1,
				}
			]
			for doctype, insert_after in LINKED_DOCTYPES.items()
		},
		ignore_validate=True,
		update=False,
	)


def make_standard_funds() -> dict[str, str]:
	"""One fund of each standard type, unless the association already has one; fund_type -> name."""
	funds = {}
	for fund_type, english in STANDARD_FUNDS.items():
		name = frappe.db.get_value(FUND_DOCTYPE, {"fund_type": fund_type}, order_by="creation asc")
		if not name:
			name = (
				frappe.get_doc(
					{
						"doctype": FUND_DOCTYPE,
						"fund_name": local_name(english),
						"fund_type": fund_type,
						"is_active": 1,
					}
				)
				.insert(ignore_permissions=True)
				.name
			)
		funds[fund_type] = name
	return funds


def make_fund_dimension():
	"""The Accounting Dimension "Charity Fund", and its field on every accounting doctype."""
	from erpnext.accounts.doctype.accounting_dimension.accounting_dimension import (
		get_doctypes_with_dimensions,
		make_dimension_in_accounting_doctypes,
	)

	name = frappe.db.get_value("Accounting Dimension", {"document_type": FUND_DOCTYPE})
	if name:
		dimension = frappe.get_doc("Accounting Dimension", name)
	else:
		dimension = frappe.get_doc(
			{
				"doctype": "Accounting Dimension",
				"document_type": FUND_DOCTYPE,
				"label": FUND_DOCTYPE,
				"fieldname": FUND_FIELD,
			}
		).insert(ignore_permissions=True)
	# ERPNext adds the fields in a background job outside tests: add the missing ones now
	# (the job then finds them and does nothing). Doctypes that got the field later are covered too.
	missing = [
		doctype
		for doctype in get_doctypes_with_dimensions()
		if frappe.db.exists("DocType", doctype)
		and not frappe.get_meta(doctype).has_field(dimension.fieldname)
	]
	if missing:
		make_dimension_in_accounting_doctypes(dimension, doclist=missing)
	return dimension


def add_dimension_default(dimension, company: str, fund: str | None) -> None:
	"""The General fund is the company's default fund; not mandatory, so ERPNext's other flows go on."""
	if not fund or any(row.company == company for row in dimension.dimension_defaults):
		return
	dimension.append(
		"dimension_defaults",
		{"company": company, "reference_document": FUND_DOCTYPE, "default_dimension": fund},
	)
	dimension.save(ignore_permissions=True)


def make_service_item() -> str:
	if not frappe.db.exists("Item", SERVICE_ITEM):
		group = frappe.db.get_value("Item Group", {"name": ("in", both_names("Services")), "is_group": 0})
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": SERVICE_ITEM,
				"item_name": local_name(SERVICE_ITEM_NAME),
				"item_group": group or root_item_group(),
				"stock_uom": "Nos",
				"is_stock_item": 0,
				"include_item_in_manufacturing": 0,
				"is_sales_item": 0,
				"is_purchase_item": 1,
			}
		).insert(ignore_permissions=True)
	return SERVICE_ITEM


def root_item_group() -> str:
	return frappe.db.get_value("Item Group", {"is_group": 1, "parent_item_group": ("is", "not set")})


# --- per company ------------------------------------------------------------------------------------
def make_company_records(company: str) -> frappe._dict:
	"""The company's aid accounts and warehouse (made when missing) and its ERPNext defaults."""
	return company_records(company, create=True, chosen=chosen_records(company))


def chosen_records(company: str) -> dict[str, str]:
	"""The accounts and warehouse Charity Settings name for its company: one an administrator renamed
	or chose instead is not found by the app's name, and must not be made again beside it."""
	settings = frappe.get_single("Charity Settings")
	if settings.company != company:
		return {}
	fields = (*EXPENSE_ACCOUNTS, "beneficiary_payable_account", "warehouse")
	return {field: settings.get(field) for field in fields if settings.get(field)}


def company_records(company: str, create: bool = False, chosen: dict | None = None) -> frappe._dict:
	"""The install's records of a company, found by name in either language; made when `create`.
	`chosen` (fieldname -> name) are taken as they are."""
	chosen = chosen or {}
	defaults = frappe.get_cached_value(
		"Company",
		company,
		["abbr", "cost_center", "default_cash_account", "default_payable_account"],
		as_dict=True,
	)
	records = frappe._dict(
		company=company,
		cost_center=defaults.cost_center,
		paid_from_account=defaults.default_cash_account,
		mode_of_payment=cash_mode_of_payment(company),
	)

	group = None
	for fieldname, english in EXPENSE_ACCOUNTS.items():
		account = chosen.get(fieldname) or find_account(company, english)
		if not account and create:
			group = group or find_account(company, AID_EXPENSE_GROUP)
			group = group or make_account(company, AID_EXPENSE_GROUP, expense_root(company), is_group=1)
			account = make_account(company, english, group)
		records[fieldname] = account

	payable = chosen.get("beneficiary_payable_account") or find_account(company, PAYABLE_ACCOUNT)
	payable_group = defaults.default_payable_account and frappe.db.get_value(
		"Account", defaults.default_payable_account, "parent_account"
	)
	if not payable and create and payable_group:
		payable = make_account(company, PAYABLE_ACCOUNT, payable_group, account_type="Payable")
	records.beneficiary_payable_account = payable

	warehouse = chosen.get("warehouse") or frappe.db.get_value(
		"Warehouse", {"company": company, "warehouse_name": ("in", both_names(WAREHOUSE))}
	)
	if not warehouse and create:
		warehouse = (
			frappe.get_doc(
				{
					"doctype": "Warehouse",
					"warehouse_name": local_name(WAREHOUSE),
					"company": company,
					"parent_warehouse": root_warehouse(company),
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
	records.warehouse = warehouse
	return records


def find_account(company: str, english: str) -> str | None:
	return frappe.db.get_value("Account", {"company": company, "account_name": ("in", both_names(english))})


def make_account(company: str, english: str, parent: str, is_group: int = 0, account_type: str = "") -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Account",
				"account_name": local_name(english),
				"company": company,
				"parent_account": parent,
				"is_group": is_group,
				"account_type": account_type,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def expense_root(company: str) -> str:
	return frappe.db.get_value(
		"Account",
		{"company": company, "root_type": "Expense", "is_group": 1, "parent_account": ("is", "not set")},
	)


def root_warehouse(company: str) -> str | None:
	return frappe.db.get_value(
		"Warehouse", {"company": company, "is_group": 1, "parent_warehouse": ("is", "not set")}
	)


def cash_mode_of_payment(company: str) -> str | None:
	"""The cash Mode of Payment that has an account in the company (ERPNext's "Cash", translated)."""
	rows = frappe.get_all(
		"Mode of Payment Account",
		filters={"company": company, "parenttype": "Mode of Payment", "default_account": ("is", "set")},
		pluck="parent",
	)
	for name in rows:
		if frappe.db.get_value("Mode of Payment", name, ["type", "enabled"]) == ("Cash", 1):
			return name
	return None


def set_settings_defaults(company: str, records: frappe._dict, fund: str | None) -> None:
	"""Fill what Charity Settings lacks; what an administrator set is kept. One company is the default."""
	settings = frappe.get_single("Charity Settings")
	changed = False
	if not settings.company:
		settings.company = frappe.defaults.get_global_default("company") or company
		changed = True
	if settings.company != company:
		return
	values = {**records, "default_fund": fund, "provider_service_item": SERVICE_ITEM}
	values.pop("company", None)
	for fieldname, value in values.items():
		if value and not settings.get(fieldname):
			settings.set(fieldname, value)
			changed = True
	if changed:
		settings.save(ignore_permissions=True)

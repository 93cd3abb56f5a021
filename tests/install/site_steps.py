"""What the install suite does on a site of the second bench, one step per process:

	<bench>/env/bin/python tests/install/site_steps.py STEP SITE ['<json arguments>']

(run from the bench's sites/, with the bench's own Python: the app there is the one `bench get-app`
brought, at whatever release the test has checked out). Every step commits and prints its result as
JSON on the last line. Only APIs that exist in every release the suite installs are used (the
factories of charity_beneficiary.tests.factories), so the same file drives the old and the new app.
"""

import json
import sys

# the ERPNext company the site has before the app comes (ERPNext's own setup, not the app's)
COMPANY = {"company_name": "Existing Trading Co", "company_abbr": "ETC"}
CLERK = "clerk@existing-trading.example"
CLERK_PROFILE = "Existing Accounts Clerk"
OWN_ROLE = "Existing Auditor"
OWN_ACCOUNT = "Existing Petty Cash"
CASH_SERVICE = "Install suite cash aid"
# role -> what an administrator changes on it before the upgrade (admin_changes); a migrate keeps it
ADMIN_ROLE_CHANGES = {
	"Research Committee Member": {"desk_access": 0},
	"Charity Storekeeper": {"home_page": "app/stock"},
}

# ERPNext's own records: uninstalling the app must leave every one of them
ERPNEXT_COUNTED = (
	"Company",
	"Account",
	"Cost Center",
	"Warehouse",
	"Fiscal Year",
	"Item",
	"Customer",
	"Supplier",
	"Journal Entry",
	"GL Entry",
	"User",
	"Role Profile",
	"User Permission",
)


def existing_company() -> dict:
	"""ERPNext set up with a company of its own, an account, a role, a role profile and a user
	restricted to the company: what a bench that already runs ERPNext has."""
	import frappe
	from frappe.desk.page.setup_wizard.setup_wizard import setup_complete
	from frappe.utils import getdate, nowdate

	year = getdate(nowdate()).year
	setup_complete(
		{
			"language": "English",
			"country": "Saudi Arabia",
			"timezone": "Asia/Riyadh",
			"currency": "SAR",
			**COMPANY,
			"company_tagline": COMPANY["company_name"],
			"chart_of_accounts": "Standard",
			"fy_start_date": f"{year}-01-01",
			"fy_end_date": f"{year}-12-31",
			"full_name": "Existing Owner",
			"email": "owner@existing-trading.example",
			"password": frappe.generate_hash(length=16),
		}
	)
	frappe.db.commit()
	assert frappe.is_setup_complete(), "ERPNext's setup did not complete"
	company = COMPANY["company_name"]
	cash_group = frappe.db.get_value("Account", {"company": company, "account_type": "Cash", "is_group": 1})
	cash_group = cash_group or frappe.db.get_value(
		"Account",
		frappe.db.get_value("Account", {"company": company, "account_type": "Cash"}),
		"parent_account",
	)
	frappe.get_doc(
		{
			"doctype": "Account",
			"account_name": OWN_ACCOUNT,
			"company": company,
			"parent_account": cash_group,
			"account_type": "Cash",
		}
	).insert()
	frappe.get_doc({"doctype": "Role", "role_name": OWN_ROLE, "desk_access": 1}).insert()
	frappe.get_doc(
		{
			"doctype": "Role Profile",
			"role_profile": CLERK_PROFILE,
			"roles": [{"role": "Accounts User"}, {"role": OWN_ROLE}],
		}
	).insert()
	frappe.get_doc(
		{
			"doctype": "User",
			"email": CLERK,
			"first_name": "Clerk",
			"send_welcome_email": 0,
			"role_profile_name": CLERK_PROFILE,
		}
	).insert()
	frappe.get_doc(
		{"doctype": "User Permission", "user": CLERK, "allow": "Company", "for_value": company}
	).insert()
	frappe.db.commit()
	return {"company": company}


def snapshot() -> dict:
	"""The company's accounts and defaults, the roles, their permissions, role profiles, users' roles
	and user permissions, the number of ERPNext's own records and the indexes of its ledger."""
	import frappe

	company = COMPANY["company_name"]
	account_fields = ["name", "account_name", "parent_account", "root_type", "account_type", "is_group"]
	account_fields += ["account_currency", "disabled", "freeze_account", "report_type", "balance_must_be"]
	company_doc = frappe.get_doc("Company", company).as_dict(no_default_fields=True)
	return {
		"company": {k: str(v) for k, v in company_doc.items() if not isinstance(v, list)},
		"accounts": {
			row.pop("name"): row for row in frappe.get_all("Account", {"company": company}, account_fields)
		},
		"roles": {
			row.pop("name"): row
			for row in frappe.get_all(
				"Role",
				fields=["name", "desk_access", "disabled", "two_factor_auth", "home_page", "is_custom"],
			)
		},
		"permissions": effective_permissions(),
		"call_log_setters": sorted(
			json.dumps(row, sort_keys=True)
			for row in frappe.get_all(
				"Property Setter", {"doc_type": "Call Log"}, ["field_name", "property", "value"]
			)
		),
		"role_profiles": {
			name: sorted(
				frappe.get_all("Has Role", {"parent": name, "parenttype": "Role Profile"}, pluck="role")
			)
			for name in frappe.get_all("Role Profile", pluck="name")
		},
		"user_roles": {
			name: sorted(frappe.get_all("Has Role", {"parent": name, "parenttype": "User"}, pluck="role"))
			for name in frappe.get_all("User", {"name": ("not in", ("Administrator", "Guest"))}, pluck="name")
		},
		"users": users(),
		"user_permissions": sorted(
			json.dumps(row, sort_keys=True, default=str)
			for row in frappe.get_all(
				"User Permission",
				fields=[
					"user",
					"allow",
					"for_value",
					"applicable_for",
					"apply_to_all_doctypes",
					"is_default",
				],
			)
		),
		"counts": {doctype: frappe.db.count(doctype) for doctype in ERPNEXT_COUNTED},
		"gl_entry_indexes": sorted(
			{row.Key_name for row in frappe.db.sql("show index from `tabGL Entry`", as_dict=True)}
		),
	}


def users() -> dict[str, dict]:
	"""Each user's type, profiles, blocked modules and workspace (what the app's staff desk sets)."""
	import frappe

	fields = ["name", "enabled", "user_type", "role_profile_name", "module_profile", "default_workspace"]
	found = {}
	for user in frappe.get_all("User", {"name": ("not in", ("Administrator", "Guest"))}, fields):
		blocked = frappe.get_all("Block Module", {"parent": user.name, "parenttype": "User"}, pluck="module")
		found[user.pop("name")] = {**user, "block_modules": sorted(blocked)}
	return found


def effective_permissions() -> dict[str, list[str]]:
	"""doctype -> the role rules frappe applies: its Custom DocPerms when it has any, else its DocPerms."""
	import frappe
	from frappe.permissions import rights

	fields = ["parent", "role", "permlevel", "if_owner", *rights]
	rules: dict[str, dict[str, list[str]]] = {"DocPerm": {}, "Custom DocPerm": {}}
	for source, by_doctype in rules.items():
		for row in frappe.get_all(source, fields=fields):
			by_doctype.setdefault(row.pop("parent"), []).append(json.dumps(row, sort_keys=True))
	merged = {**rules["DocPerm"], **rules["Custom DocPerm"]}
	return {doctype: sorted(rows) for doctype, rows in merged.items()}


def approve_and_disburse(amount: float = 1200) -> dict:
	"""A beneficiary's request approved and disbursed in cash: the Journal Entry the app posts on the
	company's ledger."""
	import frappe
	from charity_beneficiary.tests.factories import (
		make_active_beneficiary,
		make_aid_service,
		make_approved_request,
		make_disbursement,
	)

	make_aid_service(CASH_SERVICE, delivery_type="Cash")
	beneficiary = make_active_beneficiary().name
	request = make_approved_request(
		beneficiary, CASH_SERVICE, approved_amount=amount, requested_amount=amount
	).name
	disbursement = make_disbursement(request, amount=amount, submit=True)
	frappe.db.commit()
	journal_entry = disbursement.journal_entry
	gl = frappe.get_all(
		"GL Entry",
		{"voucher_no": journal_entry, "is_cancelled": 0},
		["account", "debit", "credit", "company"],
		order_by="account",
	)
	return {
		"beneficiary": beneficiary,
		"request": request,
		"disbursement": disbursement.name,
		"journal_entry": journal_entry,
		"request_state": frappe.db.get_value("Assistance Request", request, "workflow_state"),
		"disbursed_amount": frappe.db.get_value("Assistance Request", request, "disbursed_amount"),
		"gl": [{k: str(v) for k, v in row.items()} for row in gl],
		"account_companies": sorted(
			set(frappe.get_all("Account", {"name": ("in", [row.account for row in gl])}, pluck="company"))
		),
	}


def admin_changes() -> dict:
	"""What an administrator changes after install: the app must keep it on migrate."""
	import frappe

	category = frappe.get_all("Beneficiary Category", pluck="name", order_by="name", limit=1)[0]
	frappe.db.set_value("Beneficiary Category", category, "description", "Changed by the administrator")
	# the app's roles as an administrator may set them (the old after_migrate set them back)
	for role, values in ADMIN_ROLE_CHANGES.items():
		frappe.db.set_value("Role", role, values)
	frappe.db.commit()
	return {"category": category}


def facts(names: dict) -> dict:
	"""The records a migrate must keep, the ledger's balances and which of the app's patches ran."""
	import frappe
	from frappe.query_builder.functions import Sum

	gle = frappe.qb.DocType("GL Entry")
	balances = (
		frappe.qb.from_(gle)
		.select(gle.account, Sum(gle.debit) - Sum(gle.credit))
		.where(gle.is_cancelled == 0)
		.groupby(gle.account)
	).run()
	records = {}
	for doctype, name in names.get("records", []):
		row = frappe.db.get_value(doctype, name, ["docstatus", "modified"], as_dict=True)
		records[f"{doctype}/{name}"] = row and {"docstatus": row.docstatus, "modified": str(row.modified)}
	patch_log = frappe.get_all(
		"Patch Log", {"patch": ("like", "charity_beneficiary.%")}, ["patch", "creation"], order_by="creation"
	)
	category = names.get("category")
	return {
		"records": records,
		"counts": {
			doctype: frappe.db.count(doctype)
			for doctype in (
				"Beneficiary",
				"Assistance Request",
				"Aid Disbursement",
				"Journal Entry",
				"GL Entry",
			)
		},
		"gl_balances": {account: f"{balance:.2f}" for account, balance in balances},
		"patch_log": [[row.patch, str(row.creation)] for row in patch_log],
		"category_description": category
		and frappe.db.get_value("Beneficiary Category", category, "description"),
		"roles": {
			role: frappe.db.get_value("Role", role, list(values), as_dict=True)
			for role, values in ADMIN_ROLE_CHANGES.items()
		},
		"backup_config": {
			key: frappe.conf.get(key) for key in ("charity_backup_with_files", "keep_backups_for_hours")
		},
	}


def rerun_patches(patches: list[str]) -> dict:
	"""Every patch of the app run once more (as a migrate that lost its Patch Log would): a patch is
	idempotent, so nothing fails and nothing changes."""
	import frappe

	for patch in patches:
		frappe.get_attr(f"{patch.split()[0]}.execute")()  # a line's comment is part of its key only
		frappe.db.commit()
	return {"ran": patches}


def erpnext_works() -> dict:
	"""ERPNext on its own: a journal entry between two of the company's accounts, posted."""
	import frappe

	company = COMPANY["company_name"]
	cash = frappe.db.get_value("Account", {"company": company, "account_name": OWN_ACCOUNT})
	expense = frappe.db.get_value(
		"Account",
		{"company": company, "root_type": "Expense", "is_group": 0, "account_type": ""},
		order_by="lft",
	)
	doc = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"company": company,
			"posting_date": frappe.utils.today(),
			"accounts": [
				{"account": expense, "debit_in_account_currency": 75, "cost_center": cost_center(company)},
				{"account": cash, "credit_in_account_currency": 75, "cost_center": cost_center(company)},
			],
		}
	).insert()
	doc.submit()
	frappe.db.commit()
	return {"journal_entry": doc.name, "docstatus": doc.docstatus}


def cost_center(company: str) -> str:
	import frappe

	return frappe.get_cached_value("Company", company, "cost_center")


# the heavy reports that run on the read replica, and a table each of them reads
REPORTS = {
	"charity_beneficiary.disbursement.report.aid_disbursement_register.aid_disbursement_register": "tabAid Disbursement",
	"charity_beneficiary.disbursement.report.fund_utilisation.fund_utilisation": "tabGL Entry",
	"charity_beneficiary.assistance.report.assistance_request_ageing.assistance_request_ageing": "tabAssistance Request",
	"charity_beneficiary.service_quality.report.service_quality.service_quality": "tabBeneficiary Feedback",
}


def reports(site: str) -> dict:
	"""Each report's execute() as a caller outside the desk runs it, each in a fresh frappe context
	(frappe switches to the replica once per context: a request's, or here a report's)."""
	import importlib

	import frappe

	results = {}
	for module in REPORTS:
		frappe.init(site=site, sites_path=".")
		frappe.connect()
		try:
			frappe.set_user("Administrator")
			columns, data, *_rest = importlib.import_module(module).execute({})
			results[module] = json.loads(frappe.as_json(data))
		finally:
			frappe.destroy()
	return results


STEPS = {
	"existing_company": existing_company,
	"snapshot": snapshot,
	"approve_and_disburse": approve_and_disburse,
	"admin_changes": admin_changes,
	"facts": facts,
	"erpnext_works": erpnext_works,
	"rerun_patches": rerun_patches,
}


def run(step: str, site: str, arguments: dict) -> dict:
	import frappe

	frappe.init(site=site, sites_path=".")
	frappe.connect()
	try:
		frappe.set_user("Administrator")
		return STEPS[step](**arguments)
	finally:
		frappe.destroy()


if __name__ == "__main__":
	if sys.argv[1] == "reports":
		print(json.dumps(reports(sys.argv[2]), sort_keys=True, default=str))
		sys.exit()
	result = run(sys.argv[1], sys.argv[2], json.loads(sys.argv[3]) if len(sys.argv) > 3 else {})
	print(json.dumps(result, sort_keys=True, default=str))

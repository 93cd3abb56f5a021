"""Install into an existing ERPNext bench (issue 10.4). On the second bench, a site that already has
ERPNext data and a company of its own (accounts, a role, a role profile, a user restricted to the
company) gets the app the way Frappe users install apps:

	bench get-app --branch version-15 <the app's repository>      (made by bin/release)
	bench --site SITE install-app charity_beneficiary

Installing adds the app's own roles, accounts and permission rules and changes nothing of what was
there; a request is then approved and disbursed on that company's ledger. Uninstalling leaves
ERPNext's data as it was, and ERPNext still posts."""

import json

import pytest
from charity_beneficiary.disbursement.ledger_index import INDEX as LEDGER_INDEX
from charity_beneficiary.disbursement.setup import AID_EXPENSE_GROUP, EXPENSE_ACCOUNT_NAMES, PAYABLE_ACCOUNT
from charity_beneficiary.setup.roles import ROLES
from second_bench import LABEL, RELEASE_BRANCH, run

APP_ROLES = {role["role_name"] for role in ROLES}
# frappe indexes `creation` on any table its schema sync alters (the app's custom fields on GL Entry):
# frappe's, not the app's, and harmless
FRAPPE_SORT_INDEX = {"creation"}
APP_ACCOUNTS = {
	f"{name} - ETC" for name in (AID_EXPENSE_GROUP, PAYABLE_ACCOUNT, *EXPENSE_ACCOUNT_NAMES.values())
}


@pytest.fixture(scope="module")
def existing(second_bench, repository, erpnext_dump):
	site, db_name = f"{LABEL}-existing.localhost", f"charity_{LABEL}_inst_erp"
	try:
		second_bench.get_app(repository, RELEASE_BRANCH)
		second_bench.new_site(site, db_name, source_sql=erpnext_dump)
		before = second_bench.step("snapshot", site)
		second_bench.bench("--site", site, "install-app", "charity_beneficiary")
		installed = second_bench.step("snapshot", site)
		flow = second_bench.step("approve_and_disburse", site)
		second_bench.bench("--site", site, "uninstall-app", "charity_beneficiary", "--yes", "--no-backup")
		yield {
			"before": before,
			"installed": installed,
			"flow": flow,
			"uninstalled": second_bench.step("snapshot", site),
			"erpnext": second_bench.step("erpnext_works", site),
			"checked_out": run(["git", "rev-parse", "HEAD"], cwd=second_bench.app).strip(),
			"released": run(["git", "rev-parse", RELEASE_BRANCH], cwd=repository).strip(),
			"apps_txt": (second_bench.root / "sites" / "apps.txt").read_text().split(),
		}
	finally:
		second_bench.drop_site(site)


def without_app_roles(rules: list[str]) -> list[str]:
	return [rule for rule in rules if json.loads(rule)["role"] not in APP_ROLES]


def assert_kept(before: dict, after: dict) -> None:
	"""Every record of `before` is in `after`, unchanged."""
	changed = {key: (value, after.get(key)) for key, value in before.items() if after.get(key) != value}
	assert not changed


def test_get_app_brings_the_release(existing):
	assert existing["checked_out"] == existing["released"]
	assert "charity_beneficiary" in existing["apps_txt"]


def test_install_keeps_the_company_and_its_accounts(existing):
	before, installed = existing["before"], existing["installed"]
	assert installed["company"] == before["company"]
	assert_kept(before["accounts"], installed["accounts"])
	assert set(installed["accounts"]) - set(before["accounts"]) == APP_ACCOUNTS


def test_install_keeps_roles_profiles_and_user_permissions(existing):
	before, installed = existing["before"], existing["installed"]
	assert_kept(before["roles"], installed["roles"])
	assert set(installed["roles"]) - set(before["roles"]) == APP_ROLES
	assert installed["role_profiles"] == before["role_profiles"]
	assert installed["user_roles"] == before["user_roles"]
	assert installed["users"] == before["users"]  # profiles, modules and workspace as they were
	assert installed["user_permissions"] == before["user_permissions"]
	assert before["user_permissions"], "the clerk is restricted to his company"


def test_install_adds_permission_rules_for_its_own_roles_only(existing):
	before, installed = existing["before"], existing["installed"]
	for doctype, rules in before["permissions"].items():
		assert without_app_roles(installed["permissions"][doctype]) == rules, doctype


def test_a_request_is_approved_and_disbursed_on_the_existing_company(existing):
	flow = existing["flow"]
	assert flow["request_state"] == "Disbursed"
	assert flow["disbursed_amount"] == 1200
	assert flow["account_companies"] == ["Existing Trading Co"]
	assert sum(float(row["debit"]) for row in flow["gl"]) == 1200


def test_uninstall_leaves_erpnext_data_intact(existing):
	before, installed, after = existing["before"], existing["installed"], existing["uninstalled"]
	assert after["company"] == before["company"]
	assert_kept(installed["accounts"], after["accounts"])
	assert_kept(before["roles"], after["roles"])
	assert after["role_profiles"] == before["role_profiles"]
	assert after["user_roles"] == before["user_roles"]
	assert after["users"] == before["users"]
	assert after["user_permissions"] == before["user_permissions"]
	for doctype, rules in before["permissions"].items():
		assert without_app_roles(after["permissions"].get(doctype, [])) == rules, doctype
	for doctype, count in installed["counts"].items():
		assert after["counts"][doctype] >= count, doctype  # the posted Journal Entry stays in the ledger


def test_uninstall_gives_call_log_its_read_only_fields_back(existing):
	before, installed, after = (
		existing[step]["call_log_setters"] for step in ("before", "installed", "uninstalled")
	)
	assert installed != before  # the app made the call fields editable (assistance/calls.py)
	assert after == before


def test_uninstall_drops_the_apps_index_on_the_ledger(existing):
	before, installed, after = (
		set(existing[step]["gl_entry_indexes"]) - FRAPPE_SORT_INDEX
		for step in ("before", "installed", "uninstalled")
	)
	assert installed - before == {LEDGER_INDEX}
	assert after == before


def test_erpnext_still_posts_after_uninstall(existing):
	assert existing["erpnext"]["docstatus"] == 1

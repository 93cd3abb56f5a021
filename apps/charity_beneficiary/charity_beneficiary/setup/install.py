"""Install, migrate and test hooks. Every step is idempotent: migrate runs them again."""

import frappe

from charity_beneficiary.setup.default_records import BENEFICIARY_CATEGORIES
from charity_beneficiary.setup.roles import ROLES


def after_install():
	after_migrate()


def after_migrate():
	make_roles()
	make_records("Beneficiary Category", BENEFICIARY_CATEGORIES, key="category_name")


def before_uninstall():
	pass


def before_tests():
	"""`bench run-tests` calls this; the pytest plugin calls it too (tests/integration)."""
	from charity_beneficiary.setup.site_setup import complete_setup

	complete_setup(language="en")


def make_roles():
	"""The roles of the beneficiary-relations policy; Beneficiary is a website (portal) role."""
	for role in ROLES:
		if frappe.db.exists("Role", role["role_name"]):
			frappe.db.set_value("Role", role["role_name"], "desk_access", role["desk_access"])
			continue
		frappe.get_doc(
			{
				"doctype": "Role",
				"role_name": role["role_name"],
				"desk_access": role["desk_access"],
				"is_custom": 0,
			}
		).insert(ignore_permissions=True)


def make_records(doctype: str, records: list[dict], key: str) -> None:
	"""Insert the default records that are missing; existing ones (maybe edited) are kept."""
	for record in records:
		if not frappe.db.exists(doctype, {key: record[key]}):
			frappe.get_doc({"doctype": doctype, **record}).insert(ignore_permissions=True)

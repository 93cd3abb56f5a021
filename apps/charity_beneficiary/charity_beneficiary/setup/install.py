"""Install, migrate and test hooks. Every step is idempotent: migrate runs them again.

A migrate only adds what is missing (issue 10.5): a role, custom field, default record, setting or
module profile that exists is left as an administrator may have changed it. A change of the app's
defaults that existing sites must get ships as a patch (patches.txt), which runs once per site."""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from charity_beneficiary.assistance import request_numbers
from charity_beneficiary.assistance.calls import (
	add_call_log_permissions,
	allow_manual_call_entry,
	remove_manual_call_entry,
)
from charity_beneficiary.assistance.default_criteria import NEED_CRITERIA
from charity_beneficiary.beneficiaries.branch_access import CUSTOM_FIELDS
from charity_beneficiary.disbursement.setup import before_uninstall as disbursement_before_uninstall
from charity_beneficiary.disbursement.setup import setup_disbursement
from charity_beneficiary.service_quality.survey import ensure_default_survey
from charity_beneficiary.setup.backups import enable_scheduled_backups
from charity_beneficiary.setup.default_records import BENEFICIARY_CATEGORIES
from charity_beneficiary.setup.role_access import grant_staff_access
from charity_beneficiary.setup.roles import ROLES
from charity_beneficiary.setup.staff_desk import setup_staff_desk


def after_install():
	after_migrate()
	grant_staff_access()  # existing sites get it once, by a patch: a later change is not undone


def after_migrate():
	make_roles()
	setup_staff_desk()  # each role's workspace, and only the app's modules in the staff's sidebar
	add_call_log_permissions()
	allow_manual_call_entry()  # the call fields an officer enters by hand (R2.4)
	create_custom_fields(CUSTOM_FIELDS, ignore_validate=True, update=False)
	make_records("Beneficiary Category", BENEFICIARY_CATEGORIES, key="category_name")
	make_records("Need Criterion", NEED_CRITERIA, key="criterion_name")
	ensure_default_survey()
	request_numbers.ensure_sequence()  # the requests' reference numbers
	setup_disbursement()  # per company; nothing before ERPNext's setup made one
	# only where absent: also a restored site's new config, never over an administrator's value
	enable_scheduled_backups()
	# R8.2: every migrate, as frappe's setup wizard and its "reset" button put them back
	keep_private_texts_out_of_global_search()


def before_uninstall():
	disbursement_before_uninstall()
	request_numbers.drop_sequence()
	remove_manual_call_entry()
	for doctype, fields in CUSTOM_FIELDS.items():
		for field in fields:
			frappe.delete_doc_if_exists("Custom Field", f"{doctype}-{field['fieldname']}")


def before_tests():
	"""`bench run-tests` calls this; the pytest plugin calls it too (tests/integration).

	The app's tests build the records they need with factories (tests/factories.py). Frappe's
	test-record crawl would follow our links into ERPNext's own test records (which need the
	payments app and an English "_Test Company"), so it is switched off for this app's run."""
	frappe.flags.skip_test_records = True
	from charity_beneficiary.setup.site_setup import complete_setup

	complete_setup(language="en")
	setup_disbursement()
	grant_staff_access()


# DocTypes every desk user (and the portal user) reads at DocType level whose records are each a few
# people's (ToDo: the assignee's and assigner's; Note, Event: their owner's unless public; Contact,
# Address: their links' or the portal user's own) and whose texts carry beneficiaries' data: names in
# assignments and review reminders (beneficiaries/reminders.py), portal accounts' contacts. frappe's
# global search checks only the DocType-level read, so their texts stay out of it; their own lists
# keep their per-record rules.
PRIVATE_TEXT_DOCTYPES = ("ToDo", "Note", "Event", "Contact", "Address")


def keep_private_texts_out_of_global_search(clear_index: bool = False) -> None:
	"""Remove PRIVATE_TEXT_DOCTYPES from Global Search Settings (and, with `clear_index`, their rows of
	__global_search). Idempotent."""
	frappe.db.delete(
		"Global Search DocType",
		{"parent": "Global Search Settings", "document_type": ("in", PRIVATE_TEXT_DOCTYPES)},
	)
	if clear_index:
		frappe.db.delete("__global_search", {"doctype": ("in", PRIVATE_TEXT_DOCTYPES)})
	frappe.cache.hdel("global_search", "search_priorities")


def drop_private_texts(doc, method=None) -> None:
	"""Global Search Settings before_validate: frappe's setup wizard and its "reset" button write the
	settings again with every DocType its hooks list (ToDo among them); whatever saves them, the
	private texts stay out (after_migrate alone left a new site's wizard putting them back)."""
	doc.allowed_in_global_search = [
		row for row in doc.allowed_in_global_search if row.document_type not in PRIVATE_TEXT_DOCTYPES
	]


def make_roles():
	"""The roles of the beneficiary-relations policy; Beneficiary is a website (portal) role. A role that
	an administrator has edited keeps its desk access as he left it.

	Frappe itself creates the roles the app's DocType permissions name, while it syncs the DocTypes
	before this hook, with its default desk access (1): a Beneficiary role made that way would turn
	every portal account into a System User. So a role nobody has edited since it was created (its
	`modified` is its `creation`) gets the policy's desk access, written without touching `modified`."""
	for role in ROLES:
		existing = frappe.db.get_value(
			"Role", role["role_name"], ["desk_access", "creation", "modified"], as_dict=True
		)
		if existing:
			if existing.modified == existing.creation and existing.desk_access != role["desk_access"]:
				frappe.db.set_value(
					"Role", role["role_name"], "desk_access", role["desk_access"], update_modified=False
				)
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

"""Existing sites: record which User Permission on Branch the app made for each user's charity_branch,
so that saving a user changes only that one (and never those HR or ERPNext made)."""

from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from charity_beneficiary.beneficiaries.branch_access import CUSTOM_FIELDS, record_existing_branch_permissions


def execute():
	create_custom_fields(CUSTOM_FIELDS, ignore_validate=True)
	record_existing_branch_permissions()

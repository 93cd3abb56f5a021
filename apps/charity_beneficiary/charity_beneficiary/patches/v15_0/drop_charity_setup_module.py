"""The app's "Charity Setup" module never held anything and left modules.txt (issue 13); the Module
Def that install made for it goes too, so the desk and the staff's module profiles stop listing it."""

import frappe
from frappe.database.database import savepoint

MODULE = "Charity Setup"


def execute():
	if not frappe.db.exists("Module Def", {"name": MODULE, "app_name": "charity_beneficiary"}):
		return
	# a site that put something of its own in it (a custom DocType or report) keeps the module
	with savepoint(catch=frappe.LinkExistsError):
		frappe.delete_doc("Module Def", MODULE, ignore_permissions=True)

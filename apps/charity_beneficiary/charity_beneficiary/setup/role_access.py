"""What the app's roles may read outside the app: the masters their forms link to, and the ERPNext
documents and reports their own work makes (R8.2: each role sees what its work needs, never a 403 in
the middle of a form).

- Branch is ERPNext's (HR roles only): every staff role reads it, so a branch can be picked on a
  beneficiary and shown on a request. A Branch Representative's User Permission on Branch still
  narrows the branches he sees to his own.
- The accountant opens the Journal Entry, Purchase Invoice and ledger rows his disbursements made and
  runs the General Ledger and Trial Balance (by beneficiary as party, by fund as dimension); the
  storekeeper opens his Stock Entry and the stock ledger. The manager, who may post either, reads both.

Only read, report and print are given: documents are posted through the app (which inserts them
itself), never created, submitted or cancelled directly. The rules are Custom DocPerms (frappe's
`add_permission`, which first copies the DocType's standard rules) and Custom Roles for the reports
(which keep the report's own roles). Applied at install and, on existing sites, once by a patch, so an
administrator's later change to a rule is never undone by a migrate.
"""

import frappe
from frappe.permissions import add_permission, update_permission_property

MANAGER = "Charity Manager"
OFFICER = "Beneficiary Relations Officer"
RESEARCHER = "Social Researcher"
COMMITTEE = "Research Committee Member"
ACCOUNTANT = "Charity Accountant"
STOREKEEPER = "Charity Storekeeper"
REPRESENTATIVE = "Branch Representative"
STAFF = (MANAGER, OFFICER, RESEARCHER, COMMITTEE, ACCOUNTANT, STOREKEEPER, REPRESENTATIVE)

READ = ("read", "report", "print")

# DocType -> roles that read it (with READ), outside the app's own DocTypes.
READ_ACCESS: dict[str, tuple[str, ...]] = {
	# masters the app's forms link to
	"Branch": STAFF,
	"UOM": STAFF,
	# the accountant's ledgers
	"Journal Entry": (ACCOUNTANT, MANAGER),
	"GL Entry": (ACCOUNTANT, MANAGER),
	"Purchase Invoice": (ACCOUNTANT, MANAGER),
	"Account": (ACCOUNTANT, STOREKEEPER, MANAGER),
	"Cost Center": (ACCOUNTANT, STOREKEEPER, MANAGER),
	"Company": (ACCOUNTANT, STOREKEEPER, MANAGER),
	"Fiscal Year": (ACCOUNTANT, MANAGER),
	"Currency": (ACCOUNTANT, MANAGER),
	"Finance Book": (ACCOUNTANT, MANAGER),
	"Mode of Payment": (ACCOUNTANT, MANAGER),
	"Party Type": (ACCOUNTANT, MANAGER),
	"Supplier": (ACCOUNTANT, MANAGER),
	# the storekeeper's stock
	"Stock Entry": (STOREKEEPER, ACCOUNTANT, MANAGER),
	"Stock Ledger Entry": (STOREKEEPER, MANAGER),
	"Item": (STOREKEEPER, MANAGER),
	"Warehouse": (STOREKEEPER, ACCOUNTANT, MANAGER),
	"Bin": (STOREKEEPER, MANAGER),
}
# Extra rights of a role on a DocType beyond READ.
EXTRA_RIGHTS: dict[tuple[str, str], tuple[str, ...]] = {
	("Branch", MANAGER): ("write", "create"),  # the manager keeps the association's branches
}
# Report -> roles that run it, besides the report's own.
REPORT_ACCESS: dict[str, tuple[str, ...]] = {
	"General Ledger": (ACCOUNTANT, MANAGER),
	"Trial Balance": (ACCOUNTANT, MANAGER),
	"Stock Ledger": (STOREKEEPER, MANAGER),
	"Stock Balance": (STOREKEEPER, MANAGER),
}


def grant_staff_access() -> None:
	"""Idempotent: rules that exist (maybe changed by an administrator) are left as they are."""
	for doctype, roles in READ_ACCESS.items():
		if not frappe.db.exists("DocType", doctype):
			continue
		for role in roles:
			grant(doctype, role, READ + EXTRA_RIGHTS.get((doctype, role), ()))
		frappe.clear_cache(doctype=doctype)
	for report, roles in REPORT_ACCESS.items():
		if frappe.db.exists("Report", report):
			allow_report(report, roles)


def grant(doctype: str, role: str, rights: tuple[str, ...]) -> None:
	if frappe.db.exists("Custom DocPerm", {"parent": doctype, "role": role, "permlevel": 0, "if_owner": 0}):
		return
	add_permission(doctype, role, 0)
	for right in rights:
		update_permission_property(doctype, role, 0, right, 1, validate=False)


def allow_report(report: str, roles: tuple[str, ...]) -> None:
	"""A Custom Role replaces the report's roles, so it starts from them."""
	name = frappe.db.get_value("Custom Role", {"report": report})
	doc = (
		frappe.get_doc("Custom Role", name)
		if name
		else frappe.get_doc(
			{
				"doctype": "Custom Role",
				"report": report,
				"roles": [
					{"role": role}
					for role in frappe.get_all(
						"Has Role", filters={"parent": report, "parenttype": "Report"}, pluck="role"
					)
				],
			}
		)
	)
	present = {row.role for row in doc.roles}
	missing = [role for role in roles if role not in present]
	if not missing and name:
		return
	for role in missing:
		doc.append("roles", {"role": role})
	doc.save(ignore_permissions=True)

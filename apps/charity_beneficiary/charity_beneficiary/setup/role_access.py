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
itself), never created, submitted or cancelled directly. One exception: the Serial and Batch Bundle
that ERPNext itself makes, submits and cancels, under the user's own permissions, for each row of
serial- or batch-tracked goods while the app posts a stock entry. The posters of goods get those rights
on it, and disbursement/permissions.bundle_has_permission lets them use the rights inside the app's
posting only. The rules are Custom DocPerms (frappe's
`add_permission`, which first copies the DocType's standard rules) and Custom Roles for the reports
(which keep the report's own roles). Applied at install and, on existing sites, once by a patch, so an
administrator's later change to a rule is never undone by a migrate.
"""

import frappe
import frappe.permissions
from frappe.core.doctype.doctype.doctype import clear_permissions_cache

MANAGER = "Charity Manager"
OFFICER = "Beneficiary Relations Officer"
RESEARCHER = "Social Researcher"
COMMITTEE = "Research Committee Member"
ACCOUNTANT = "Charity Accountant"
STOREKEEPER = "Charity Storekeeper"
REPRESENTATIVE = "Branch Representative"
STAFF = (MANAGER, OFFICER, RESEARCHER, COMMITTEE, ACCOUNTANT, STOREKEEPER, REPRESENTATIVE)

READ = ("read", "report", "print")
# the rights a Custom DocPerm row has, one column each (frappe's own list)
RIGHT_COLUMNS = frappe.permissions.rights

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
	# ERPNext's stock forms (Stock Entry) read it when they open
	"Stock Settings": (STOREKEEPER, ACCOUNTANT, MANAGER),
	"Serial No": (STOREKEEPER, MANAGER),
	"Batch": (STOREKEEPER, MANAGER),
	"Serial and Batch Bundle": (STOREKEEPER, MANAGER),
}
# Extra rights of a role on a DocType beyond READ.
EXTRA_RIGHTS: dict[tuple[str, str], tuple[str, ...]] = {
	("Branch", MANAGER): ("write", "create"),  # the manager keeps the association's branches
	# ERPNext's own bundles of tracked goods, used inside the app's postings only (see above)
	**{
		("Serial and Batch Bundle", role): ("write", "create", "submit", "cancel")
		for role in (STOREKEEPER, MANAGER)
	},
}
# Report -> roles that run it, besides the report's own.
REPORT_ACCESS: dict[str, tuple[str, ...]] = {
	"General Ledger": (ACCOUNTANT, MANAGER),
	"Trial Balance": (ACCOUNTANT, MANAGER),
	"Stock Ledger": (STOREKEEPER, MANAGER),
	"Stock Balance": (STOREKEEPER, MANAGER),
}


def grant_staff_access() -> None:
	"""Idempotent: rules that exist (maybe changed by an administrator) are left as they are.

	Set-based, because frappe's `add_permission` + `update_permission_property` insert and update one
	row at a time, each insert clearing the DocType's caches (which the next one loads again) and each
	rule validating the whole DocType: 30 to 80 s, 15,000 queries on a site without the rules. Here the
	rules present are read in one query, a DocType whose rules all hold is not touched (nor its cache
	cleared), and a DocType's missing rules are inserted together."""
	present = rules_present()
	doctypes = set(frappe.get_all("DocType", {"name": ("in", list(READ_ACCESS))}, pluck="name"))
	for doctype, roles in READ_ACCESS.items():
		missing = [role for role in roles if (doctype, role) not in present]
		if doctype in doctypes and missing:
			add_rules(doctype, {role: READ + EXTRA_RIGHTS.get((doctype, role), ()) for role in missing})
	for report, roles in REPORT_ACCESS.items():
		if frappe.db.exists("Report", report):
			allow_report(report, roles)


def rules_present() -> set[tuple[str, str]]:
	"""(DocType, role) of the level-0 rules (not only-if-owner) the site has for the app's roles."""
	rows = frappe.get_all(
		"Custom DocPerm",
		filters={"parent": ("in", list(READ_ACCESS)), "role": ("in", STAFF), "permlevel": 0, "if_owner": 0},
		fields=["parent", "role"],
	)
	return {(row.parent, row.role) for row in rows}


def add_rules(doctype: str, rights_by_role: dict[str, tuple[str, ...]]) -> None:
	"""What frappe's `add_permission`, then `update_permission_property` for each right, leave — for
	several roles in one insert: the DocType's standard rules copied first when it has no custom rule
	yet (its first custom rule replaces them, frappe's `setup_custom_perms`), then a rule per role."""
	rows = []
	if not frappe.db.exists("Custom DocPerm", {"parent": doctype}):
		rows = frappe.get_all(
			"DocPerm", {"parent": doctype}, ["role", "permlevel", "if_owner", "idx", *RIGHT_COLUMNS]
		)
	copied = {row.role for row in rows if not row.permlevel and not row.if_owner}
	blank = frappe.new_doc("Custom DocPerm")  # a new rule's defaults (export is on by default)
	rows += [
		{
			"role": role,
			"permlevel": 0,
			"if_owner": 0,
			"idx": 0,
			**{right: int(right in rights or bool(blank.get(right))) for right in RIGHT_COLUMNS},
		}
		for role, rights in rights_by_role.items()
		if role not in copied  # a standard rule of the role is his rule already
	]
	now, user = frappe.utils.now(), frappe.session.user
	columns = ["role", "permlevel", "if_owner", "idx", *RIGHT_COLUMNS]
	frappe.db.bulk_insert(
		"Custom DocPerm",
		["name", "parent", *columns, "creation", "modified", "owner", "modified_by"],
		[
			[frappe.generate_hash(length=10), doctype, *(row[c] for c in columns), now, now, user, user]
			for row in rows
		],
	)
	# add_permission validates the DocType's rules and clears its caches: the app's rules (read, report,
	# print; write and create on Branch) pass frappe's checks, which alter no rule, so only the caches
	clear_permissions_cache(doctype)


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

"""Branch Representatives work only on their branch's records (R8.2).

The manager sets the representative's branch in one place, the User's "Charity Branch" field;
this keeps the matching User Permission on Branch, which Frappe then applies to every DocType
that links a Branch (lists, reads, creation).
"""

import frappe
from frappe import _

# Who may set a representative's branch: the permission follows it with ignore_permissions.
BRANCH_ASSIGNERS = {"Charity Manager", "System Manager"}

CUSTOM_FIELDS = {
	"User": [
		{
			"fieldname": "charity_branch",
			"label": "Charity Branch",
			"fieldtype": "Link",
			"options": "Branch",
			"insert_after": "role_profile_name",
			"description": "Branch Representatives see and create only the records of this branch",
		}
	]
}


def validate_branch_assignment(user, method=None) -> None:
	"""doc_event of User: users may edit their own profile, but not their own branch."""
	before = user.get_doc_before_save()
	# has_value_changed() is true for every new user; only a real change of branch counts
	if (before.get("charity_branch") if before else None) == (user.get("charity_branch") or None):
		return
	if frappe.session.user == "Administrator":
		return
	if not BRANCH_ASSIGNERS & set(frappe.get_roles()):
		frappe.throw(_("Only a Charity Manager can assign a user's branch"), exc=frappe.PermissionError)


def sync_branch_permission(user, method=None) -> None:
	"""doc_event of User: one User Permission on Branch, following the user's charity_branch."""
	existing = frappe.get_all(
		"User Permission", filters={"user": user.name, "allow": "Branch"}, fields=["name", "for_value"]
	)
	wanted = user.get("charity_branch")
	for permission in existing:
		if permission.for_value != wanted:
			frappe.delete_doc("User Permission", permission.name, ignore_permissions=True)
	if wanted and not any(p.for_value == wanted for p in existing):
		frappe.get_doc(
			{
				"doctype": "User Permission",
				"user": user.name,
				"allow": "Branch",
				"for_value": wanted,
				"apply_to_all_doctypes": 1,
			}
		).insert(ignore_permissions=True)

"""Branch Representatives work only on their branch's records (R8.2).

The manager sets the representative's branch in one place, the User's "Charity Branch" field;
this keeps one User Permission on Branch, which Frappe then applies to every DocType that links a
Branch (lists, reads, creation). The app owns that one permission only: its name is recorded on
the User (`charity_branch_permission`), so the User Permissions on Branch that HR or ERPNext gave
the same user for their own reasons are never touched.

Frappe's User Permission lets a record without a branch through, and never looks at the branch of
a record's beneficiary when the record is created. So the records that belong to a beneficiary
(requests, feedback, disbursements) get their branch here, from the beneficiary and never from the
user (`set_branch_from_beneficiary`), and a user restricted to branches may create, read or list
such a record only when its beneficiary's branch is one of his (`has_permission`,
`query_conditions`); a record without a branch is not his.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType

# Who may set a representative's branch: the permission follows it with ignore_permissions.
BRANCH_ASSIGNERS = {"Charity Manager", "System Manager"}
BRANCH_ROLE = "Branch Representative"
# Any of these roles works across branches, whatever else the user has.
CROSS_BRANCH_ROLES = {
	"Charity Manager",
	"Beneficiary Relations Officer",
	"Social Researcher",
	"Research Committee Member",
	"System Manager",
}
PERMISSION_FIELD = "charity_branch_permission"
# DocTypes whose records belong to their beneficiary's branch -> whether they store it in `branch`.
# Aid Disbursement has no branch of its own: its beneficiary's decides.
BRANCH_OF_BENEFICIARY = {
	"Assistance Request": True,
	"Beneficiary Feedback": True,
	"Aid Disbursement": False,
}

CUSTOM_FIELDS = {
	"User": [
		{
			"fieldname": "charity_branch",
			"label": "Charity Branch",
			"fieldtype": "Link",
			"options": "Branch",
			"insert_after": "role_profile_name",
			"description": "Branch Representatives see and create only the records of this branch",
		},
		{
			"fieldname": PERMISSION_FIELD,
			"label": "Charity Branch Permission",
			"fieldtype": "Data",
			"insert_after": "charity_branch",
			"read_only": 1,
			"hidden": 1,
			"no_copy": 1,
			"description": "The User Permission the app made for the Charity Branch (the only one it changes)",
		},
	]
}


# --- who is restricted, to what ------------------------------------------------------------------
def is_branch_only(user: str | None = None) -> bool:
	"""A Branch Representative without a role that works across branches."""
	user = user or frappe.session.user
	if user in ("Administrator", "Guest"):
		return False
	roles = set(frappe.get_roles(user))
	return BRANCH_ROLE in roles and not roles & CROSS_BRANCH_ROLES


def allowed_branches(user: str | None = None, doctype: str | None = None) -> list[str] | None:
	"""The branches a branch-only user works on (his User Permissions on Branch); None: not restricted.

	An empty list means he has no branch yet, and so no record."""
	from frappe.core.doctype.user_permission.user_permission import get_user_permissions

	user = user or frappe.session.user
	if not is_branch_only(user):
		return None
	return sorted(
		{
			permission.doc
			for permission in get_user_permissions(user).get("Branch", [])
			if not permission.applicable_for or permission.applicable_for == doctype
		}
	)


def beneficiary_branch(beneficiary: str | None) -> str | None:
	return frappe.db.get_value("Beneficiary", beneficiary, "branch") if beneficiary else None


def record_branch(doc) -> str | None:
	"""The branch a record belongs to: its beneficiary's, never what the user typed in `branch`."""
	if doc.get("beneficiary"):
		return beneficiary_branch(doc.beneficiary)
	if doc.get("assistance_request"):
		beneficiary = frappe.db.get_value("Assistance Request", doc.assistance_request, "beneficiary")
		return beneficiary_branch(beneficiary)
	# a record for nobody in particular (an anonymous suggestion) keeps its branch
	return doc.get("branch") if is_stored(doc) else None


def is_stored(doc) -> bool:
	return bool(doc.get("name")) and not doc.is_new()


def stored_branch(doc) -> str | None:
	"""The branch of the record as saved, whatever the incoming document now says."""
	if BRANCH_OF_BENEFICIARY.get(doc.doctype):
		return frappe.db.get_value(doc.doctype, doc.name, "branch")
	return beneficiary_branch(frappe.db.get_value(doc.doctype, doc.name, "beneficiary"))


# --- permission hooks (hooks.py) -----------------------------------------------------------------
def has_permission(
	doc, ptype: str | None = None, user: str | None = None, debug: bool = False
) -> bool | None:
	"""A branch-only user acts only on records of his branches; the role permissions decide the rest."""
	allowed = allowed_branches(user, doc.get("doctype"))
	if allowed is None:
		return None
	if ptype == "create" and not (doc.get("beneficiary") or doc.get("assistance_request")):
		return None  # nothing to judge yet: the controller asks for the beneficiary
	if record_branch(doc) not in allowed:
		return False
	# a stored record is his only if it was of his branch before this change, too
	if is_stored(doc) and stored_branch(doc) not in allowed:
		return False
	return None


def query_conditions(user: str | None = None, doctype: str | None = None) -> str | None:
	"""Lists of a branch-only user: only his branches' records, never those without a branch."""
	allowed = allowed_branches(user, doctype)
	if allowed is None or doctype not in BRANCH_OF_BENEFICIARY:
		return None
	if BRANCH_OF_BENEFICIARY[doctype]:
		return branch_condition(doctype, allowed)
	return (
		f"`tab{doctype}`.`beneficiary` in (select `name` from `tabBeneficiary` where "
		f"{branch_condition('Beneficiary', allowed)})"
	)


def branch_condition(doctype: str, allowed: list[str]) -> str:
	"""`branch in (…)`: no branch is no match, and an index on branch can serve it."""
	if not allowed:
		return "1 = 0"
	values = ", ".join(frappe.db.escape(branch) for branch in allowed)
	return f"`tab{doctype}`.`branch` in ({values})"


# --- the branch follows the beneficiary (doc_events) ---------------------------------------------
def set_branch_from_beneficiary(doc, method=None) -> None:
	"""before_validate of the records that belong to a beneficiary: his branch, whatever was sent."""
	if doc.get("beneficiary"):
		doc.branch = beneficiary_branch(doc.beneficiary)
	elif doc.is_new():
		# an anonymous suggestion belongs to the branch of the staff member who records it, if any
		doc.branch = frappe.db.get_value("User", frappe.session.user, "charity_branch") or None


def follow_beneficiary_branch(beneficiary, method=None) -> None:
	"""on_update of Beneficiary: when he moves to another branch, his requests and feedback follow."""
	if not beneficiary.has_value_changed("branch") or beneficiary.is_new():
		return
	for doctype, stores_branch in BRANCH_OF_BENEFICIARY.items():
		if not stores_branch:
			continue
		table = DocType(doctype)
		(
			frappe.qb.update(table)
			.set(table.branch, beneficiary.branch or None)
			.where(table.beneficiary == beneficiary.name)
		).run()


# --- the User's branch and its User Permission (doc_events of User) -----------------------------
def validate_branch_assignment(user, method=None) -> None:
	"""doc_event of User: users may edit their own profile, but not their own branch; the record of
	the app's User Permission is the app's alone (sync_branch_permission writes it past the save):
	whatever a save sends for it is put back."""
	before = user.get_doc_before_save()
	user.set(PERMISSION_FIELD, before.get(PERMISSION_FIELD) if before else None)
	if not branch_changed(user):
		return
	if frappe.session.user == "Administrator":
		return
	if not BRANCH_ASSIGNERS & set(frappe.get_roles()):
		frappe.throw(_("Only a Charity Manager can assign a user's branch"), exc=frappe.PermissionError)


def branch_changed(user) -> bool:
	# has_value_changed() is true for every new user; only a real change of branch counts
	before = user.get_doc_before_save()
	return (before.get("charity_branch") if before else None) != (user.get("charity_branch") or None)


def sync_branch_permission(user, method=None) -> None:
	"""doc_event of User: when charity_branch really changes, the app's own User Permission follows.

	Only the permission recorded in `charity_branch_permission` is replaced; a permission on the same
	branch that someone else made already gives the access, so none is added (nor recorded) then."""
	if not branch_changed(user):
		return
	own = user.get(PERMISSION_FIELD)
	# only the user's own permission on his former branch: never a record the field was made to name
	if own and frappe.db.exists("User Permission", {"name": own, "user": user.name, "allow": "Branch"}):
		frappe.delete_doc("User Permission", own, ignore_permissions=True)
	own = None
	wanted = user.get("charity_branch")
	if wanted and not frappe.db.exists(
		"User Permission",
		{"user": user.name, "allow": "Branch", "for_value": wanted, "apply_to_all_doctypes": 1},
	):
		own = (
			frappe.get_doc(
				{
					"doctype": "User Permission",
					"user": user.name,
					"allow": "Branch",
					"for_value": wanted,
					"apply_to_all_doctypes": 1,
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
	user.db_set(PERMISSION_FIELD, own, update_modified=False)


def record_existing_branch_permissions() -> None:
	"""Patch: the permissions made before they were recorded are those matching charity_branch."""
	users = frappe.get_all(
		"User",
		filters={"charity_branch": ("is", "set"), PERMISSION_FIELD: ("is", "not set")},
		fields=["name", "charity_branch"],
	)
	for user in users:
		own = frappe.db.get_value(
			"User Permission",
			{
				"user": user.name,
				"allow": "Branch",
				"for_value": user.charity_branch,
				"apply_to_all_doctypes": 1,
			},
			order_by="creation asc",
		)
		if own:
			frappe.db.set_value("User", user.name, PERMISSION_FIELD, own, update_modified=False)

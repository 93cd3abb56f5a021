"""Each staff role lands on its own workspace, and the desk's sidebar shows the charity's staff the
modules of their work, not the whole of ERPNext (R8.1).

frappe v15 decides both per user, not per role:
- the page a desk user lands on after login, and at /app, is `User.default_workspace` (`Role.home_page`
  is only read for the website's home page; it is set too, for the portal's links to "home");
- the sidebar lists the workspaces of the modules the user may read, minus `User.block_modules`, which
  a Module Profile (`User.module_profile`) fills. Blocking hides a module's workspaces; it changes no
  permission (the app's workspaces still link the General Ledger, Journal Entry or Stock Entry).

So the app keeps one Module Profile, "موظفو الجمعية", that blocks every module but the app's, and
gives it — with the landing workspace of the user's first staff role — to the users whose roles are
all the app's staff roles: on every save of a user (doc_event) and, for the users that existed before,
at migrate. A user with any other role (a System Manager, an ERPNext accountant) keeps his whole desk;
a profile or workspace chosen by an administrator is never replaced, and the app's profile is taken
away again when the user is given a role from outside the app. A migrate makes the profile and the
roles' home pages only when missing, and adds to the profile only the modules installed since the
last one: what an administrator changed is kept (issue 10.5).
"""

import json

import frappe
from frappe.desk.utils import slug

from charity_beneficiary.setup.roles import STAFF_WORKSPACES
from charity_beneficiary.utils.input_guard import app_modules

MODULE_PROFILE = "موظفو الجمعية"
# global default: the modules the site had at the last migrate (make_module_profile)
KNOWN_MODULES = "charity_staff_profile_known_modules"
# roles every desk user has implicitly; they do not make a user more than the charity's staff
IMPLICIT_ROLES = {"All", "Guest", "Desk User"}


def setup_staff_desk() -> None:
	"""after_migrate: the roles' home pages and the module profile where missing, the modules installed
	since the last migrate blocked, and the existing staff users."""
	set_role_home_pages()
	profile_blocks = set(make_module_profile())
	for user in desk_users():
		if not may_need_staff_desk(user, profile_blocks):
			continue  # most users: judged from three queries for all, without loading each
		doc = frappe.get_doc("User", user.name)
		# judged before apply_staff_desk, which copies the profile's modules onto the unsaved user
		stale = stale_blocked_modules(doc, profile_blocks)
		if apply_staff_desk(doc) or stale:
			doc.save(ignore_permissions=True)


def desk_users() -> list[frappe._dict]:
	"""The enabled desk users but Administrator, with their roles and blocked modules (as rows, the
	shape of a User's child tables)."""
	users = frappe.get_all(
		"User",
		{"user_type": "System User", "enabled": 1, "name": ("not in", ("Administrator", "Guest"))},
		["name", "user_type", "module_profile", "default_workspace"],
	)
	names = [user.name for user in users]
	roles, blocks = {}, {}
	for child, rows in (("Has Role", roles), ("Block Module", blocks)):
		field = "role" if child == "Has Role" else "module"
		for row in frappe.get_all(child, {"parenttype": "User", "parent": ("in", names)}, ["parent", field]):
			rows.setdefault(row.parent, []).append(row)
	for user in users:
		user.roles, user.block_modules = roles.get(user.name, []), blocks.get(user.name, [])
	return users


def may_need_staff_desk(user, profile_blocks: set[str]) -> bool:
	"""Whether apply_staff_desk or stale_blocked_modules might change the user (they decide, on the
	loaded user): a staff-only user without the profile or a workspace, a user of the app's profile
	who is no longer staff only or whose blocked modules differ from the profile's."""
	if stale_blocked_modules(user, profile_blocks):
		return True
	if is_staff_only(user):
		return not user.module_profile or not user.default_workspace
	return user.module_profile == MODULE_PROFILE


def stale_blocked_modules(user, profile_blocks: set[str]) -> bool:
	"""A user of the profile whose blocked modules predate a change of the profile."""
	if user.module_profile != MODULE_PROFILE:
		return False
	return {row.module for row in user.block_modules} != profile_blocks


def set_role_home_pages() -> None:
	"""Only a role without a home page gets the app's: one an administrator chose is kept."""
	for role, workspace in STAFF_WORKSPACES.items():
		if frappe.db.exists("Role", role) and not frappe.db.get_value("Role", role, "home_page"):
			frappe.db.set_value("Role", role, "home_page", f"app/{slug(workspace)}")


def make_module_profile() -> list[str]:
	"""The profile blocks every module but the app's; returns the modules it blocks.

	Made when missing. Afterwards only the modules installed since the last migrate are added to it:
	a module an administrator unblocked (or blocked) stays as he left it. The modules already seen are
	kept in a global default, as the profile itself cannot tell an unblocked module from a new one."""
	modules = frappe.get_all("Module Def", pluck="name")
	outside = {m for m in modules if m not in app_modules()}
	if frappe.db.exists("Module Profile", MODULE_PROFILE):
		profile = frappe.get_doc("Module Profile", MODULE_PROFILE)
		known = frappe.db.get_global(KNOWN_MODULES)
		# the first migrate after this rule: the profile was made (and kept) with every module of the site
		new = outside - set(json.loads(known)) if known else set()
		new -= {row.module for row in profile.block_modules}
		if new:
			for module in sorted(new):
				profile.append("block_modules", {"module": module})
			profile.save(ignore_permissions=True)
	else:
		profile = frappe.new_doc("Module Profile")
		profile.module_profile_name = MODULE_PROFILE
		profile.set("block_modules", [{"module": module} for module in sorted(outside)])
		profile.insert(ignore_permissions=True)
	frappe.db.set_global(KNOWN_MODULES, json.dumps(sorted(modules)))
	return sorted(row.module for row in profile.block_modules)


def is_staff_only(user) -> bool:
	"""A desk user all of whose roles are the app's staff roles."""
	roles = {row.role for row in user.get("roles") or []} - IMPLICIT_ROLES
	return bool(roles) and roles <= set(STAFF_WORKSPACES)


def landing_workspace(user) -> str | None:
	roles = {row.role for row in user.get("roles") or []}
	return next((ws for role, ws in STAFF_WORKSPACES.items() if role in roles), None)


def apply_staff_desk(user, method=None) -> bool:
	"""doc_event of User (validate): give a staff-only user the app's module profile and his role's
	workspace; take the profile away when he is no longer staff only. Whether anything changed."""
	if user.user_type != "System User" or not frappe.db.exists("Module Profile", MODULE_PROFILE):
		return False
	before = (user.module_profile, user.default_workspace)
	if is_staff_only(user):
		user.module_profile = user.module_profile or MODULE_PROFILE
		workspace = landing_workspace(user)
		if not user.default_workspace and workspace and frappe.db.exists("Workspace", workspace):
			user.default_workspace = workspace
	elif user.module_profile == MODULE_PROFILE:
		user.module_profile = None
		user.set("block_modules", [])
	if user.module_profile == MODULE_PROFILE:
		user.validate_allowed_modules()  # frappe copies the profile's modules before this hook runs
	return (user.module_profile, user.default_workspace) != before


# --- the workspace's shortcuts ---------------------------------------------------------------------
@frappe.whitelist()
def get_desktop_page(page: str) -> dict:
	"""frappe's workspace page (hooked over frappe.desk.desktop.get_desktop_page), without the shortcuts
	to a new record of a DocType the user may not create. frappe shows a shortcut to whoever may read
	its DocType: the researcher and the committee member, who read requests but take none, opened the
	officer's "new request" on an empty form without a save button."""
	from frappe.desk.desktop import get_desktop_page as frappe_desktop_page

	data = frappe_desktop_page(page)
	shortcuts = (data or {}).get("shortcuts") or {}
	if shortcuts.get("items"):
		shortcuts["items"] = [item for item in shortcuts["items"] if not creates_unpermitted(item)]
	return data


def creates_unpermitted(item) -> bool:
	return (
		item.get("type") == "DocType"
		and item.get("doc_view") == "New"
		and not frappe.has_permission(item.get("link_to"), "create")
	)

"""Social researchers see only the work assigned to them (R3.1).

A user whose only work role is Social Researcher sees the Assistance Requests assigned to him for
research (`researcher`) or referred to him with a question (`referred_to`), and only his own Research
Reports. Roles that work across requests (managers, officers, committee members, system managers)
are not narrowed; everybody else is left to the role permissions.

Hooked in hooks.py through `has_permission` and `permission_query_conditions`.
"""

import frappe

RESEARCHER_ROLE = "Social Researcher"
# Any of these roles lets a researcher see every request and report (as the role permissions allow).
UNRESTRICTED_ROLES = {
	"Charity Manager",
	"Beneficiary Relations Officer",
	"Research Committee Member",
	"System Manager",
}


def is_researcher_only(user: str | None = None) -> bool:
	"""Social Researcher is the user's only work role (Administrator never is)."""
	user = user or frappe.session.user
	if user == "Administrator":
		return False
	roles = set(frappe.get_roles(user))
	return RESEARCHER_ROLE in roles and not roles & UNRESTRICTED_ROLES


# --- Assistance Request -------------------------------------------------------------------------
def request_has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	"""A researcher-only user may act on a request only when it is assigned or referred to him."""
	user = user or frappe.session.user
	if not is_researcher_only(user):
		return None
	if user in (doc.get("researcher"), doc.get("referred_to")):
		return None  # the role permissions decide what he may do with it
	return False


def request_query_conditions(user: str | None = None, doctype: str | None = None) -> str | None:
	user = user or frappe.session.user
	if not is_researcher_only(user):
		return None
	escaped = frappe.db.escape(user)
	return (
		f"(`tabAssistance Request`.`researcher` = {escaped}"
		f" or `tabAssistance Request`.`referred_to` = {escaped})"
	)


# --- Research Report ----------------------------------------------------------------------------
def report_has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	"""A researcher-only user may act only on his own reports (the report's researcher)."""
	user = user or frappe.session.user
	if not is_researcher_only(user):
		return None
	researcher = doc.get("researcher")
	if researcher == user:
		return None
	if ptype == "create" and not researcher:
		return None  # the controller fills the researcher in and checks the assignment
	return False


def report_query_conditions(user: str | None = None, doctype: str | None = None) -> str | None:
	user = user or frappe.session.user
	if not is_researcher_only(user):
		return None
	return f"`tabResearch Report`.`researcher` = {frappe.db.escape(user)}"

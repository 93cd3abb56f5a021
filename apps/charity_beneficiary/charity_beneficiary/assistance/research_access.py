"""Social researchers see only the work assigned to them (R3.1, R8.2).

A user whose only work role is Social Researcher sees the Assistance Requests assigned to him for
research (`researcher`) or referred to him with a question (`referred_to`), only his own Research
Reports, and the files of the beneficiaries of those requests or whose periodic review he was given
(an open review task, beneficiaries/reminders.py), not the whole register. Roles that work across
requests (managers, officers, system managers) are not narrowed; a researcher who also sits on the
committee reads the committee's scope too (committee_access.py), not everything; everybody else is
left to the role permissions.

Hooked in hooks.py through `has_permission` and `permission_query_conditions`.
"""

import frappe
from frappe.query_builder import DocType

from charity_beneficiary.assistance import committee_access

RESEARCHER_ROLE = "Social Researcher"
# Any of these roles lets a researcher see every request and report (as the role permissions allow).
UNRESTRICTED_ROLES = {
	"Charity Manager",
	"Beneficiary Relations Officer",
	"System Manager",
}
# what a researcher may do with a request referred to him, not assigned
READ_ONLY_PTYPES = frozenset({"read", "print"})


def is_researcher_only(user: str | None = None) -> bool:
	"""Social Researcher is the user's only work role (Administrator never is)."""
	user = user or frappe.session.user
	if user == "Administrator":
		return False
	roles = set(frappe.get_roles(user))
	return RESEARCHER_ROLE in roles and not roles & UNRESTRICTED_ROLES


# --- Assistance Request -------------------------------------------------------------------------
def request_has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	"""A researcher-only user may act on a request assigned to him; one referred to him with a
	question (R2.3) he reads, and answers through answer_referral, but does not change."""
	user = user or frappe.session.user
	if not is_researcher_only(user):
		return None
	reading = (ptype or "read") in READ_ONLY_PTYPES
	if user == (doc.get("researcher") if reading else stored(doc, "researcher")):
		return None  # the role permissions decide what he may do with it
	if user == doc.get("referred_to") and reading:
		return None
	if committee_access.member_reads(user, committee_access.request_in_scope, doc):
		return None
	return False


def stored(doc, fieldname: str):
	"""The stored value of a field: a write is checked on the document as sent, and one who sends
	himself as its researcher is not its researcher yet."""
	name = doc.get("name")
	if not name or (hasattr(doc, "is_new") and doc.is_new()):
		return doc.get(fieldname)
	return frappe.db.get_value(doc.get("doctype") or "Assistance Request", name, fieldname)


def request_query_conditions(user: str | None = None, doctype: str | None = None) -> str | None:
	user = user or frappe.session.user
	if not is_researcher_only(user):
		return None
	escaped = frappe.db.escape(user)
	return committee_access.or_member_scope(
		user,
		f"(`tabAssistance Request`.`researcher` = {escaped}"
		f" or `tabAssistance Request`.`referred_to` = {escaped})",
		committee_access.request_scope,
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
	if committee_access.member_reads(user, committee_access.report_in_scope, doc):
		return None
	return False


def report_query_conditions(user: str | None = None, doctype: str | None = None) -> str | None:
	user = user or frappe.session.user
	if not is_researcher_only(user):
		return None
	return committee_access.or_member_scope(
		user, f"`tabResearch Report`.`researcher` = {frappe.db.escape(user)}", committee_access.report_scope
	)


# --- Beneficiary --------------------------------------------------------------------------------
def beneficiary_has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	"""A researcher-only user reads (the role permissions give him no more) the file of a beneficiary
	he researches or reviews."""
	user = user or frappe.session.user
	if not is_researcher_only(user):
		return None
	name = doc.get("name")
	if name and researches(user, name):
		return None
	if committee_access.member_reads(user, committee_access.beneficiary_in_scope, doc):
		return None
	return False


def researches(user: str, beneficiary: str) -> bool:
	request, todo = DocType("Assistance Request"), DocType("ToDo")
	assigned = (
		frappe.qb.from_(request)
		.select(request.name)
		.where(
			(request.beneficiary == beneficiary)
			& ((request.researcher == user) | (request.referred_to == user))
		)
		.limit(1)
	)
	reviewing = (
		frappe.qb.from_(todo)
		.select(todo.name)
		.where(
			(todo.reference_type == "Beneficiary")
			& (todo.reference_name == beneficiary)
			& (todo.allocated_to == user)
			& (todo.status == "Open")
		)
		.limit(1)
	)
	return bool(assigned.run() or reviewing.run())


def beneficiary_query_conditions(user: str | None = None, doctype: str | None = None) -> str | None:
	user = user or frappe.session.user
	if not is_researcher_only(user):
		return None
	escaped = frappe.db.escape(user)
	return committee_access.or_member_scope(
		user,
		"(`tabBeneficiary`.`name` in (select `beneficiary` from `tabAssistance Request`"
		f" where `researcher` = {escaped} or `referred_to` = {escaped})"
		" or `tabBeneficiary`.`name` in (select `reference_name` from `tabToDo`"
		f" where `reference_type` = 'Beneficiary' and `allocated_to` = {escaped} and `status` = 'Open'))",
		committee_access.beneficiary_scope,
	)

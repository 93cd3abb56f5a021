"""Research committee members read the requests brought before the committee, not the register (R3.3,
R8.2).

A user whose only work role is Research Committee Member reads (and decides, as the role permissions
and the meetings allow) the Assistance Requests that wait for the committee ("Pending Committee"),
that are on the agenda of one of its meetings or that a meeting decided (the committee's own record),
the Research Reports of those requests, and the files of their beneficiaries and of the households
listed in the seasonal programmes on its agendas. Before: every applicant's file, contact details and
research report, from the first day of a request still being verified.

A member who also holds another work role (an officer, a researcher, a poster, the manager) is not
narrowed here: that role's own rules, or none, apply, as for the researcher (research_access.py) and
the accountant (disbursement/permissions.py). Hooked in hooks.py through `has_permission` and
`permission_query_conditions`.
"""

import frappe
from frappe.query_builder import DocType
from frappe.query_builder.functions import Coalesce
from pypika.terms import ExistsCriterion

from charity_beneficiary.assistance.states import COMMITTEE_STATE

COMMITTEE_ROLE = "Research Committee Member"
# Roles whose work reads requests or files beyond the committee's: they keep their own rules.
OTHER_WORK_ROLES = frozenset(
	(
		"System Manager",
		"Charity Manager",
		"Beneficiary Relations Officer",
		"Social Researcher",
		"Branch Representative",
		"Charity Accountant",
		"Charity Storekeeper",
	)
)
MEETING = "Research Committee Meeting"
# Of those, the roles whose own rules decide which research reports the user reads (the posters and
# branch representatives read none by their roles: a member who is one is narrowed here for reports).
REPORT_WORK_ROLES = frozenset(
	("System Manager", "Charity Manager", "Beneficiary Relations Officer", "Social Researcher")
)


def is_committee_only(user: str | None = None, other_roles: frozenset = OTHER_WORK_ROLES) -> bool:
	"""Research Committee Member is the user's only work role among `other_roles` (Administrator never
	is)."""
	user = user or frappe.session.user
	if user == "Administrator":
		return False
	roles = set(frappe.get_roles(user))
	return COMMITTEE_ROLE in roles and not roles & other_roles


def reads_reports_as_committee(user: str | None = None) -> bool:
	return is_committee_only(user, REPORT_WORK_ROLES)


# --- the conditions, as SQL for lists ------------------------------------------------------------
def before_committee_sql(table: str) -> str:
	"""`table` (an Assistance Request table or alias) waits for the committee, was decided by one of
	its meetings (a seasonal programme's requests too) or is on an agenda."""
	return (
		f"({table}.`workflow_state` = {frappe.db.escape(COMMITTEE_STATE)}"
		f" or ifnull({table}.`committee_meeting`, '') != ''"
		" or exists (select 1 from `tabCommittee Agenda Item` as `agenda`"
		f" where `agenda`.`parenttype` = {frappe.db.escape(MEETING)}"
		f" and `agenda`.`assistance_request` = {table}.`name`))"
	)


def request_query_conditions(user: str | None = None, doctype: str | None = None) -> str | None:
	return request_scope() if is_committee_only(user) else None


def report_query_conditions(user: str | None = None, doctype: str | None = None) -> str | None:
	return report_scope() if reads_reports_as_committee(user) else None


def beneficiary_query_conditions(user: str | None = None, doctype: str | None = None) -> str | None:
	return beneficiary_scope() if is_committee_only(user) else None


# The committee's scope as SQL conditions on each DocType's table; also what a committee member who
# is a researcher or an accountant reads besides that work (research_access.py, disbursement/
# permissions.py add it to theirs: each narrowed role alone saw less than the two together).
def request_scope() -> str:
	return before_committee_sql("`tabAssistance Request`")


def report_scope() -> str:
	return (
		"exists (select 1 from `tabAssistance Request` as `studied`"
		" where `studied`.`name` = `tabResearch Report`.`assistance_request`"
		f" and {before_committee_sql('`studied`')})"
	)


def beneficiary_scope() -> str:
	return (
		"(exists (select 1 from `tabAssistance Request` as `presented`"
		" where `presented`.`beneficiary` = `tabBeneficiary`.`name`"
		f" and {before_committee_sql('`presented`')})"
		" or exists (select 1 from `tabAid Programme Line` as `listed`"
		" join `tabCommittee Agenda Item` as `programme_agenda`"
		" on `programme_agenda`.`aid_programme` = `listed`.`parent`"
		f" and `programme_agenda`.`parenttype` = {frappe.db.escape(MEETING)}"
		" where `listed`.`parenttype` = 'Aid Programme'"
		" and `listed`.`beneficiary` = `tabBeneficiary`.`name`))"
	)


# --- the same conditions, for one record ----------------------------------------------------------
def request_has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	if not is_committee_only(user):
		return None
	return None if request_in_scope(doc) else False


def report_has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	if not reads_reports_as_committee(user):
		return None
	return None if report_in_scope(doc) else False


def beneficiary_has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	if not is_committee_only(user):
		return None
	return None if beneficiary_in_scope(doc) else False


def request_in_scope(doc) -> bool:
	return bool(doc.get("name")) and before_committee(doc.get("name"))


def report_in_scope(doc) -> bool:
	return bool(doc.get("assistance_request")) and before_committee(doc.get("assistance_request"))


def beneficiary_in_scope(doc) -> bool:
	return bool(doc.get("name")) and presented(doc.get("name"))


def has_committee_role(user: str | None = None) -> bool:
	return COMMITTEE_ROLE in frappe.get_roles(user or frappe.session.user)


# --- for the other narrowed roles (research_access.py, disbursement/permissions.py) -----------------
def or_member_scope(user: str | None, condition: str, scope) -> str:
	"""Another narrowed role's `condition`, widened by the committee's `scope` (request_scope, …)
	when the user also sits on the committee: the union of both works, not everything."""
	return f"({condition} or {scope()})" if has_committee_role(user) else condition


def member_reads(user: str | None, in_scope, doc) -> bool:
	"""The user sits on the committee and `doc` is in its scope (request_in_scope, …)."""
	return has_committee_role(user) and in_scope(doc)


def before_committee_criterion(request):
	"""before_committee_sql, for frappe.qb."""
	return (
		(request.workflow_state == COMMITTEE_STATE)
		| (Coalesce(request.committee_meeting, "") != "")
		| on_an_agenda(request.name)
	)


def on_an_agenda(request_field):
	agenda = DocType("Committee Agenda Item")
	return ExistsCriterion(
		frappe.qb.from_(agenda)
		.select(agenda.name)
		.where((agenda.parenttype == MEETING) & (agenda.assistance_request == request_field))
	)


def before_committee(request_name: str) -> bool:
	"""The stored request waits for the committee or is on an agenda: what a user sends is not yet
	so (a write is checked against the request as stored)."""
	request = DocType("Assistance Request")
	return bool(
		frappe.qb.from_(request)
		.select(request.name)
		.where(request.name == request_name)
		.where(before_committee_criterion(request))
		.run()
	)


def presented(beneficiary: str) -> bool:
	"""A request of the beneficiary is before the committee, or a programme on an agenda lists him."""
	request, line, agenda = (
		DocType("Assistance Request"),
		DocType("Aid Programme Line"),
		DocType("Committee Agenda Item"),
	)
	by_request = (
		frappe.qb.from_(request)
		.select(request.name)
		.where(request.beneficiary == beneficiary)
		.where(before_committee_criterion(request))
		.limit(1)
	)
	by_programme = (
		frappe.qb.from_(line)
		.join(agenda)
		.on((agenda.aid_programme == line.parent) & (agenda.parenttype == MEETING))
		.select(line.name)
		.where((line.parenttype == "Aid Programme") & (line.beneficiary == beneficiary))
		.limit(1)
	)
	return bool(by_request.run() or by_programme.run())

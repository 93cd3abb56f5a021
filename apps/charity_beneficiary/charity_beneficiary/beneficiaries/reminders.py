"""Daily reminders and periodic re-assessment of beneficiaries (R6.2).

Three daily jobs (hooks.py `scheduler_events["daily"]`), each safe to run twice a day:

- `remind_expiring_documents`: N days (Charity Settings) before an identity or a document expires,
  the beneficiary is told in Arabic, the Hijri date beside the Gregorian, by e-mail and SMS. The
  reminder leaves an Info comment on the beneficiary whose subject names the document and its
  expiry date: the job skips what such a comment already records, so a beneficiary is told once per
  expiry date, and told again when the renewed document nears its new date.
- `flag_expired_documents`: `documents_expired` is set while the identity or a document has expired
  and cleared once renewed. Services that need an expired document refuse him at submission
  (assistance/eligibility.py); the flag is the officer's list filter.
- `flag_due_reviews`: when `next_review_date` comes, the beneficiary is marked `due_for_review`, a
  ToDo goes to a Social Researcher of his branch (any researcher when his branch has none) and he
  is told. The next submitted research report of his (`reviewed`) clears the mark and sets the
  next date from his categories' review interval or the settings' default.

Each job selects only its due rows with one query (the date conditions and "already told" in SQL)
and updates the flags with one set-based UPDATE; the per-row work is bounded by the day's due rows,
never by the size of the register.
"""

from __future__ import annotations

from collections import Counter

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Concat, Count
from frappe.translate import print_language
from frappe.utils import add_days, cint, escape_html, getdate, today
from frappe.utils.jinja_globals import is_rtl
from pypika.terms import ExistsCriterion

from charity_beneficiary.beneficiaries import reminders_rules as rules
from charity_beneficiary.utils import audit, channels
from charity_beneficiary.utils.language import with_hijri

SETTINGS = "Charity Settings"
# Who is told about expiring documents, and whose reviews come round.
TOLD_STATUSES = ("Applicant", "Active")
REVIEWED_STATUSES = ("Active",)
RESEARCHER_ROLE = "Social Researcher"
LANGUAGE = "ar"  # the beneficiary is told in Arabic (the scheduler itself speaks English)
# The subject of the reminder comment, "Expiry reminder|<what>|<expiry date>": the job's memory of
# what it has told. <what> is IDENTITY or DOCUMENT + the document type.
REMINDER_SUBJECT = "Expiry reminder|"
IDENTITY = "identity|"
DOCUMENT = "document:"
FLAG_CHUNK = 1000  # names per UPDATE … WHERE name IN (…)


# --- the settings ------------------------------------------------------------------------------------
def setting(fieldname: str) -> int:
	"""An Int of Charity Settings; a field added after the settings were last saved has no stored
	value yet (frappe.db.get_single_value would read 0): its default applies."""
	singles = DocType("Singles")
	stored = (
		frappe.qb.from_(singles)
		.select(singles.value)
		.where((singles.doctype == SETTINGS) & (singles.field == fieldname))
	).run(pluck=True)
	if stored and stored[0] not in (None, ""):
		return cint(stored[0])
	return cint(frappe.get_meta(SETTINGS).get_field(fieldname).default)


# --- 1. reminders before expiry ---------------------------------------------------------------------
def remind_expiring_documents(on=None) -> list[frappe._dict]:
	"""Tell every beneficiary whose identity or document expires within the window and who was not
	told about that expiry date yet. Returns the reminders sent by this run: one that reached him by
	no channel (no address, no e-mail or SMS set up) is not remembered, and is tried again the next day."""
	day = getdate(on or today())
	window = rules.reminder_window(day, setting("document_reminder_days"))
	if not window:
		return []
	due = expiring_identities(*window) + expiring_documents(*window)
	with print_language(LANGUAGE):
		return [row for row in due if tell_expiry(row)]


def expiring_identities(start, end) -> list[frappe._dict]:
	ben = DocType("Beneficiary")
	return (
		frappe.qb.from_(ben)
		.select(
			ben.name,
			ben.beneficiary_name,
			ben.email_id,
			ben.mobile_no,
			ben.id_type.as_("document_type"),
			ben.id_expiry_date.as_("expiry_date"),
			Concat(REMINDER_SUBJECT, IDENTITY, ben.id_expiry_date).as_("marker"),
		)
		.where(
			ben.status.isin(TOLD_STATUSES)
			& ben.id_expiry_date[start:end]
			& not_told(ben.name, Concat(REMINDER_SUBJECT, IDENTITY, ben.id_expiry_date))
		)
	).run(as_dict=True)


def expiring_documents(start, end) -> list[frappe._dict]:
	"""Documents expiring between `start` and `end`, unless renewed already (a newer copy valid
	after `end` kept beside it)."""
	ben, document = DocType("Beneficiary"), DocType("Beneficiary Document").as_("document")
	marker = Concat(REMINDER_SUBJECT, DOCUMENT, document.document_type, "|", document.expiry_date)
	return (
		frappe.qb.from_(document)
		.join(ben)
		.on((document.parent == ben.name) & (document.parenttype == "Beneficiary"))
		.select(
			ben.name,
			ben.beneficiary_name,
			ben.email_id,
			ben.mobile_no,
			document.document_type,
			document.expiry_date,
			marker.as_("marker"),
		)
		.where(
			(document.parentfield == "documents")
			& ben.status.isin(TOLD_STATUSES)
			& document.expiry_date[start:end]
			& renewal_of(document, valid_on=add_days(end, 1)).negate()
			& not_told(ben.name, marker)
		)
		.distinct()
	).run(as_dict=True)


def not_told(beneficiary, marker):
	"""No reminder comment with this marker on the beneficiary (Comment is indexed by reference)."""
	comment = DocType("Comment")
	return ExistsCriterion(
		frappe.qb.from_(comment)
		.select(comment.name)
		.where(
			(comment.reference_doctype == "Beneficiary")
			& (comment.reference_name == beneficiary)
			& (comment.comment_type == "Info")
			& (comment.subject == marker)
		)
	).negate()


def tell_expiry(row: frappe._dict) -> bool:
	expiry = getdate(row.expiry_date)
	what = _(row.document_type)
	when = dated(expiry)
	text = _(
		"Dear {0}, your {1} expires on {2}. Please renew it and give the association the new copy "
		"so that your aid is not interrupted."
	).format(row.beneficiary_name, what, when)
	sent = tell(row, _("Your {0} expires on {1}").format(what, when), text)
	if sent:  # the marker is the memory that he was told: none when nothing reached him
		record(row.name, row.marker, text, sent)
	return bool(sent)


# --- 2. flags on expiry -------------------------------------------------------------------------------
def flag_expired_documents(on=None) -> dict[str, list[str]]:
	"""Set `documents_expired` on the beneficiaries whose identity or a document has expired, clear
	it on those who renewed. Returns the names flagged and cleared by this run."""
	day = getdate(on or today())
	ben = DocType("Beneficiary")
	flagged = (
		frappe.qb.from_(ben)
		.select(ben.name)
		.where((ben.documents_expired == 0) & (ben.id_expiry_date < day))
		.union(expired_documents_of(day, flag=0))
	).run(pluck=True)
	renewed = (
		frappe.qb.from_(ben)
		.select(ben.name)
		.where(
			(ben.documents_expired == 1)
			& (ben.id_expiry_date.isnull() | (ben.id_expiry_date >= day))
			& ben.name.notin(expired_documents_of(day, flag=1))
		)
	).run(pluck=True)
	set_flag("documents_expired", flagged, 1)
	set_flag("documents_expired", renewed, 0)
	return {"flagged": flagged, "cleared": renewed}


def expired_documents_of(day, flag: int):
	"""Beneficiaries (with `documents_expired` = flag) holding a document whose type has no row
	still valid: an expired copy kept beside its renewal does not count."""
	ben, document = DocType("Beneficiary"), DocType("Beneficiary Document").as_("document")
	return (
		frappe.qb.from_(document)
		.join(ben)
		.on((document.parent == ben.name) & (document.parenttype == "Beneficiary"))
		.select(ben.name)
		.where(
			(document.parentfield == "documents")
			& (ben.documents_expired == flag)
			& (document.expiry_date < day)
			& renewal_of(document, valid_on=day).negate()
		)
	)


def renewal_of(document, valid_on) -> ExistsCriterion:
	"""Another row of the same type on the same record, valid on `valid_on` (or without an expiry):
	the renewal kept beside an older copy. `document` must be aliased: the subquery reads the same
	table, and unaliased columns would compare the renewal with itself."""
	renewal = DocType("Beneficiary Document").as_("renewal")
	return ExistsCriterion(
		frappe.qb.from_(renewal)
		.select(renewal.name)
		.where(
			(renewal.parent == document.parent)
			& (renewal.parenttype == "Beneficiary")
			& (renewal.parentfield == "documents")
			& (renewal.document_type == document.document_type)
			& (renewal.name != document.name)
			& (renewal.expiry_date.isnull() | (renewal.expiry_date >= valid_on))
		)
	)


def set_flag(fieldname: str, names: list[str], value: int) -> None:
	"""One UPDATE per chunk of names, and a Version on each record naming the change (audit.py).
	These code-owned fields (utils/code_owned.REMINDERS) are written past the document's save, so
	no user input is involved.

	The record's `modified` stays: an officer editing the form meanwhile can still save it."""
	ben = DocType("Beneficiary")
	for start in range(0, len(names), FLAG_CHUNK):
		chunk = names[start : start + FLAG_CHUNK]
		frappe.qb.update(ben).set(ben[fieldname], value).where(ben.name.isin(chunk)).run()
	for name in names:
		audit.record_version("Beneficiary", name, [[fieldname, int(not value), value]])


# --- 3. periodic re-assessment -------------------------------------------------------------------------
def flag_due_reviews(on=None) -> list[str]:
	"""Mark the active beneficiaries whose review date has come as due for review, give each review
	to a researcher of his branch and tell the beneficiary. Returns the names marked by this run."""
	day = getdate(on or today())
	ben = DocType("Beneficiary")
	due = (
		frappe.qb.from_(ben)
		.select(ben.name, ben.beneficiary_name, ben.branch, ben.email_id, ben.mobile_no, ben.next_review_date)
		.where(ben.status.isin(REVIEWED_STATUSES) & (ben.next_review_date <= day) & (ben.due_for_review == 0))
		.orderby(ben.next_review_date)
	).run(as_dict=True)
	if not due:
		return []
	set_flag("due_for_review", [row.name for row in due], 1)
	researchers = Researchers()
	with print_language(LANGUAGE):
		for row in due:
			start_review(row, researchers.pick(row.branch))
	return [row.name for row in due]


def start_review(row: frappe._dict, researcher: str | None) -> None:
	review_date = getdate(row.next_review_date)
	if researcher:
		frappe.get_doc(
			{
				"doctype": "ToDo",
				"allocated_to": researcher,
				"assigned_by": "Administrator",
				"role": RESEARCHER_ROLE,  # marks the review's task: the research report closes it
				"reference_type": "Beneficiary",
				"reference_name": row.name,
				"date": review_date,
				"description": _(
					"Periodic review of {0}: the review date {1} has come. Submit a research report "
					"on a request of this beneficiary to complete it."
				).format(escape_html(row.beneficiary_name or row.name), dated(review_date)),
			}
		).insert(ignore_permissions=True)
	text = _(
		"Dear {0}, the periodic review of your file with the association is due on {1}. A social "
		"researcher will contact you to update your information."
	).format(row.beneficiary_name, dated(review_date))
	sent = tell(row, _("Your file is due for its periodic review"), text)
	if not researcher:
		text += " " + _("No social researcher could be given the review: please assign one.")
	record(row.name, None, text, sent)


class Researchers:
	"""The enabled Social Researchers with their branches and open tasks, read once per run: the
	review goes to the least loaded researcher of the beneficiary's branch, else of any branch."""

	def __init__(self):
		user, has_role = DocType("User"), DocType("Has Role")
		rows = (
			frappe.qb.from_(user)
			.join(has_role)
			.on((has_role.parent == user.name) & (has_role.parenttype == "User"))
			.select(user.name, user.charity_branch)
			.where(
				(has_role.role == RESEARCHER_ROLE)
				& (user.enabled == 1)
				& user.name.notin(["Administrator", "Guest"])
			)
			.distinct()
			.orderby(user.name)
		).run(as_dict=True)
		self.branches = {row.name: {row.charity_branch} - {None, ""} for row in rows}
		for name, branch in self.branch_permissions():
			self.branches[name].add(branch)
		self.load = Counter({name: 0 for name in self.branches}) + Counter(self.open_tasks())

	def branch_permissions(self) -> list[tuple[str, str]]:
		permission = DocType("User Permission")
		return (
			frappe.qb.from_(permission)
			.select(permission.user, permission.for_value)
			.where((permission.allow == "Branch") & permission.user.isin(list(self.branches) or [""]))
		).run()

	def open_tasks(self) -> dict[str, int]:
		todo = DocType("ToDo")
		return dict(
			(
				frappe.qb.from_(todo)
				.select(todo.allocated_to, Count(todo.name))
				.where((todo.status == "Open") & todo.allocated_to.isin(list(self.branches) or [""]))
				.groupby(todo.allocated_to)
			).run()
		)

	def pick(self, branch: str | None) -> str | None:
		candidates = [name for name, branches in self.branches.items() if branch and branch in branches]
		candidates = candidates or list(self.branches)
		if not candidates:
			return None
		chosen = min(candidates, key=lambda name: (self.load[name], name))
		self.load[chosen] += 1
		return chosen


def reviewed(beneficiary: str, on=None) -> None:
	"""A research report on the beneficiary was submitted: his review is done, the next one comes
	after his interval (called from ResearchReport.on_submit)."""
	day = getdate(on or today())
	values = {"due_for_review": 0}
	next_date = rules.next_review_date(day, review_interval(beneficiary))
	current = frappe.db.get_value("Beneficiary", beneficiary, "next_review_date")
	if next_date or rules.review_is_due(getdate(current) if current else None, day):
		# without any interval a date that has come is cleared, a future one set by hand is kept
		values["next_review_date"] = next_date
	audit.set_values("Beneficiary", beneficiary, values)
	close_review_tasks(beneficiary)


def review_interval(beneficiary: str) -> int:
	row, category = DocType("Beneficiary Category Row"), DocType("Beneficiary Category")
	months = (
		frappe.qb.from_(row)
		.join(category)
		.on(category.name == row.category)
		.select(category.review_interval_months)
		.where((row.parent == beneficiary) & (row.parenttype == "Beneficiary"))
	).run(pluck=True)
	return rules.review_interval(months, setting("default_review_interval_months"))


def close_review_tasks(beneficiary: str) -> None:
	for name in frappe.get_all(
		"ToDo",
		filters={
			"reference_type": "Beneficiary",
			"reference_name": beneficiary,
			"role": RESEARCHER_ROLE,
			"status": "Open",
		},
		pluck="name",
	):
		todo = frappe.get_doc("ToDo", name)
		todo.status = "Closed"
		todo.save(ignore_permissions=True)


# --- telling the beneficiary ---------------------------------------------------------------------------
def dated(day) -> str:
	return with_hijri(day, lang=LANGUAGE)


def tell(row: frappe._dict, subject: str, text: str) -> list[str]:
	"""E-mail and SMS when the beneficiary has an address and the channel is set up; returns the
	channels used. A gateway that fails is logged and does not stop the day's other reminders."""
	sent = []
	if row.email_id and channels.send_mail(
		recipients=[row.email_id],
		subject=subject,
		# the direction of the language he is told in (frappe knows which languages are right to left)
		message=f'<div dir="{"rtl" if is_rtl() else "ltr"}" lang="{LANGUAGE}"><p>{escape_html(text)}</p></div>',
		reference_doctype="Beneficiary",
		reference_name=row.name,
	):
		sent.append(_("E-mail"))
	if channels.send_sms(row.mobile_no, text, "Beneficiary", row.name):
		sent.append(_("SMS"))
	return sent


def record(beneficiary: str, marker: str | None, text: str, sent: list[str]) -> None:
	"""An Info comment on the beneficiary: what he was told and how (the reminder's memory)."""
	how = ", ".join(sent) if sent else _("no channel: no e-mail address, or no e-mail or SMS set up")
	frappe.get_doc(
		{
			"doctype": "Comment",
			"comment_type": "Info",
			"reference_doctype": "Beneficiary",
			"reference_name": beneficiary,
			"subject": marker or _("Review reminder"),
			"content": _("Told the beneficiary ({0}): {1}").format(how, escape_html(text)),
		}
	).insert(ignore_permissions=True)

"""Complaints and suggestions (R6.3).

Every feedback, from the portal (web form "feedback", login required, channel Website) or recorded by an
officer from any channel, gets a due date (creation + Service Quality Settings' feedback_due_days), an
assignee (the one chosen, or the settings' default, through frappe's assign_to), a response e-mailed to
the beneficiary (saving a response makes it Resolved) and, once closed, the beneficiary's rating of how
it was handled (1-5). Overdue ones are escalated daily to the Charity Managers (escalate_overdue_feedback).

A portal user sees and writes only his own feedback, never its officer fields, and files at most
feedback_per_hour() of it in an hour. The rating is his alone to give (R5.1), and the response he
rated is never rewritten after it.
"""

import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.utils import (
	add_to_date,
	cint,
	cstr,
	get_datetime,
	get_url_to_form,
	getdate,
	now_datetime,
	today,
)
from frappe.utils.jinja_globals import is_rtl

from charity_beneficiary.beneficiaries.portal import (
	is_portal_user,
	own_beneficiary_condition,
	own_beneficiary_name,
	set_beneficiary_values,
)
from charity_beneficiary.service_quality import feedback_sla, settings
from charity_beneficiary.utils import audit, channels
from charity_beneficiary.utils.language import site_language
from charity_beneficiary.utils.recipients import manager_emails

FEEDBACK = "Beneficiary Feedback"


class AnonymousFeedbackError(frappe.ValidationError):
	"""A complaint (anything but a suggestion) without its beneficiary."""


class ResolutionRatingError(frappe.ValidationError):
	"""The beneficiary's rating of a resolution is not from 1 to 5, or is given a second time."""


class NotTheRaterError(frappe.PermissionError):
	"""Someone other than the beneficiary rates the resolution of his feedback."""


class RatedResolutionError(frappe.ValidationError):
	"""The response (or the closure) that the beneficiary rated is changed after his rating."""


class TooMuchFeedbackError(frappe.RateLimitExceededError):
	"""A portal account files more feedback in an hour than feedback_per_hour() allows (HTTP 429)."""


# Feedback one portal account may file in an hour: a beneficiary with several complaints has room to
# spare, a script flooding the officers' queue (and their mail) is stopped. Site config
# `charity_portal_feedback_per_hour` overrides it; staff recording feedback are never limited.
FEEDBACK_PER_HOUR = 10
# what the beneficiary's rating judged: the answer he received and its closure (responded_on,
# responded_by, resolution_days and closed_on follow from these and are code-owned)
RATED_FIELDS = ("response", "status")


OFFICER_FIELDS = (
	"status",
	"assigned_to",
	"due_date",
	"response",
	"responded_on",
	"responded_by",
	"resolution_days",
	"closed_on",
	"escalated_on",
	"branch",
)


def protect_portal_fields(doc) -> None:
	"""A portal user files feedback for himself, through the Website channel, and sets no officer field;
	later he may only rate the resolution (rate_resolution)."""
	if not is_portal_user():
		return
	before = doc.get_doc_before_save()
	if before is None:
		for field in OFFICER_FIELDS:
			df = doc.meta.get_field(field)
			doc.set(field, df.default if df and df.default else None)
		own = own_beneficiary_name(frappe.session.user)
		if doc.beneficiary and doc.beneficiary != own:
			frappe.throw(_("You can only send your own feedback"), exc=frappe.PermissionError)
		doc.beneficiary = own
		set_beneficiary_values(doc)  # frappe fetched them before: his name is the list's title
		doc.channel = "Website"
		doc.status = "Open"
		doc.resolution_satisfaction = None
		if doc.feedback_type != "Suggestion" and not doc.beneficiary:
			frappe.throw(
				_(
					"Please register as a beneficiary first; only suggestions can be sent without a registration"
				),
				frappe.PermissionError,
			)
		return
	if not owns(doc, frappe.session.user):
		frappe.throw(_("You can only change your own feedback"), frappe.PermissionError)
	for field in (
		*OFFICER_FIELDS,
		"feedback_type",
		"beneficiary",
		"channel",
		"description",
		"assistance_request",
	):
		doc.set(field, before.get(field))


def feedback_per_hour() -> int:
	return cint(frappe.conf.get("charity_portal_feedback_per_hour")) or FEEDBACK_PER_HOUR


def limit_portal_feedback(doc) -> None:
	"""A portal account files at most feedback_per_hour() feedback in an hour, counted from the table
	(the REST API and the web form both insert here). Each one reaches an officer's queue and mail:
	without a limit one account floods them, and the complaints of everyone else wait (R5.2). Two
	requests of the same account at the same instant may both pass the count: the limit holds to
	within the server's workers, which is what it is for."""
	user = frappe.session.user
	if not is_portal_user(user):
		return
	limit = feedback_per_hour()
	since = add_to_date(now_datetime(), hours=-1)
	if frappe.db.count(FEEDBACK, {"owner": user, "creation": (">", since)}) >= limit:
		frappe.throw(
			_(
				"You have sent {0} complaints and suggestions in the last hour; please wait a while before sending another"
			).format(limit),
			TooMuchFeedbackError,
			title=_("Too Many Requests"),
		)


def owns(doc, user: str) -> bool:
	if doc.get("owner") == user:
		return True
	return bool(doc.get("beneficiary")) and doc.get("beneficiary") == own_beneficiary_name(user)


def rates(doc, user: str) -> bool:
	"""Whether `user` is the one who rates the resolution: the beneficiary himself, from his portal
	account (the one that filed it, or the one linked to its beneficiary record)."""
	return is_portal_user(user) and owns(doc, user)


def keep_rated_resolution(doc) -> None:
	"""Once the beneficiary has rated the resolution, its response and closure stay the ones he rated:
	a rewritten answer would carry his rating for words he never read (R5.1, R5.3)."""
	before = doc.get_doc_before_save()
	if before is None or not before.resolution_satisfaction:
		return
	for field in RATED_FIELDS:
		if cstr(doc.get(field)) != cstr(before.get(field)):
			frappe.throw(
				_("The beneficiary has rated the resolution of {0}: its {1} can no longer be changed").format(
					doc.name, _(doc.meta.get_label(field))
				),
				RatedResolutionError,
			)


def readable_values(doc, values: dict) -> dict:
	"""What a portal user receives of a feedback: only the fields of the permission levels he may read.
	frappe's REST read drops the others, but its web form data (web_form.get_form_data), web_form.accept
	and a REST insert return the whole document; each of them serialises it through as_dict, which the
	controller passes here, so the staff's handling (the assignee, who answered, the escalation) never
	reaches him (R8.2)."""
	if not is_portal_user():
		return values
	readable = doc.get_permlevel_access("read")
	for df in doc.meta.fields:
		if df.permlevel and df.permlevel not in readable:
			values.pop(df.fieldname, None)
	return values


def validate_feedback(doc) -> None:
	keep_rated_resolution(doc)
	if doc.feedback_type != "Suggestion" and not doc.beneficiary:
		frappe.throw(
			_("Please select the beneficiary; only suggestions may be anonymous"), AnonymousFeedbackError
		)
	if doc.assistance_request:
		owner = frappe.db.get_value("Assistance Request", doc.assistance_request, "beneficiary")
		if doc.beneficiary and owner != doc.beneficiary:
			frappe.throw(
				_("The assistance request {0} is not the beneficiary's").format(doc.assistance_request)
			)
	if doc.beneficiary and not doc.branch:
		doc.branch = frappe.db.get_value("Beneficiary", doc.beneficiary, "branch")
	rating = doc.resolution_satisfaction
	if rating:
		if doc.status not in feedback_sla.DONE_STATUSES:
			frappe.throw(_("The resolution can be rated only once the feedback is resolved"))
		if not feedback_sla.valid_resolution_rating(int(rating)):
			frappe.throw(_("The resolution satisfaction is a rating from 1 to 5"), ResolutionRatingError)

	before = doc.get_doc_before_save()
	if (doc.response or "").strip() and (before is None or (before.response or "") != doc.response):
		doc.responded_on = now_datetime()
		doc.responded_by = frappe.session.user
		doc.resolution_days = feedback_sla.resolution_days(
			get_datetime(doc.creation or now_datetime()), doc.responded_on
		)
		if doc.status in feedback_sla.OPEN_STATUSES:
			doc.status = "Resolved"
		doc.flags.notify_response = True
	# a complaint closed without an answer would leave the escalation and his rating unnoticed (R5.2)
	if doc.status in feedback_sla.DONE_STATUSES and not (doc.response or "").strip():
		frappe.throw(_("Write the response to the beneficiary before resolving or closing the feedback"))
	if doc.status == "Closed" and not doc.closed_on:
		doc.closed_on = now_datetime()
	if doc.status in feedback_sla.OPEN_STATUSES:
		doc.closed_on = None
	if not doc.assigned_to:
		doc.assigned_to = settings.feedback_assignee()


def set_due_date(doc) -> None:
	doc.due_date = feedback_sla.due_date(getdate(today()), settings.feedback_due_days())


def after_save(doc) -> None:
	before = doc.get_doc_before_save()
	if doc.assigned_to and (before is None or before.assigned_to != doc.assigned_to):
		assign(doc)
	if doc.flags.notify_response:
		doc.flags.notify_response = False
		notify_response(doc)


def assign(doc) -> None:
	"""A ToDo for the assignee (frappe's assignment), replacing the previous one."""
	current = assign_to.get({"doctype": FEEDBACK, "name": doc.name})
	for row in current:
		if row.get("owner") != doc.assigned_to:
			assign_to.remove(FEEDBACK, doc.name, row.get("owner"), ignore_permissions=True)
	if not any(row.get("owner") == doc.assigned_to for row in current):
		assign_to.add(
			{
				"assign_to": [doc.assigned_to],
				"doctype": FEEDBACK,
				"name": doc.name,
				"description": _("{0}: {1}").format(
					_(doc.feedback_type), doc.subject or doc.description[:140]
				),
				"date": doc.due_date,
			},
			ignore_permissions=True,
		)


def beneficiary_email(doc) -> str | None:
	if doc.beneficiary:
		from charity_beneficiary.service_quality.survey import recipient_email

		return recipient_email(doc.beneficiary)
	if doc.owner and doc.owner not in ("Guest", "Administrator") and is_portal_user(doc.owner):
		return frappe.db.get_value("User", doc.owner, "email")
	return None


def notify_response(doc) -> bool:
	"""E-mail the response to the beneficiary (and leave it in the feedback's timeline)."""
	email = beneficiary_email(doc)
	if not email:
		return False
	lang = site_language()
	from frappe.translate import print_language

	with print_language(lang):
		subject = _("Response to your {0} {1}").format(_(doc.feedback_type).lower(), doc.name)
		message = frappe.render_template(
			"charity_beneficiary/service_quality/templates/feedback_response.html",
			{"doc": doc, "rtl": is_rtl()},
		)
	return channels.send_mail(
		recipients=[email],
		subject=subject,
		message=message,
		reference_doctype=FEEDBACK,
		reference_name=doc.name,
	)


@frappe.whitelist(methods=["POST"])
def rate_resolution(feedback: str, rating: int) -> None:
	"""The beneficiary rates how his resolved feedback was handled (1-5), once; it is then Closed.
	The rating is his right (R5.1): only he gives it, from his portal account. Staff no longer give it
	for him: nothing recorded such a rating as taken by phone, one given first by them locked him out
	of his own, and R5.3's satisfaction figures would be the staff's marks for their own work."""
	doc = frappe.get_doc(FEEDBACK, feedback)
	doc.check_permission("read")
	# whoever may read the feedback sees its rating: telling him it is given hides nothing
	if doc.resolution_satisfaction:
		frappe.throw(
			_("The resolution of {0} has already been rated").format(doc.name), ResolutionRatingError
		)
	if not rates(doc, frappe.session.user):
		frappe.throw(
			_("Only the beneficiary can rate how his feedback was handled, from his portal account"),
			NotTheRaterError,
		)
	# staff may close an answered complaint before he rates it: the rating stays his to give
	if doc.status not in feedback_sla.DONE_STATUSES:
		frappe.throw(
			_("The resolution can be rated only once the feedback is resolved"), ResolutionRatingError
		)
	if not feedback_sla.valid_resolution_rating(int(rating)):
		frappe.throw(_("The resolution satisfaction is a rating from 1 to 5"), ResolutionRatingError)
	# written past the document's save (a portal user cannot save it), with a Version for the audit
	audit.set_values(
		FEEDBACK,
		doc.name,
		{
			"resolution_satisfaction": int(rating),
			"status": "Closed",
			"closed_on": doc.closed_on or now_datetime(),
		},
	)


# --- escalation -------------------------------------------------------------------------------

OVERDUE_TEMPLATE = "charity_beneficiary/service_quality/templates/overdue_feedback.html"
# how much of a description stands for a feedback without a subject in the managers' mail
ABOUT_LENGTH = 140


def overdue_row(row: frappe._dict) -> frappe._dict:
	"""A row of the managers' mail; the template escapes every value."""
	return frappe._dict(
		row,
		url=get_url_to_form(FEEDBACK, row.name),
		about=(row.subject or row.description or "")[:ABOUT_LENGTH],
		due=frappe.format(getdate(row.due_date), "Date"),
	)


def overdue_feedback(day) -> list[frappe._dict]:
	"""Open feedback past its due date (feedback_sla.is_overdue) not yet escalated on `day`: one query."""
	feedback = frappe.qb.DocType(FEEDBACK)
	return (
		frappe.qb.from_(feedback)
		.select(
			feedback.name,
			feedback.feedback_type,
			feedback.beneficiary_name,
			feedback.due_date,
			feedback.assigned_to,
			feedback.status,
			feedback.escalated_on,
			feedback.subject,
			feedback.description,
		)
		.where(due_for_escalation(feedback, day))
		.orderby(feedback.due_date)
		.orderby(feedback.name)
	).run(as_dict=True)


def due_for_escalation(feedback, day):
	return (
		feedback.status.isin(feedback_sla.OPEN_STATUSES)
		& (feedback.due_date < day)
		& (feedback.escalated_on.isnull() | (feedback.escalated_on != day))
	)


def escalate_overdue_feedback(on=None) -> list[str]:
	"""Daily (scheduler): one e-mail to the Charity Managers listing the open feedback past its due
	date, a comment on each, and escalated_on set; a feedback is escalated at most once a day."""
	from frappe.translate import print_language

	day = getdate(on or today())
	due = overdue_feedback(day)
	if not due:
		return []
	recipients = manager_emails()
	with print_language(site_language()):
		mailed = False
		if recipients:
			message = frappe.render_template(OVERDUE_TEMPLATE, {"rows": [overdue_row(row) for row in due]})
			mailed = channels.send_mail(
				recipients=recipients,
				subject=_("Overdue complaints and suggestions: {0}").format(len(due)),
				message=message,
				header=[_("Overdue complaints and suggestions"), "red"],
			)
		for row in due:
			text = _("Past its due date {0} without a response.").format(
				frappe.format(getdate(row.due_date), "Date")
			)
			if mailed:
				text += " " + _("Escalated to the association's managers: {0}.").format(", ".join(recipients))
			frappe.get_doc(
				{
					"doctype": "Comment",
					"comment_type": "Comment",
					"reference_doctype": FEEDBACK,
					"reference_name": row.name,
					"content": text,
					"comment_email": "Administrator",
				}
			).insert(ignore_permissions=True)
	# one UPDATE for all (the comments above are one insert each, bounded by the day's overdue feedback)
	feedback = frappe.qb.DocType(FEEDBACK)
	(
		frappe.qb.update(feedback)
		.set(feedback.escalated_on, day)
		.where(due_for_escalation(feedback, day) & feedback.name.isin([row.name for row in due]))
	).run()
	return [row.name for row in due]


# --- permissions ------------------------------------------------------------------------------


def has_permission(
	doc, ptype: str | None = None, user: str | None = None, debug: bool = False
) -> bool | None:
	"""Portal users: only their own feedback."""
	user = user or frappe.session.user
	if not is_portal_user(user):
		return None
	if ptype == "create":
		return None
	return owns(doc, user)


def permission_query_conditions(user: str | None = None) -> str | None:
	user = user or frappe.session.user
	if not is_portal_user(user):
		return None
	own = own_beneficiary_condition("Beneficiary Feedback", user)
	return f"(`tabBeneficiary Feedback`.`owner` = {frappe.db.escape(user)} or {own})"


def has_website_permission(doc, ptype: str, user: str, verbose: bool = False) -> bool:
	return bool(user and user != "Guest" and owns(doc, user))

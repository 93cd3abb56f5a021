"""Daily escalation of assistance requests that reach or pass their answer date (R3.2, R3.4).

The committee answers within the service's decision period (sla.py). Every day the scheduler runs
`escalate_due_requests`: each submitted request still waiting for a decision whose answer date is two
days ahead, or already past, is escalated. The association's managers (enabled users with the role
Charity Manager) get one digest e-mail listing them, and each request gets a comment in its timeline.

A request is escalated at most once a day: its escalation comment carries the day in its subject
(ESCALATION_SUBJECT), and a request that already has one for that day is skipped, so running the job
again the same day sends nothing new.

Hooked in hooks.py through `scheduler_events["daily"]`.
"""

import frappe
from frappe import _
from frappe.translate import print_language
from frappe.utils import get_fullname, get_url, get_url_to_form, getdate, today
from frappe.utils.jinja_globals import is_rtl

from charity_beneficiary.assistance import sla
from charity_beneficiary.assistance.states import PENDING_STATES  # also the ageing report's
from charity_beneficiary.utils import channels
from charity_beneficiary.utils.language import site_language
from charity_beneficiary.utils.recipients import manager_emails
from charity_beneficiary.verification import hijri_display

# Subject of the escalation comment, with the day: the marker of "already escalated today".
ESCALATION_SUBJECT = "SLA escalation {0}"
REPORT_NAME = "Assistance Request Ageing"
# What the digest and the ageing report read of a pending request.
REQUEST_FIELDS = (
	"name",
	"beneficiary",
	"beneficiary_name",
	"aid_service",
	"branch",
	"workflow_state",
	"received_on",
	"expected_decision_date",
	"researcher",
)


def pending_filters() -> dict:
	"""Filters of the submitted requests still waiting for a decision, with an answer date."""
	return {
		"docstatus": 1,
		"workflow_state": ["in", PENDING_STATES],
		"expected_decision_date": ["is", "set"],
	}


def escalate_due_requests(on=None) -> list[str]:
	"""Escalate the pending requests that `sla.needs_escalation` flags on `on` (default: today).

	Returns the names of the requests escalated by this run (none when run again the same day).
	The requests are selected by one query (due_requests); each escalated one then gets its timeline
	comment, one insert per request: that loop is bounded by the day's due requests and reads
	nothing per row."""
	day = getdate(on or today())
	due = due_requests(day)
	if not due:
		return []

	recipients = manager_emails()
	with print_language(site_language()):
		mailed = bool(recipients) and send_digest(recipients, due, day)
		for row in due:
			add_escalation_comment(row, day, recipients if mailed else [])
	return [row.name for row in due]


def due_requests(day) -> list[frappe._dict]:
	"""Pending requests that need escalating on `day` and were not escalated on it yet, the most
	overdue first (not permission-bound: the scheduler works for the whole association).

	One query, whatever the number of open requests: the answer dates of `sla.needs_escalation` as
	a condition on (workflow_state, expected_decision_date), and "already escalated that day" as a
	NOT EXISTS on the day's escalation comment."""
	from pypika.terms import ExistsCriterion

	request = frappe.qb.DocType("Assistance Request")
	comment = frappe.qb.DocType("Comment")
	warned_ahead, last_overdue = sla.escalation_dates(day)
	escalated_today = (
		frappe.qb.from_(comment)
		.select(comment.name)
		.where(
			(comment.reference_doctype == "Assistance Request")
			& (comment.reference_name == request.name)
			& (comment.subject == escalation_subject(day))
		)
	)
	# the pending requests as the ageing report and the dashboard select them (pending_filters)
	rows = (
		frappe.qb.get_query(request, fields=list(REQUEST_FIELDS), filters=pending_filters())
		.where(
			(
				(request.expected_decision_date == warned_ahead)
				| (request.expected_decision_date <= last_overdue)
			)
			& ExistsCriterion(escalated_today).negate()
		)
		.orderby(request.expected_decision_date)
		.orderby(request.name)
	).run(as_dict=True)
	for row in rows:
		row.days_overdue = sla.days_overdue(getdate(row.expected_decision_date), day)
	return rows


def escalation_subject(day) -> str:
	return ESCALATION_SUBJECT.format(getdate(day).isoformat())


def send_digest(recipients: list[str], rows: list[frappe._dict], day) -> bool:
	"""One e-mail to every manager listing the requests escalated today (in the current language).

	Without an outgoing e-mail account the mail cannot be queued: the error is logged and the
	escalation goes on with the comments on the requests. Returns whether the mail was queued."""
	lang = frappe.local.lang or "ar"
	overdue = [row for row in rows if row.days_overdue > 0]
	return queue_digest(recipients, rows, overdue, day, lang)


def queue_digest(recipients: list[str], rows: list[frappe._dict], overdue: list, day, lang: str) -> bool:
	return channels.send_mail(
		recipients=recipients,
		subject=_("Assistance requests needing a decision: {0} overdue, {1} due within 2 days").format(
			len(overdue), len(rows) - len(overdue)
		),
		template="request_escalation",
		args={
			"rtl": is_rtl(),
			"lang": lang,
			"day": day,
			"day_hijri": hijri_display(day, lang=lang),
			"requests": [digest_row(row, lang) for row in rows],
			"overdue_count": len(overdue),
			"due_soon_count": len(rows) - len(overdue),
			"report_url": get_url(f"/app/query-report/{REPORT_NAME}"),
		},
		header=[_("Assistance requests needing a decision"), "red" if overdue else "orange"],
	)


def digest_row(row: frappe._dict, lang: str) -> dict:
	expected = getdate(row.expected_decision_date)
	return {
		"name": row.name,
		"url": get_url_to_form("Assistance Request", row.name),
		"beneficiary_name": row.beneficiary_name or row.beneficiary,
		"aid_service": row.aid_service,
		"branch": row.branch or "",
		"state": _(row.workflow_state),
		"expected": expected,
		"expected_hijri": hijri_display(expected, lang=lang),
		"days_overdue": row.days_overdue,
		"status": due_text(row.days_overdue),
		"researcher": get_fullname(row.researcher) if row.researcher else "",
	}


def due_text(days_overdue: int) -> str:
	if days_overdue > 0:
		return _("Overdue by {0} day(s)").format(days_overdue)
	return _("Due in {0} day(s)").format(-days_overdue)


def add_escalation_comment(row: frappe._dict, day, recipients: list[str]) -> None:
	"""A comment in the request's timeline: the escalation is visible on the request itself."""
	expected = getdate(row.expected_decision_date)
	if row.days_overdue > 0:
		text = _("The answer date {0} has passed by {1} day(s) without a decision.").format(
			frappe.format(expected, "Date"), row.days_overdue
		)
	else:
		text = _("The answer date {0} is in {1} day(s) and no decision has been taken yet.").format(
			frappe.format(expected, "Date"), -row.days_overdue
		)
	if recipients:
		text += " " + _("Escalated to the association's managers: {0}.").format(", ".join(recipients))
	else:
		text += " " + _(
			"No e-mail was sent: no enabled user has the role Charity Manager, or no outgoing e-mail account is set up."
		)

	frappe.get_doc(
		{
			"doctype": "Comment",
			"comment_type": "Comment",
			"reference_doctype": "Assistance Request",
			"reference_name": row.name,
			"subject": escalation_subject(day),
			"content": text,
			"comment_email": "Administrator",
			"comment_by": _("SLA escalation"),
		}
	).insert(ignore_permissions=True)

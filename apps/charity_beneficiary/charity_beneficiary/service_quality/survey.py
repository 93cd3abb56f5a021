"""Satisfaction surveys (R5.1, R5.2): invitations, the answer, and the default template.

When a disbursement is submitted, or a request is closed (Rejected, or Disbursed through its workflow),
`invite` creates one Survey Invitation per request + disbursement (running it again changes nothing),
with a random token valid for Service Quality Settings' survey_link_valid_days, and e-mails the
beneficiary the link /survey?token=... in Arabic. The beneficiary also finds his pending surveys on
/survey when logged in to the portal.

The token is the credential: `submit_survey` is open to guests, checks the token, its expiry, that it
was not answered yet and every answer (scoring.py), then creates the Survey Response (not bound to the
guest's permissions) and marks the invitation Answered; a second answer or an expired link is refused
with a translated message.

R5.1, rating is a right and a tool for improvement: the served_by attribution is copied to the response
for grouped figures only; only the association's managers read Survey Response and Survey Invitation.
"""

import json

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.rate_limiter import rate_limit
from frappe.translate import print_language
from frappe.utils import add_days, cstr, get_url, getdate, now_datetime, today
from frappe.utils.jinja_globals import is_rtl

from charity_beneficiary.assistance.states import DISBURSED_STATE, REJECTED_STATE
from charity_beneficiary.service_quality import scoring, settings
from charity_beneficiary.service_quality.default_survey import DEFAULT_SURVEY
from charity_beneficiary.utils import channels, code_owned
from charity_beneficiary.utils.language import site_language, with_hijri

INVITATION = "Survey Invitation"
RESPONSE = "Survey Response"
TEMPLATE = "Survey Template"
# Request workflow states after which the beneficiary is invited to rate the service.
CLOSED_REQUEST_STATES = (REJECTED_STATE, DISBURSED_STATE)
SURVEY_ROUTE = "survey"


class SurveyLinkError(frappe.ValidationError):
	"""The survey link cannot be answered: unknown, expired or already answered."""


class SurveyAnsweredError(SurveyLinkError):
	"""The survey link was answered already: one answer per invitation."""


class SurveyExpiredError(SurveyLinkError):
	"""The survey link is past its expiry date."""


class SurveyAnswerError(frappe.ValidationError):
	"""The answers cannot be read, or a required one is missing or out of its range."""


# --- invitations ----------------------------------------------------------------------------


def invite(assistance_request: str, aid_disbursement: str | None = None) -> str | None:
	"""The name of the invitation for this request (and disbursement): created and e-mailed the first
	time, returned as is afterwards. None when no active survey template applies."""
	existing = frappe.db.get_value(
		INVITATION,
		{"assistance_request": assistance_request, "aid_disbursement": aid_disbursement or ("is", "not set")},
		"name",
	)
	if existing:
		return existing

	request = frappe.db.get_value(
		"Assistance Request",
		assistance_request,
		["name", "beneficiary", "aid_service", "branch", "channel", "received_by", "owner"],
		as_dict=True,
	)
	if not request or not request.beneficiary:
		return None
	template = choose_template(request.aid_service)
	if not template:
		frappe.log_error(
			title=_("No active survey template"),
			message=_("No satisfaction survey was sent for {0}: no active survey template applies.").format(
				assistance_request
			),
			reference_doctype="Assistance Request",
			reference_name=assistance_request,
		)
		return None

	served_by = request.received_by or request.owner
	if aid_disbursement:
		served_by = frappe.db.get_value("Aid Disbursement", aid_disbursement, "owner") or served_by
	if served_by in ("Administrator", "Guest"):
		served_by = None

	invitation = frappe.get_doc(
		{
			"doctype": INVITATION,
			"beneficiary": request.beneficiary,
			"assistance_request": request.name,
			"aid_disbursement": aid_disbursement,
			"survey_template": template,
			"aid_service": request.aid_service,
			"branch": request.branch,
			"channel": request.channel,
			"served_by": served_by,
			"token": frappe.generate_hash(length=40),
			"expires_on": add_days(today(), settings.survey_link_valid_days()),
			"status": "Pending",
		}
	)
	with code_owned.owner_writes(code_owned.SURVEY):
		invitation.insert(ignore_permissions=True)
	if send_invitation(invitation):
		invitation.db_set("sent_on", now_datetime())
	return invitation.name


def choose_template(aid_service: str | None) -> str | None:
	"""An active template listing the service; else the default of the settings when active; else an
	active template listing no service (a general one)."""
	if aid_service:
		scoped = frappe.get_all(
			TEMPLATE,
			filters=[
				[TEMPLATE, "is_active", "=", 1],
				["Survey Template Scope", "aid_service", "=", aid_service],
			],
			pluck="name",
			order_by="`tabSurvey Template`.`modified` desc",
			limit=1,
		)
		if scoped:
			return scoped[0]
	default = settings.default_survey_template()
	if default and frappe.db.get_value(TEMPLATE, default, "is_active"):
		return default
	for name in frappe.get_all(TEMPLATE, filters={"is_active": 1}, pluck="name", order_by="modified desc"):
		if not frappe.db.exists(
			"Survey Template Scope", {"parenttype": TEMPLATE, "parent": name, "aid_service": ("is", "set")}
		):
			return name
	return None


def survey_url(token: str) -> str:
	return get_url(f"/{SURVEY_ROUTE}?token={token}")


def recipient_email(beneficiary: str) -> str | None:
	email, user = frappe.db.get_value("Beneficiary", beneficiary, ["email_id", "user"]) or (None, None)
	if not email and user:
		email = frappe.db.get_value("User", user, "email")
	return email or None


def send_invitation(invitation) -> bool:
	"""The link by e-mail and by SMS (R6.3), in the association's language (utils/language.py), on
	the channels that reach him; without any the invitation still waits on the portal. Returns
	whether one was sent."""
	mailed = mail_invitation(invitation)
	mobile = frappe.db.get_value("Beneficiary", invitation.beneficiary, "mobile_no")
	if not (mobile and channels.sms_configured()):
		return mailed
	with print_language(site_language()):
		text = _("Please rate the service of your request {0}: {1}").format(
			invitation.assistance_request, survey_url(invitation.token)
		)
	return channels.send_sms(mobile, text, INVITATION, invitation.name) or mailed


def mail_invitation(invitation) -> bool:
	email = recipient_email(invitation.beneficiary)
	if not email:
		return False
	with print_language(site_language()):
		name = frappe.db.get_value("Beneficiary", invitation.beneficiary, "beneficiary_name") or ""
		message = frappe.render_template(
			"charity_beneficiary/service_quality/templates/survey_invitation.html",
			{
				"beneficiary_name": name,
				"url": survey_url(invitation.token),
				"expires_on": with_hijri(getdate(invitation.expires_on), lang=site_language()),
				"request": invitation.assistance_request,
				"rtl": is_rtl(),
			},
		)
		subject = _("Please rate the service you received")
	return channels.send_mail(
		recipients=[email],
		subject=subject,
		message=message,
		reference_doctype=INVITATION,
		reference_name=invitation.name,
	)


def on_disbursement_submit(doc, method=None) -> None:
	"""doc_events["Aid Disbursement"]["on_submit"]: never blocks the disbursement, nor slows it down.
	The invitation and its mail are made after the disbursement is committed, on the short queue (a
	disbursement rolled back invites nobody). frappe's test runner has no worker and never commits:
	tests run the job, invite_for_disbursement, themselves."""
	try:
		frappe.enqueue(
			invite_for_disbursement,
			queue="short",
			enqueue_after_commit=True,
			assistance_request=doc.assistance_request,
			aid_disbursement=doc.name,
		)
	except Exception:  # the queue unreachable or full
		frappe.log_error(
			title=_("Survey invitation failed"),
			reference_doctype="Assistance Request",
			reference_name=doc.assistance_request,
		)


def invite_for_disbursement(assistance_request: str, aid_disbursement: str) -> None:
	"""The queued job of on_disbursement_submit: a disbursement cancelled meanwhile is not rated."""
	if frappe.db.get_value("Aid Disbursement", aid_disbursement, "docstatus") == 1:
		_safe_invite(assistance_request, aid_disbursement)


def on_request_update(doc, method=None) -> None:
	"""doc_events["Assistance Request"]["on_update_after_submit"]: a request that reaches a closed state."""
	if doc.workflow_state in CLOSED_REQUEST_STATES and doc.has_value_changed("workflow_state"):
		_safe_invite(doc.name, None)


def _safe_invite(request: str, disbursement: str | None) -> None:
	try:
		invite(request, disbursement)
	except Exception:
		frappe.log_error(
			title=_("Survey invitation failed"),
			reference_doctype="Assistance Request",
			reference_name=request,
		)


def on_disbursement_cancel(doc, method=None) -> None:
	"""doc_events["Aid Disbursement"]["on_cancel"]: aid reversed is not rated. Its survey, not yet
	answered, expires (the portal no longer offers it, the quality figures never count it); an answer
	already given stays, as the beneficiary gave it."""
	invitation = frappe.qb.DocType(INVITATION)
	expire_pending(invitation.aid_disbursement == doc.name)


def expire_invitations(on=None) -> int:
	"""Daily: pending invitations past their last valid day become Expired."""
	invitation = frappe.qb.DocType(INVITATION)
	return expire_pending(invitation.expires_on < getdate(on or today()))


def expire_pending(condition) -> int:
	"""The pending invitations that meet `condition` become Expired, in one count and one UPDATE
	whatever their number (not a save per invitation)."""
	invitation = frappe.qb.DocType(INVITATION)
	expired = (invitation.status == "Pending") & condition
	count = frappe.qb.from_(invitation).select(Count("*")).where(expired).run()[0][0]
	if count:
		(
			frappe.qb.update(invitation)
			.set(invitation.status, "Expired")
			.set(invitation.modified, now_datetime())
			.set(invitation.modified_by, frappe.session.user)
			.where(expired)
		).run()
	return count


# --- answering ------------------------------------------------------------------------------


def open_invitation(token: str, for_update: bool = False) -> frappe._dict:
	"""The invitation of a token that may still be answered, or a SurveyLinkError saying why not."""
	token = cstr(token).strip()
	invitation = None
	if token and len(token) <= 140:
		invitation = frappe.db.get_value(
			INVITATION,
			{"token": token},
			["name", "status", "expires_on", "beneficiary", "survey_template", "assistance_request"],
			as_dict=True,
			for_update=for_update,
		)
	if not invitation or not for_this_portal_user(invitation):
		frappe.throw(_("This survey link is not valid."), SurveyLinkError, title=_("Survey"))
	if invitation.status == "Answered":
		frappe.throw(
			_("This survey has already been answered. Thank you, only one answer is accepted."),
			SurveyAnsweredError,
			title=_("Survey"),
		)
	if invitation.status == "Expired" or getdate(invitation.expires_on) < getdate(today()):
		frappe.throw(
			_("This survey link expired on {0}.").format(
				frappe.format(getdate(invitation.expires_on), "Date")
			),
			SurveyExpiredError,
			title=_("Survey"),
		)
	return invitation


def for_this_portal_user(invitation) -> bool:
	"""The token is the credential of a link sent to the beneficiary; signed in to the portal as
	another beneficiary, it is not his survey to answer (R5.1: the rating is the beneficiary's own).
	Without a portal session (the link opened from a mail or a message) the token alone decides."""
	from charity_beneficiary.beneficiaries.portal import is_portal_user, own_beneficiary_name

	if not is_portal_user():
		return True
	own = own_beneficiary_name(frappe.session.user)
	return not own or own == invitation.beneficiary


def template_questions(template: str) -> list[frappe._dict]:
	return frappe.get_all(
		"Survey Question",
		filters={"parenttype": TEMPLATE, "parent": template, "parentfield": "questions"},
		fields=["name", "idx", "question", "question_en", "question_type", "is_required"],
		order_by="idx asc",
	)


def scoring_questions(rows: list[frappe._dict]) -> list[scoring.Question]:
	return [
		scoring.Question(row.name, row.question, row.question_type, bool(row.is_required)) for row in rows
	]


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=30, seconds=60 * 60)
def submit_survey(token: str, answers: str) -> dict:
	"""Answer a survey: `answers` is a JSON object {question row name: answer}. The token is the
	credential (sent to the beneficiary only); it is answered once, before it expires."""
	invitation = open_invitation(token, for_update=True)
	try:
		given = json.loads(answers) if isinstance(answers, str) else answers
	except ValueError:
		given = None
	if not isinstance(given, dict):
		frappe.throw(_("The answers could not be read."), SurveyAnswerError, title=_("Survey"))

	rows = template_questions(invitation.survey_template)
	try:
		result = scoring.score_response(scoring_questions(rows), given)
	except scoring.SurveyError as err:
		frappe.throw(err.render(_), SurveyAnswerError, title=_("Survey"))

	context = frappe.db.get_value(
		INVITATION,
		invitation.name,
		["aid_disbursement", "aid_service", "branch", "channel", "served_by"],
		as_dict=True,
	)
	response = frappe.get_doc(
		{
			"doctype": RESPONSE,
			"survey_template": invitation.survey_template,
			"survey_invitation": invitation.name,
			"beneficiary": invitation.beneficiary,
			"assistance_request": invitation.assistance_request,
			"aid_disbursement": context.aid_disbursement,
			"aid_service": context.aid_service,
			"branch": context.branch,
			"channel": context.channel,
			"served_by": context.served_by,
			"submitted_on": now_datetime(),
			"satisfaction_score": result.satisfaction_score,
			"average_rating": result.average_rating,
			"nps_score": result.nps_score,
			"nps_category": result.nps_category,
			"answers": [
				{
					"question": answer.label,
					"question_type": answer.question_type,
					"answer": answer.answer,
					"value": answer.value,
					"score": answer.score,
					"question_row": answer.key,
				}
				for answer in result.answers
			],
		}
	)
	with code_owned.owner_writes(code_owned.SURVEY):
		response.insert(ignore_permissions=True)
	frappe.db.set_value(
		INVITATION,
		invitation.name,
		{"status": "Answered", "answered_on": response.submitted_on, "survey_response": response.name},
	)
	return {"message": _("Thank you! Your answers have been received.")}


def pending_invitations(user: str) -> list[frappe._dict]:
	"""The portal user's surveys still waiting for his answer: one query, his record joined."""
	invitation = frappe.qb.DocType(INVITATION)
	beneficiary = frappe.qb.DocType("Beneficiary")
	return (
		frappe.qb.from_(invitation)
		.join(beneficiary)
		.on(beneficiary.name == invitation.beneficiary)
		.select(invitation.token, invitation.assistance_request, invitation.expires_on, invitation.creation)
		.where(
			(beneficiary.user == user)
			& (invitation.status == "Pending")
			& (invitation.expires_on >= getdate(today()))
		)
		.orderby(invitation.creation, order=frappe.qb.desc)
	).run(as_dict=True)


# --- the default template -------------------------------------------------------------------


def ensure_default_survey() -> str:
	"""Create the Arabic default template once (kept as edited afterwards) and make it the default of
	the settings when none is set; settings left at zero get their defaults. Idempotent."""
	title = DEFAULT_SURVEY["title"]
	if not frappe.db.exists(TEMPLATE, title):
		frappe.get_doc({"doctype": TEMPLATE, **DEFAULT_SURVEY}).insert(ignore_permissions=True)
	doc = frappe.get_doc(settings.SETTINGS)
	defaults = {
		"feedback_due_days": settings.DEFAULT_FEEDBACK_DUE_DAYS,
		"survey_link_valid_days": settings.DEFAULT_SURVEY_LINK_VALID_DAYS,
		"min_group_size": settings.DEFAULT_MIN_GROUP_SIZE,
		"default_survey_template": title,
	}
	missing = {field: value for field, value in defaults.items() if not doc.get(field)}
	if missing:  # every migrate runs this: the settings are saved only when one was empty
		doc.update(missing)
		doc.flags.ignore_permissions = True
		doc.save()
	return title

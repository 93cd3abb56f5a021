"""R5 / R6.1 / R6.3 on the real test site: invitations, the one-time survey answer, scores, the report's
grouped figures, the privacy of individual responses (REST) and complaints (due date, escalation,
response to the beneficiary)."""

import json

import frappe
from frappe import _
from frappe.tests.utils import FrappeTestCase, change_settings
from frappe.utils import add_days, getdate, today

from charity_beneficiary.disbursement import notices
from charity_beneficiary.service_quality import feedback, survey
from charity_beneficiary.service_quality.feedback import (
	AnonymousFeedbackError,
	NotTheRaterError,
	ResolutionRatingError,
)
from charity_beneficiary.service_quality.report.service_quality import service_quality as report
from charity_beneficiary.service_quality.survey import (
	SurveyAnsweredError,
	SurveyAnswerError,
	SurveyExpiredError,
	SurveyLinkError,
	ensure_default_survey,
	invite,
	submit_survey,
)
from charity_beneficiary.tests.factories import (
	TEST_PASSWORD,
	audited_changes,
	make_active_beneficiary,
	make_aid_service,
	make_branch,
	make_disbursement,
	make_request,
)
from charity_beneficiary.tests.mail import (
	NO_ACCOUNT_MESSAGE,
	mail_text,
	no_outgoing_email,
	queued_mails,
	shown_messages,
	use_test_mail_server,
)
from charity_beneficiary.tests.sms import sms_logs, use_test_sms_gateway
from charity_beneficiary.tests.users import portal_user, role_email, role_user
from charity_beneficiary.utils import channels
from charity_beneficiary.verification import hijri_display

OFFICER = role_email("Beneficiary Relations Officer")
MANAGER = role_email("Charity Manager")
SERVICE = "مساعدة نقدية (اختبار الجودة)"


def answers_for(template: str, rating: int, yes: bool, nps: int, text: str = "") -> str:
	values = {}
	for row in survey.template_questions(template):
		values[row.name] = {"Rating": rating, "Yes-No": "Yes" if yes else "No", "NPS": nps, "Text": text}[
			row.question_type
		]
	return json.dumps(values)


def queued_after_commit(method, **match) -> tuple:
	"""The one job of `method` (with the keyword arguments `match`) that frappe.enqueue(...,
	enqueue_after_commit=True) holds until the commit, as (the held call, the job's keyword
	arguments): frappe holds a closure over the job's queue arguments (frappe/utils/background_jobs.py)."""
	jobs = []
	for call in frappe.db.after_commit._functions:
		cells = dict(
			zip(call.__code__.co_freevars, (c.cell_contents for c in call.__closure__ or ()), strict=True)
		)
		queued = cells.get("queue_args") or {}
		if queued.get("method") is method and match.items() <= (queued.get("kwargs") or {}).items():
			jobs.append((call, queued["kwargs"]))
	assert len(jobs) == 1, f"{len(jobs)} jobs of {method.__name__} queued for after the commit"
	return jobs[0]


class QualityTestCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		# the users are committed: first, so the tests' own records are rolled back at the end
		role_user("Beneficiary Relations Officer")
		role_user("Charity Manager")
		cls.portal = portal_user()
		cls.template = ensure_default_survey()
		use_test_mail_server(cls)

	def setUp(self):
		frappe.set_user("Administrator")
		make_aid_service(SERVICE)

	def tearDown(self):
		frappe.set_user("Administrator")

	def served_request(self, email: str | None = "beneficiary.quality@example.com", **fields) -> frappe._dict:
		beneficiary = make_active_beneficiary(email_id=email, **fields)
		frappe.set_user(OFFICER)
		request = make_request(beneficiary.name, SERVICE, submit=True)
		frappe.set_user("Administrator")
		return frappe._dict(beneficiary=beneficiary.name, request=request.name)


class TestSurveyInvitation(QualityTestCase):
	@change_settings("System Settings", language="ar")  # the mail is in the site's language
	def test_invitation_is_created_once_and_mailed_in_arabic(self):
		served = self.served_request()
		before = len(queued_mails("beneficiary.quality@example.com"))
		name = invite(served.request, None)
		self.assertEqual(invite(served.request, None), name)  # idempotent
		invitation = frappe.get_doc("Survey Invitation", name)
		self.assertEqual(invitation.status, "Pending")
		self.assertEqual(invitation.beneficiary, served.beneficiary)
		self.assertEqual(invitation.survey_template, self.template)
		self.assertEqual(invitation.served_by, OFFICER)
		self.assertEqual(getdate(invitation.expires_on), getdate(add_days(today(), 14)))
		self.assertGreaterEqual(len(invitation.token), 32)
		self.assertTrue(invitation.sent_on)
		mails = queued_mails("beneficiary.quality@example.com")
		self.assertEqual(len(mails), before + 1)
		body = mail_text(mails[-1])
		self.assertIn(f"/survey?token={invitation.token}", body)
		self.assertIn('dir="rtl"', body)
		self.assertIn(hijri_display(getdate(invitation.expires_on), lang="ar"), body)  # R8.1

	def test_without_email_the_invitation_waits_on_the_portal(self):
		served = self.served_request(email=None)
		name = invite(served.request, None)
		self.assertEqual(frappe.db.get_value("Survey Invitation", name, "status"), "Pending")
		self.assertFalse(frappe.db.get_value("Survey Invitation", name, "sent_on"))

	def test_rejected_request_invites(self):
		served = self.served_request()
		doc = frappe.get_doc("Assistance Request", served.request)
		doc.workflow_state = "Rejected"
		survey.on_request_update(doc)
		self.assertTrue(frappe.db.exists("Survey Invitation", {"assistance_request": served.request}))

	def submitted_disbursement(self, email: str | None = "beneficiary.quality@example.com", **fields):
		served = self.served_request(email, **fields)
		frappe.db.set_value(
			"Assistance Request",
			served.request,
			{"workflow_state": "Approved", "decision": "Approved", "approved_amount": 1000},
		)
		disbursement = make_disbursement(served.request, amount=500, submit=True)
		# tests never commit: the job the on_submit hook queued for after the commit is run here, as a
		# worker would run it; a hook that queues nothing (or another disbursement's job) fails here
		call, job = queued_after_commit(survey.invite_for_disbursement)
		self.assertEqual(job, {"assistance_request": served.request, "aid_disbursement": disbursement.name})
		frappe.db.after_commit._functions.remove(call)
		survey.invite_for_disbursement(**job)
		return served, disbursement

	def test_real_aid_disbursement_invites(self):
		served, disbursement = self.submitted_disbursement()
		# made by the job the on_submit hook queues
		invitation = frappe.db.get_value(
			"Survey Invitation",
			{"assistance_request": served.request, "aid_disbursement": disbursement.name},
			["name", "sent_on"],
			as_dict=True,
		)
		self.assertTrue(invitation)
		self.assertTrue(invitation.sent_on)
		self.assertTrue(
			frappe.db.exists(
				"Email Queue", {"reference_doctype": "Survey Invitation", "reference_name": invitation.name}
			)
		)

	def test_the_invitation_waits_for_the_commit(self):
		"""The hook only queues the job after the commit."""
		served, disbursement = self.submitted_disbursement()
		invited = {"assistance_request": served.request, "aid_disbursement": disbursement.name}
		frappe.db.delete("Survey Invitation", invited)
		waiting = len(frappe.db.after_commit._functions)
		survey.on_disbursement_submit(disbursement)
		self.assertEqual(len(frappe.db.after_commit._functions), waiting + 1)
		frappe.db.after_commit._functions.pop()  # this test's transaction is rolled back, never queued
		self.assertFalse(frappe.db.exists("Survey Invitation", invited))
		# the job as a worker runs it after the commit; a disbursement cancelled meanwhile is not rated
		frappe.db.set_value("Aid Disbursement", disbursement.name, "docstatus", 2)
		survey.invite_for_disbursement(served.request, disbursement.name)
		self.assertFalse(frappe.db.exists("Survey Invitation", invited))
		frappe.db.set_value("Aid Disbursement", disbursement.name, "docstatus", 1)
		survey.invite_for_disbursement(served.request, disbursement.name)
		self.assertTrue(frappe.db.exists("Survey Invitation", invited))

	def test_the_beneficiary_is_told_of_the_delivery_after_the_commit(self):
		"""R6.3: a notice of the aid delivered, queued with the commit (not rendered in the accountant's
		posting), on the channels that reach him; a disbursement cancelled meanwhile tells nobody."""
		email = "beneficiary.quality@example.com"
		served, disbursement = self.submitted_disbursement(email)
		call, job = queued_after_commit(notices.send_delivered_notices, disbursement=disbursement.name)
		frappe.db.after_commit._functions.remove(call)
		self.assertFalse(
			[
				m
				for m in queued_mails(email)
				if disbursement.assistance_request in mail_text(m) and "صرف" in mail_text(m)
			]
		)
		before = len(queued_mails(email))
		notices.send_delivered_notices(**job)
		mails = queued_mails(email)
		self.assertEqual(len(mails), before + 1)
		body = mail_text(mails[-1])
		self.assertIn(served.request, body)
		self.assertIn('dir="rtl"', body)
		frappe.get_doc("Aid Disbursement", disbursement.name).cancel()
		notices.send_delivered_notices(**job)
		self.assertEqual(len(queued_mails(email)), before + 1)

	def test_the_survey_and_the_delivery_reach_him_by_sms_too(self):
		"""R6.3: where a gateway is set up, the survey link and the notice of delivery go by SMS as well."""
		use_test_sms_gateway()
		served, disbursement = self.submitted_disbursement(email=None, mobile_no="0551234567")
		call, job = queued_after_commit(notices.send_delivered_notices, disbursement=disbursement.name)
		frappe.db.after_commit._functions.remove(call)
		notices.send_delivered_notices(**job)
		mobile = frappe.db.get_value("Beneficiary", served.beneficiary, "mobile_no")
		token = frappe.db.get_value("Survey Invitation", {"aid_disbursement": disbursement.name}, "token")
		[survey_sms] = sms_logs(token)
		# the request's other notices (its receipt) went by SMS too
		[delivered_sms] = [sms for sms in sms_logs(served.request) if "تم صرف مساعدتك" in sms.message]
		self.assertEqual((survey_sms.requested_numbers, delivered_sms.requested_numbers), (mobile, mobile))
		self.assertTrue(
			frappe.db.get_value("Survey Invitation", {"aid_disbursement": disbursement.name}, "sent_on")
		)

	def test_a_cancelled_disbursement_is_not_rated(self):
		"""Aid reversed: its pending survey expires (the portal stops offering it, the figures never
		count it); another disbursement's survey of the same request stays as it is."""
		served, disbursement = self.submitted_disbursement()
		other = make_disbursement(served.request, amount=100, submit=True)
		call, job = queued_after_commit(survey.invite_for_disbursement)
		frappe.db.after_commit._functions.remove(call)
		survey.invite_for_disbursement(**job)
		frappe.get_doc("Aid Disbursement", disbursement.name).cancel()
		status = {
			name: frappe.db.get_value("Survey Invitation", {"aid_disbursement": name}, "status")
			for name in (disbursement.name, other.name)
		}
		self.assertEqual(status, {disbursement.name: "Expired", other.name: "Pending"})

	def test_without_an_outgoing_account_the_accountant_is_not_told(self):
		"""The survey mail of a disbursement never disturbs the accountant who submitted it: the
		manager is told once a day (Error Log) and the invitation waits on the portal."""
		before = set(frappe.get_all("Error Log", filters={"method": channels.NO_EMAIL_ACCOUNT}, pluck="name"))
		try:
			with no_outgoing_email():
				frappe.local.message_log = []
				served, disbursement = self.submitted_disbursement()
				self.assertNotIn(_(NO_ACCOUNT_MESSAGE), shown_messages())
				self.assertFalse(channels.status()["email"])
			sent_on = frappe.db.get_value(
				"Survey Invitation", {"aid_disbursement": disbursement.name}, "sent_on"
			)
			self.assertIsNone(sent_on)
			self.assertTrue(
				frappe.db.exists(
					"Error Log", {"method": channels.NO_EMAIL_ACCOUNT, "creation": (">=", today())}
				)
			)
		finally:
			# Error Log is a MyISAM table: the rollback does not remove it
			added = (
				set(frappe.get_all("Error Log", filters={"method": channels.NO_EMAIL_ACCOUNT}, pluck="name"))
				- before
			)
			frappe.db.delete("Error Log", {"name": ("in", list(added) or [""])})


class TestSurveyAnswer(QualityTestCase):
	def invitation(self) -> frappe._dict:
		served = self.served_request()
		name = invite(served.request)
		return frappe.db.get_value(
			"Survey Invitation", name, ["name", "token", "survey_template"], as_dict=True
		)

	def test_answered_once_with_scores(self):
		inv = self.invitation()
		frappe.set_user("Guest")
		result = submit_survey(
			inv.token, answers_for(inv.survey_template, rating=5, yes=True, nps=10, text="شكرا")
		)
		self.assertTrue(result["message"])
		frappe.set_user("Administrator")
		invitation = frappe.get_doc("Survey Invitation", inv.name)
		self.assertEqual(invitation.status, "Answered")
		response = frappe.get_doc("Survey Response", invitation.survey_response)
		self.assertEqual(response.satisfaction_score, 100)
		self.assertEqual(response.average_rating, 5)
		self.assertEqual(response.nps_score, 10)
		self.assertEqual(response.nps_category, "Promoter")
		self.assertEqual(response.served_by, OFFICER)
		self.assertEqual(len(response.answers), 6)
		text = next(a for a in response.answers if a.question_type == "Text")
		self.assertEqual(text.answer, "شكرا")
		self.assertFalse(text.score)  # not part of CSAT: the score is 100 with it

		frappe.set_user("Guest")
		with self.assertRaises(SurveyAnsweredError):
			submit_survey(inv.token, answers_for(inv.survey_template, rating=1, yes=False, nps=0))
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.count("Survey Response", {"survey_invitation": inv.name}), 1)

	def test_signed_in_as_another_beneficiary_the_link_is_not_his(self):
		"""R5.1: the rating is the beneficiary's own. Signed in to the portal as another beneficiary,
		the token is refused; the link opened without a portal session, or by its own beneficiary,
		is answered."""
		inv = self.invitation()
		other = make_active_beneficiary(user=self.portal, beneficiary_name="مستفيد آخر").name
		try:
			frappe.set_user(self.portal)
			with self.assertRaises(SurveyLinkError):
				submit_survey(inv.token, answers_for(inv.survey_template, 5, True, 9))
			frappe.set_user("Guest")
			self.assertTrue(submit_survey(inv.token, answers_for(inv.survey_template, 5, True, 9)))
		finally:
			frappe.set_user("Administrator")
			frappe.delete_doc(
				"Beneficiary", other, force=True, ignore_permissions=True
			)  # his account is shared

	def test_mixed_answers_score_by_type(self):
		inv = self.invitation()
		values = {}
		for row in survey.template_questions(inv.survey_template):
			values[row.name] = {"Rating": None, "Yes-No": "No", "NPS": 6, "Text": ""}[row.question_type]
		ratings = [
			r.name for r in survey.template_questions(inv.survey_template) if r.question_type == "Rating"
		]
		values[ratings[0]], values[ratings[1]] = 4, 3
		yes_no = [
			r.name for r in survey.template_questions(inv.survey_template) if r.question_type == "Yes-No"
		]
		values[yes_no[0]] = "Yes"
		submit_survey(inv.token, json.dumps(values))
		response = frappe.get_doc("Survey Response", {"survey_invitation": inv.name})
		# satisfied: rating 4, Yes; not: rating 3, No -> 50
		self.assertEqual(response.satisfaction_score, 50)
		self.assertEqual(response.average_rating, 3.5)
		self.assertEqual(response.nps_category, "Detractor")

	def test_expired_link_is_refused(self):
		inv = self.invitation()
		frappe.db.set_value("Survey Invitation", inv.name, "expires_on", add_days(today(), -1))
		with self.assertRaises(SurveyExpiredError):
			submit_survey(inv.token, answers_for(inv.survey_template, 5, True, 9))
		self.assertGreaterEqual(survey.expire_invitations(), 1)
		self.assertEqual(frappe.db.get_value("Survey Invitation", inv.name, "status"), "Expired")
		self.assertFalse(frappe.db.exists("Survey Response", {"survey_invitation": inv.name}))

	def test_unknown_token_missing_required_and_out_of_range_are_refused(self):
		inv = self.invitation()
		with self.assertRaises(SurveyLinkError) as unknown:
			submit_survey("not-a-token", "{}")
		self.assertNotIsInstance(unknown.exception, SurveyAnsweredError | SurveyExpiredError)
		rows = survey.template_questions(inv.survey_template)
		with self.assertRaises(SurveyAnswerError):  # the other required questions are not answered
			submit_survey(inv.token, json.dumps({rows[0].name: 5}))
		bad = json.loads(answers_for(inv.survey_template, 5, True, 9))
		bad[next(r.name for r in rows if r.question_type == "NPS")] = 11
		with self.assertRaises(SurveyAnswerError):
			submit_survey(inv.token, json.dumps(bad))
		self.assertEqual(frappe.db.get_value("Survey Invitation", inv.name, "status"), "Pending")

	def test_portal_lists_pending_surveys(self):
		portal = self.portal
		served = self.served_request(user=portal)
		invite(served.request)
		rows = survey.pending_invitations(portal)
		self.assertEqual([r.assistance_request for r in rows], [served.request])

	def test_the_portal_shows_the_last_valid_day_in_hijri_too(self):
		"""R8.1: the /survey page dates the link as the mail does, the Hijri beside the Gregorian."""
		from frappe.utils import set_request
		from frappe.website.serve import get_response_content

		from charity_beneficiary.utils.jinja import hijri

		portal = self.portal
		served = self.served_request(user=portal)
		expires_on = frappe.db.get_value("Survey Invitation", invite(served.request), "expires_on")
		frappe.set_user(portal)
		self.addCleanup(frappe.set_user, "Administrator")
		# the page is rendered for a request; the next tests run without one (frappe's rate limits)
		self.addCleanup(setattr, frappe.local, "request", getattr(frappe.local, "request", None))
		set_request(method="GET", path="/survey")
		html = get_response_content("/survey")
		self.assertIn(served.request, html)
		self.assertTrue(hijri(expires_on))
		self.assertIn(hijri(expires_on), html)


class TestReportFigures(QualityTestCase):
	def answer(self, rating, yes, nps, **fields):
		beneficiary = make_active_beneficiary(email_id=None, **fields)
		served = frappe._dict(request=make_request(beneficiary.name, self.service, submit=True).name)
		name = invite(served.request)
		inv = frappe.db.get_value("Survey Invitation", name, ["token", "survey_template"], as_dict=True)
		submit_survey(inv.token, answers_for(inv.survey_template, rating, yes, nps))

	def test_report_matches_responses_and_hides_small_groups(self):
		# services of their own: other tests' (or committed) responses do not count here
		self.service = make_aid_service(f"خدمة الجودة {frappe.generate_hash(length=6)}").name
		service_b = make_aid_service(f"خدمة صغيرة {frappe.generate_hash(length=6)}").name
		self.answer(5, True, 10)  # 100, promoter
		self.answer(4, False, 9)  # ratings 4,4 ok, Yes-No No,No -> 50, promoter
		self.answer(2, True, 3)  # 0,0,100,100 -> 50, detractor
		invite(make_request(make_active_beneficiary().name, self.service, submit=True).name)  # never answered
		# one response in another service: too small a group to show
		beneficiary = make_active_beneficiary(email_id=None)
		request = make_request(beneficiary.name, service_b, submit=True)
		inv = frappe.db.get_value(
			"Survey Invitation", invite(request.name), ["token", "survey_template"], as_dict=True
		)
		submit_survey(inv.token, answers_for(inv.survey_template, 1, False, 0))

		columns, rows, _, chart, summary = report.execute({"group_by": "Service"})
		by_group = {r["group"]: r for r in rows}
		row = by_group[self.service]
		self.assertEqual(row["responses"], 3)
		self.assertEqual(row["csat"], round((100 + 50 + 50) / 3, 2))
		self.assertEqual(row["nps"], round(100 * (2 - 1) / 3, 1))
		self.assertEqual(row["invited"], 4)
		self.assertEqual(row["response_rate"], 75)
		small = by_group[service_b]
		self.assertIsNone(small["csat"])
		self.assertIsNone(small["nps"])
		self.assertEqual(small["responses"], 0)
		filtered = report.execute({"group_by": "Service", "aid_service": self.service})
		self.assertEqual([r["csat"] for r in filtered[1]], [row["csat"]])
		csat = next(s for s in filtered[4] if s["label"] == "CSAT %")
		self.assertEqual(csat["value"], row["csat"])
		self.assertNotIn("served_by", {c["fieldname"] for c in columns})

	def test_no_grouping_tells_another_grouping_s_hidden_answer(self):
		"""A branch's only answer to a service was blanked in the branch grouping but counted in the
		service's row and total: one subtraction read it. Now it counts nowhere, whatever the
		grouping, and the period is whole months."""
		self.service = make_aid_service(f"خدمة الفروق {frappe.generate_hash(length=6)}").name
		big, small = (make_branch(f"فرع الفروق {frappe.generate_hash(length=6)}") for _ in range(2))
		for rating in (5, 4, 5):
			self.answer(rating, True, 10, branch=big)
		self.answer(1, False, 0, branch=small)  # the one answer of its branch
		filters = {"aid_service": self.service, "from_date": today(), "to_date": today()}
		totals = {}
		for group_by in report.GROUPINGS:
			_columns, rows, _message, _chart, summary = report.execute({**filters, "group_by": group_by})
			self.assertEqual(sum(row["responses"] for row in rows), 3, group_by)
			totals[group_by] = next(s["value"] for s in summary if s["label"] == "CSAT %")
		self.assertEqual(len(set(totals.values())), 1, totals)
		self.assertEqual(report.date_range(frappe._dict(filters))[0], getdate(today()).replace(day=1))


class TestFeedback(QualityTestCase):
	def test_complaint_gets_due_date_assignee_response_and_escalation(self):
		served = self.served_request(user=self.portal)  # he rates the resolution from his portal account
		frappe.set_user(OFFICER)
		doc = frappe.get_doc(
			{
				"doctype": "Beneficiary Feedback",
				"feedback_type": "Complaint",
				"beneficiary": served.beneficiary,
				"assistance_request": served.request,
				"channel": "Phone Call",
				"description": "تأخر صرف المساعدة",
				"assigned_to": OFFICER,
			}
		).insert()
		frappe.set_user("Administrator")
		self.assertEqual(getdate(doc.due_date), getdate(add_days(today(), 5)))
		self.assertEqual(doc.aid_service, SERVICE)
		self.assertTrue(
			frappe.db.exists(
				"ToDo",
				{
					"reference_type": "Beneficiary Feedback",
					"reference_name": doc.name,
					"allocated_to": OFFICER,
					"status": "Open",
				},
			)
		)

		# overdue: escalated to the managers once a day
		frappe.db.set_value("Beneficiary Feedback", doc.name, "due_date", add_days(today(), -1))
		before = len(queued_mails(MANAGER))
		self.assertIn(doc.name, feedback.escalate_overdue_feedback())
		self.assertNotIn(doc.name, feedback.escalate_overdue_feedback())
		self.assertEqual(len(queued_mails(MANAGER)), before + 1)
		self.assertIn(doc.name, mail_text(queued_mails(MANAGER)[-1]))
		self.assertEqual(
			getdate(frappe.db.get_value("Beneficiary Feedback", doc.name, "escalated_on")), getdate(today())
		)

		# the response is mailed to the beneficiary and resolves the complaint
		mails_before = len(queued_mails("beneficiary.quality@example.com"))
		frappe.set_user(OFFICER)
		doc.reload()
		doc.response = "تم صرف المساعدة اليوم، نعتذر عن التأخير"
		doc.save()
		frappe.set_user("Administrator")
		self.assertEqual(doc.status, "Resolved")
		self.assertIsNotNone(doc.resolution_days)
		mails = queued_mails("beneficiary.quality@example.com")
		self.assertEqual(len(mails), mails_before + 1)
		self.assertIn("تم صرف المساعدة اليوم", mail_text(mails[-1]))

		# resolved, no longer overdue; the beneficiary rates the resolution, which closes it
		self.assertNotIn(doc.name, [r.name for r in feedback.overdue_feedback(getdate(add_days(today(), 1)))])
		# the rating is his (R5.1): staff do not give it for him
		with self.assertRaises(NotTheRaterError):
			feedback.rate_resolution(doc.name, 5)
		frappe.set_user(self.portal)
		with self.assertRaises(ResolutionRatingError):
			feedback.rate_resolution(doc.name, 6)
		feedback.rate_resolution(doc.name, 4)
		frappe.set_user("Administrator")
		doc.reload()
		self.assertEqual((doc.status, doc.resolution_satisfaction), ("Closed", 4))
		self.assertEqual(audited_changes("Beneficiary Feedback", doc.name)["status"], (self.portal, "Closed"))
		# given once: never overwritten, by staff or by himself
		for user in ("Administrator", self.portal):
			frappe.set_user(user)
			with self.assertRaises(ResolutionRatingError):
				feedback.rate_resolution(doc.name, 1)
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Beneficiary Feedback", doc.name, "resolution_satisfaction"), 4)

	def test_only_suggestions_may_be_anonymous(self):
		frappe.get_doc(
			{
				"doctype": "Beneficiary Feedback",
				"feedback_type": "Suggestion",
				"channel": "Letter",
				"description": "اقتراح",
			}
		).insert()
		with self.assertRaises(AnonymousFeedbackError):
			frappe.get_doc(
				{
					"doctype": "Beneficiary Feedback",
					"feedback_type": "Complaint",
					"channel": "Letter",
					"description": "شكوى",
				}
			).insert()

	def test_portal_user_files_for_himself_only(self):
		portal = self.portal
		own = make_active_beneficiary(user=portal, beneficiary_name="صاحب الشكوى")
		other = make_active_beneficiary(beneficiary_name="مستفيد آخر")
		frappe.set_user(portal)
		values = {
			"doctype": "Beneficiary Feedback",
			"feedback_type": "Complaint",
			"channel": "Phone Call",
			"status": "Closed",
			"assigned_to": OFFICER,
			"description": "شكوى من البوابة",
		}
		with self.assertRaises(frappe.PermissionError):  # another's record: refused, not made his own
			frappe.get_doc({**values, "beneficiary": other.name}).insert(ignore_permissions=True)
		doc = frappe.get_doc(values).insert(ignore_permissions=True)
		frappe.set_user("Administrator")
		self.assertEqual((doc.beneficiary, doc.channel, doc.status), (own.name, "Website", "Open"))
		self.assertEqual(doc.beneficiary_name, own.beneficiary_name)  # the list's title, not the other's
		self.assertTrue(feedback.has_website_permission(doc, "read", portal))
		other_feedback = frappe.get_doc(
			{
				"doctype": "Beneficiary Feedback",
				"feedback_type": "Suggestion",
				"beneficiary": other.name,
				"channel": "Phone Call",
				"description": "اقتراح من غيره",
			}
		).insert(ignore_permissions=True)
		frappe.set_user(portal)
		listed = frappe.get_list("Beneficiary Feedback", pluck="name")
		frappe.set_user("Administrator")
		self.assertIn(doc.name, listed)
		self.assertNotIn(other_feedback.name, listed)

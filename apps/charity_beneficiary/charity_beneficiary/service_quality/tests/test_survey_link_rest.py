"""R5.1 over HTTP: the rating is the beneficiary's own. A survey link opened by another beneficiary
signed in to the portal is refused; the same link opened from the message, without a portal session,
is answered once. The class commits (the HTTP server is another process) and removes what it made."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.disbursement.doctype.aid_disbursement.test_aid_disbursement import purge
from charity_beneficiary.service_quality.survey import ensure_default_survey, invite, template_questions
from charity_beneficiary.tests.committed import purge_beneficiary
from charity_beneficiary.tests.factories import (
	TEST_PASSWORD,
	make_active_beneficiary,
	make_aid_service,
	make_request,
)
from charity_beneficiary.tests.live_server import live_server
from charity_beneficiary.tests.users import portal_user

SUBMIT = "api/method/charity_beneficiary.service_quality.survey.submit_survey"
SERVICE = "خدمة (اختبار رابط الاستبيان)"


class TestSurveyLinkOverHTTP(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.portal = portal_user(5)
		ensure_default_survey()
		make_aid_service(SERVICE)
		cls.addClassCleanup(cls.remove_committed)
		cls.served = make_active_beneficiary(email_id=None).name
		cls.other = make_active_beneficiary(user=cls.portal, beneficiary_name="مستفيد آخر").name
		cls.invitation = invite(make_request(cls.served, SERVICE, submit=True).name)
		frappe.db.commit()
		cls.server = live_server()

	@classmethod
	def remove_committed(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		response = frappe.db.get_value("Survey Invitation", cls.invitation, "survey_response")
		if response:
			frappe.db.set_value("Survey Invitation", cls.invitation, "survey_response", None)
			purge("Survey Response", [response])
		purge_beneficiary(cls.served)
		purge_beneficiary(cls.other)
		frappe.db.commit()

	def answer(self, session):
		inv = frappe.db.get_value(
			"Survey Invitation", self.invitation, ["token", "survey_template"], as_dict=True
		)
		answers = {
			row.name: {"Rating": 5, "Yes-No": "Yes", "NPS": 9, "Text": ""}[row.question_type]
			for row in template_questions(inv.survey_template)
		}
		return session.post(
			f"{self.server.url}/{SUBMIT}", data={"token": inv.token, "answers": json.dumps(answers)}
		)

	def test_another_signed_in_beneficiary_cannot_answer_the_link(self):
		response = self.answer(self.server.session(self.portal, TEST_PASSWORD))
		self.assertEqual(response.status_code, 417, response.text[:300])
		self.assertEqual(response.json()["exc_type"], "SurveyLinkError")
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Survey Invitation", self.invitation, "status"), "Pending")

		response = self.answer(self.server.session())  # the link opened from the message
		self.assertEqual(response.status_code, 200, response.text[:300])
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Survey Invitation", self.invitation, "status"), "Answered")

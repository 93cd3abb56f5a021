"""The survey link (R5.2, R8.3) opens for a guest: a valid, pending invitation shows its questions over
HTTP (it answered 500, TemplateNotFound, when the page set frappe's own `template` context key), and a
guest's error never carries a traceback."""

import frappe
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.service_quality.survey import ensure_default_survey, invite, template_questions
from charity_beneficiary.tests.factories import make_active_beneficiary, make_aid_service, make_request
from charity_beneficiary.tests.live_server import live_server

SERVICE = "خدمة (اختبار صفحة الاستبيان)"


class TestSurveyPageAsGuest(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_default_survey()
		make_aid_service(SERVICE)
		beneficiary = make_active_beneficiary(email_id=None)
		request = make_request(beneficiary.name, SERVICE, submit=True)
		cls.invitation = invite(request.name)
		cls.created = [
			("Survey Invitation", cls.invitation),
			("Assistance Request", request.name),
			("Beneficiary", beneficiary.name),
		]
		cls.token, template = frappe.db.get_value(
			"Survey Invitation", cls.invitation, ["token", "survey_template"]
		)
		cls.questions = template_questions(template)
		frappe.db.commit()
		try:
			cls.server = live_server()
		except Exception:
			cls.remove_records()  # tearDownClass is not called when setUpClass fails
			raise

	@classmethod
	def tearDownClass(cls):
		cls.remove_records()
		super().tearDownClass()

	@classmethod
	def remove_records(cls):
		frappe.set_user("Administrator")
		for doctype, name in cls.created:
			if name and frappe.db.exists(doctype, name):
				if frappe.db.get_value(doctype, name, "docstatus") == 1:
					frappe.db.set_value(doctype, name, "docstatus", 2)  # submitted records are not deleted
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		frappe.db.commit()

	def guest_get(self, path: str, **params):
		session = self.server.session()
		return session.get(f"{self.server.url}/{path}", params=params, headers={"Accept": "text/html"})

	def test_a_pending_invitation_opens_for_a_guest(self):
		self.assertEqual(frappe.db.get_value("Survey Invitation", self.invitation, "status"), "Pending")
		response = self.guest_get("survey", token=self.token)
		self.assertEqual(response.status_code, 200, response.text[:500])
		self.assertIn('id="survey-form"', response.text)
		for question in self.questions:
			self.assertIn(question.name, response.text)
		self.assertNotIn("Traceback", response.text)

	def test_an_unknown_link_is_explained_not_crashed(self):
		response = self.guest_get("survey", token="x" * 300)
		self.assertEqual(response.status_code, 200)
		self.assertIn("survey-error", response.text)
		self.assertNotIn("Traceback", response.text)

	def test_a_guest_error_carries_no_traceback(self):
		session = self.server.session()
		response = session.post(
			f"{self.server.url}/api/method/charity_beneficiary.service_quality.survey.submit_survey",
			json={"token": "not-a-token", "answers": "{}"},
		)
		self.assertEqual(response.status_code, 417)
		body = response.json()
		self.assertTrue(body.get("_server_messages"))
		self.assertNotIn("exc", body)
		self.assertNotIn("exception", body)

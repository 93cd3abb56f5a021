"""R6.1, R8.2 over HTTP: what a guest meets on /survey, and what a guest is told about bad arguments.

- /survey without a token lists a beneficiary's pending surveys: a guest is sent to the sign-up page
  (which links to the login) and brought back, exactly as from /portal;
- /survey?token=<valid> is answered without an account (the token is the credential);
- /survey?token=<unknown> says why it cannot be answered, without sending him anywhere.

A method called with a missing argument names it to staff, never to a guest (utils/input_guard.py)."""

import json

import frappe
from frappe import _
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.service_quality.survey import ensure_default_survey, invite
from charity_beneficiary.tests.committed import purge_beneficiary
from charity_beneficiary.tests.factories import (
	TEST_PASSWORD,
	make_active_beneficiary,
	make_aid_service,
	make_request,
)
from charity_beneficiary.tests.users import role_user

SERVICE = "خدمة (اختبار مسارات الضيف)"
SUBMIT = "api/method/charity_beneficiary.service_quality.survey.submit_survey"
RATE = "api/method/charity_beneficiary.service_quality.feedback.rate_resolution"


class TestSurveyForAGuest(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		from charity_beneficiary.tests.live_server import live_server

		super().setUpClass()
		frappe.set_user("Administrator")
		cls.addClassCleanup(cls.remove_committed)
		cls.staff = role_user("Charity Manager")
		ensure_default_survey()
		make_aid_service(SERVICE)
		cls.beneficiary = make_active_beneficiary(email_id=None).name
		request = make_request(cls.beneficiary, SERVICE, submit=True)
		cls.token = frappe.db.get_value("Survey Invitation", invite(request.name), "token")
		frappe.db.commit()
		cls.server = live_server()

	@classmethod
	def remove_committed(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		purge_beneficiary(getattr(cls, "beneficiary", None))  # his request with its invitation
		frappe.db.commit()

	def get(self, path: str, **params):
		return self.server.session().get(
			f"{self.server.url}/{path}", params=params, headers={"Accept": "text/html"}, allow_redirects=False
		)

	def test_without_a_token_a_guest_goes_where_the_portal_sends_him(self):
		survey, portal = self.get("survey"), self.get("portal")
		self.assertEqual((survey.status_code, portal.status_code), (302, 302))
		survey_to, portal_to = (r.headers["Location"].removeprefix(self.server.url) for r in (survey, portal))
		self.assertEqual(survey_to, "/sign-up?redirect-to=%2Fsurvey")
		self.assertEqual(portal_to, "/sign-up?redirect-to=%2Fportal")
		# the sign-up page brings him back to the survey through the login too
		page = self.server.session().get(f"{self.server.url}{survey_to}")
		self.assertEqual(page.status_code, 200)
		self.assertIn("/login?redirect-to=%2Fsurvey", page.text)

	def test_with_a_valid_token_a_guest_answers_without_an_account(self):
		response = self.get("survey", token=self.token)
		self.assertEqual(response.status_code, 200, response.text[:300])
		self.assertIn('id="survey-form"', response.text)

	def test_with_an_unknown_token_a_guest_is_told_why_and_stays(self):
		response = self.get("survey", token="not-a-token")
		self.assertEqual(response.status_code, 200)
		self.assertIn("survey-error", response.text)
		self.assertNotIn('id="survey-form"', response.text)

	def test_a_guest_is_not_told_the_names_of_a_methods_arguments(self):
		response = self.server.session().post(f"{self.server.url}/{SUBMIT}", data={"token": self.token})
		self.assertEqual(response.status_code, 417, response.text[:300])
		self.assertEqual(response.json().get("exc_type"), "InvalidInputError")
		messages = [json.loads(m)["message"] for m in json.loads(response.json()["_server_messages"])]
		# the generic message (utils/input_guard.py) in the site's language, naming no argument
		self.assertEqual(messages, [_("The request is missing a value or has a value of the wrong type.")])

	def test_staff_are_told_which_argument_is_missing(self):
		staff = self.server.session(self.staff, TEST_PASSWORD)
		response = staff.post(f"{self.server.url}/{RATE}", data={"feedback": "FDB-NONE"})
		self.assertEqual(response.status_code, 417, response.text[:300])
		self.assertIn("rating", json.dumps(response.json().get("_server_messages")))

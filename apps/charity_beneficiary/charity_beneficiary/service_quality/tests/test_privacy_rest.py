"""R5.1 through REST: a staff member who is not a manager reads no individual survey response (nor
the staff attribution), only the Service Quality report's grouped figures; the manager reads them."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.service_quality.survey import (
	ensure_default_survey,
	invite,
	submit_survey,
	template_questions,
)
from charity_beneficiary.tests.factories import (
	TEST_PASSWORD,
	make_active_beneficiary,
	make_aid_service,
	make_request,
)
from charity_beneficiary.tests.live_server import live_server
from charity_beneficiary.tests.users import role_email, role_user, roles_email, roles_user

# a staff member of several roles, none of them the manager's
STAFF_ROLES = ("Beneficiary Relations Officer", "Social Researcher", "Branch Representative")
STAFF = roles_email(STAFF_ROLES)
MANAGER = role_email("Charity Manager")
SERVICE = "خدمة (اختبار الخصوصية)"


class TestSurveyPrivacyOverREST(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		roles_user(*STAFF_ROLES)
		role_user("Charity Manager")
		ensure_default_survey()
		make_aid_service(SERVICE)
		cls.created = {
			"Survey Response": [],
			"Survey Invitation": [],
			"Assistance Request": [],
			"Beneficiary": [],
		}
		for rating in (5, 4, 2):
			beneficiary = make_active_beneficiary(email_id=None)
			frappe.set_user(STAFF)
			request = make_request(beneficiary.name, SERVICE, submit=True)
			frappe.set_user("Administrator")
			name = invite(request.name)
			inv = frappe.db.get_value("Survey Invitation", name, ["token", "survey_template"], as_dict=True)
			answers = {
				row.name: {"Rating": rating, "Yes-No": "Yes", "NPS": 9, "Text": "ملاحظة خاصة"}[
					row.question_type
				]
				for row in template_questions(inv.survey_template)
			}
			submit_survey(inv.token, json.dumps(answers))
			cls.created["Survey Response"].append(
				frappe.db.get_value("Survey Invitation", name, "survey_response")
			)
			cls.created["Survey Invitation"].append(name)
			cls.created["Assistance Request"].append(request.name)
			cls.created["Beneficiary"].append(beneficiary.name)
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
		for doctype in ("Survey Response", "Survey Invitation"):
			for name in cls.created[doctype]:
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		for name in cls.created["Assistance Request"]:
			frappe.db.delete("Assistance Request", {"name": name})
		for name in cls.created["Beneficiary"]:
			frappe.delete_doc("Beneficiary", name, force=True, ignore_permissions=True)
		frappe.db.commit()

	def url(self, *parts):
		return "/".join((self.server.url, *parts))

	def test_staff_reads_no_individual_response(self):
		session = self.server.session(STAFF, TEST_PASSWORD)
		self.assertEqual(session.get(self.url("api/resource/Survey Response")).status_code, 403)
		one = self.created["Survey Response"][0]
		self.assertEqual(session.get(self.url("api/resource/Survey Response", one)).status_code, 403)
		self.assertEqual(session.get(self.url("api/resource/Survey Invitation")).status_code, 403)
		listed = session.get(
			self.url("api/method/frappe.client.get_list"),
			params={"doctype": "Survey Response", "fields": json.dumps(["name", "served_by"])},
		)
		self.assertEqual(listed.status_code, 403)

	def run_report(self, user: str, group_by: str):
		session = self.server.session(user, TEST_PASSWORD)
		return session.get(
			self.url("api/method/frappe.desk.query_report.run"),
			params={"report_name": "Service Quality", "filters": json.dumps({"group_by": group_by})},
		)

	def assert_only_grouped(self, response) -> dict:
		result = response.json()["message"]
		fields = {c["fieldname"] for c in result["columns"]}
		self.assertFalse(
			fields & {"name", "beneficiary", "served_by", "answers", "satisfaction_score", "survey_response"}
		)
		self.assertNotIn("ملاحظة خاصة", response.text)
		for name in self.created["Survey Response"] + self.created["Beneficiary"]:
			self.assertNotIn(name, response.text)
		return result

	def test_staff_sees_no_figures_per_staff_member(self):
		# R5.3: the figures of each staff member are the managers'
		self.assertEqual(self.run_report(STAFF, "Staff Member").status_code, 403)

	def test_staff_gets_only_grouped_figures(self):
		response = self.run_report(STAFF, "Service")
		self.assertEqual(response.status_code, 200, response.text[:500])
		self.assert_only_grouped(response)

	def test_manager_gets_grouped_figures_per_staff_member(self):
		response = self.run_report(MANAGER, "Staff Member")
		self.assertEqual(response.status_code, 200, response.text[:500])
		result = self.assert_only_grouped(response)
		mine = [row for row in result["result"] if isinstance(row, dict) and row.get("group") == STAFF]
		self.assertEqual(len(mine), 1)
		self.assertGreaterEqual(mine[0]["responses"], 3)  # a group, never fewer than the minimum

	def test_manager_reads_individual_responses(self):
		session = self.server.session(MANAGER, TEST_PASSWORD)
		one = self.created["Survey Response"][0]
		response = session.get(self.url("api/resource/Survey Response", one))
		self.assertEqual(response.status_code, 200)
		self.assertEqual(response.json()["data"]["served_by"], STAFF)

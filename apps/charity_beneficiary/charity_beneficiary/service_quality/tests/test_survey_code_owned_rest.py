"""R5.1, R8.2: a survey invitation and a survey answer are the survey code's alone.

Their token, times, status, scores, answers and links are written only by service_quality/survey.py
(utils/code_owned.py, owner SURVEY). No role of the app may write these DocTypes; the staff who read
them (the manager, the system manager) and the officer with many roles are refused over REST with a
403, and nothing is saved. Should a site grant write on them one day, the controller still refuses
every code-owned field (asserted in-process, as Administrator, whom no permission stops)."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.service_quality import survey
from charity_beneficiary.tests.committed import purge_beneficiary
from charity_beneficiary.tests.factories import (
	TEST_PASSWORD,
	make_active_beneficiary,
	make_aid_service,
	make_request,
)
from charity_beneficiary.tests.test_code_owned_rest import forged_value as any_forged_value
from charity_beneficiary.tests.users import many_roles_user, role_user
from charity_beneficiary.utils.code_owned import CODE_OWNED, CodeOwnedFieldError

SERVICE = "خدمة (اختبار حقول الاستبيان)"
STAFF_ROLES = ("Charity Manager", "System Manager")


def forged_value(df, current):
	"""A value of the field's type, in its range (a percent above 100 is refused before the save)."""
	if df.fieldtype in ("Percent", "Float", "Int"):
		return 8 if current == 7 else 7
	return any_forged_value(df, current)


def answered_invitation() -> tuple[str, str]:
	"""(invitation, response): an invitation of a new beneficiary's request, answered through the
	survey code as the beneficiary answers it."""
	survey.ensure_default_survey()
	make_aid_service(SERVICE)
	beneficiary = make_active_beneficiary(email_id=None)
	request = make_request(beneficiary.name, SERVICE, submit=True)
	name = survey.invite(request.name)
	token, template = frappe.db.get_value("Survey Invitation", name, ["token", "survey_template"])
	answers = {
		row.name: {"Rating": 4, "Yes-No": "Yes", "NPS": 8, "Text": "شكرا"}[row.question_type]
		for row in survey.template_questions(template)
	}
	survey.submit_survey(token, json.dumps(answers))
	return name, frappe.db.get_value("Survey Invitation", name, "survey_response")


def stored(doctype: str, name: str) -> dict:
	doc = frappe.get_doc(doctype, name).as_dict()
	doc["answers"] = [(r.question, r.answer, r.value, r.score) for r in doc.get("answers") or []]
	return {field: doc.get(field) for field in CODE_OWNED[doctype]}


class TestSurveyFieldsOverREST(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		from charity_beneficiary.tests.live_server import live_server

		super().setUpClass()
		frappe.set_user("Administrator")
		cls.addClassCleanup(cls.remove_committed)  # runs even when the set-up fails half-way
		cls.users = [role_user(role) for role in STAFF_ROLES] + [many_roles_user()]
		cls.invitation, cls.response = answered_invitation()
		cls.beneficiary = frappe.db.get_value("Survey Invitation", cls.invitation, "beneficiary")
		frappe.db.commit()  # the HTTP server is another process
		cls.server = live_server()
		cls.sessions = {user: cls.server.session(user, TEST_PASSWORD) for user in cls.users}

	@classmethod
	def remove_committed(cls):
		from charity_beneficiary.disbursement.doctype.aid_disbursement.test_aid_disbursement import purge

		frappe.db.rollback()
		frappe.set_user("Administrator")
		purge("Survey Response", [getattr(cls, "response", None)])
		purge_beneficiary(getattr(cls, "beneficiary", None))  # his request with its invitation
		frappe.db.commit()

	def put(self, user: str, doctype: str, name: str, values: dict):
		url = f"{self.server.url}/api/resource/{doctype}/{name}"
		return self.sessions[user].put(url, json=values)

	def assert_refused_and_unchanged(self, doctype: str, name: str, values: dict, label: str) -> None:
		frappe.db.rollback()  # a fresh snapshot of what the server committed
		before = stored(doctype, name)
		for user in self.users:
			with self.subTest(f"{label} by {user}"):
				response = self.put(user, doctype, name, values)
				self.assertEqual(response.status_code, 403, response.text[:300])
				frappe.db.rollback()
				self.assertEqual(stored(doctype, name), before)

	def test_no_staff_role_changes_a_field_of_the_invitation(self):
		meta = frappe.get_meta("Survey Invitation")
		current = frappe.get_doc("Survey Invitation", self.invitation)
		for fieldname in CODE_OWNED["Survey Invitation"]:
			value = forged_value(meta.get_field(fieldname), current.get(fieldname))
			self.assert_refused_and_unchanged(
				"Survey Invitation", self.invitation, {fieldname: value}, fieldname
			)

	def test_no_staff_role_changes_a_score_or_an_answer(self):
		meta = frappe.get_meta("Survey Response")
		current = frappe.get_doc("Survey Response", self.response)
		for fieldname in CODE_OWNED["Survey Response"]:
			df = meta.get_field(fieldname)
			if df.fieldtype == "Table":
				value = [{"question": "forged", "answer": "forged", "value": 5, "score": 100}]
			else:
				value = forged_value(df, current.get(fieldname))
			self.assert_refused_and_unchanged("Survey Response", self.response, {fieldname: value}, fieldname)
		# an existing answer row, rewritten in place
		rows = [{"name": row.name, "question": row.question, "answer": "forged"} for row in current.answers]
		self.assert_refused_and_unchanged("Survey Response", self.response, {"answers": rows}, "answers")

	def test_no_staff_role_makes_an_invitation_or_a_response(self):
		for doctype, values in (
			("Survey Invitation", {"token": "forged-token", "status": "Pending"}),
			("Survey Response", {"satisfaction_score": 100, "nps_score": 10}),
		):
			template = frappe.db.get_value("Survey Invitation", self.invitation, "survey_template")
			for user in self.users:
				with self.subTest(f"new {doctype} by {user}"):
					response = self.sessions[user].post(
						f"{self.server.url}/api/resource/{doctype}",
						json={**values, "survey_template": template, "beneficiary": self.beneficiary},
					)
					self.assertEqual(response.status_code, 403, response.text[:300])
			frappe.db.rollback()
			self.assertFalse(frappe.db.exists(doctype, {"beneficiary": self.beneficiary, **values}))

	def test_no_staff_role_reads_the_token(self):
		"""The token is the beneficiary's only credential for /survey (R5.1): staff who could read it
		could answer in his name. It sits at a permission level no role reads; only the survey code
		(the mail, the portal's list, submit_survey) reads it."""
		token = frappe.db.get_value("Survey Invitation", self.invitation, "token")
		for user in self.users:
			session = self.sessions[user]
			for label, url, params in (
				(
					"list",
					"Survey Invitation",
					{"fields": json.dumps(["name", "token"]), "limit_page_length": 0},
				),
				("document", f"Survey Invitation/{self.invitation}", {}),
			):
				with self.subTest(f"{label} by {user}"):
					response = session.get(f"{self.server.url}/api/resource/{url}", params=params)
					self.assertIn(response.status_code, (200, 403), response.text[:300])
					self.assertNotIn(token, response.text)


class TestSurveyFieldsWhateverThePermissions(FrappeTestCase):
	"""Administrator passes every permission check: only the code-owned guard stands in his way."""

	def setUp(self):
		frappe.set_user("Administrator")
		answered_invitation()  # another one: its request and response are real values to forge with
		self.invitation, self.response = answered_invitation()

	def assert_refused(self, doc, df, value) -> None:
		"""The guard refuses it; a link to no record is refused even before (frappe checks links first)."""
		doc.set(df.fieldname, value)
		missing_link = df.fieldtype == "Link" and not frappe.db.exists(df.options, value)
		with self.assertRaises(frappe.LinkValidationError if missing_link else CodeOwnedFieldError):
			doc.save()

	def test_the_invitation_refuses_every_field_outside_the_survey_code(self):
		meta = frappe.get_meta("Survey Invitation")
		for fieldname in CODE_OWNED["Survey Invitation"]:
			with self.subTest(fieldname):
				doc = frappe.get_doc("Survey Invitation", self.invitation)
				df = meta.get_field(fieldname)
				self.assert_refused(doc, df, forged_value(df, doc.get(fieldname)))

	def test_the_response_refuses_every_score_and_answer_outside_the_survey_code(self):
		meta = frappe.get_meta("Survey Response")
		for fieldname in CODE_OWNED["Survey Response"]:
			if fieldname == "answers":
				continue
			with self.subTest(fieldname):
				doc = frappe.get_doc("Survey Response", self.response)
				df = meta.get_field(fieldname)
				self.assert_refused(doc, df, forged_value(df, doc.get(fieldname)))
		for fieldname in CODE_OWNED["Survey Answer"]:
			with self.subTest(f"answers.{fieldname}"):
				doc = frappe.get_doc("Survey Response", self.response)
				row = doc.answers[0]
				row.set(fieldname, forged_value(row.meta.get_field(fieldname), row.get(fieldname)))
				with self.assertRaises(CodeOwnedFieldError):
					doc.save()
		doc = frappe.get_doc("Survey Response", self.response)
		doc.answers.pop()
		with self.assertRaises(CodeOwnedFieldError):
			doc.save()

	def test_the_survey_code_still_writes_them(self):
		doc = frappe.get_doc("Survey Invitation", self.invitation)
		self.assertEqual(doc.status, "Answered")
		self.assertEqual(doc.survey_response, self.response)
		self.assertTrue(frappe.get_doc("Survey Response", self.response).answers)

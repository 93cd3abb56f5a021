"""R6.3 and R8.2 through HTTP, as the beneficiary himself: he follows his complaint and its answer
without learning how the association handles it inside (the officer it is assigned to, who answered,
when it was escalated), neither through REST nor in the web form's page; he rates the resolution
once, and nobody overwrites his rating.

The class commits (the HTTP server is another process) and removes what it made at the end.
"""

import json
import re

import frappe
from frappe import _
from frappe.tests.utils import FrappeTestCase
from frappe.utils import today

from charity_beneficiary.disbursement.doctype.aid_disbursement.test_aid_disbursement import purge
from charity_beneficiary.tests.committed import purge_beneficiary
from charity_beneficiary.tests.factories import TEST_PASSWORD, make_active_beneficiary
from charity_beneficiary.tests.live_server import live_server
from charity_beneficiary.tests.users import portal_email, portal_user, role_email, role_user

FEEDBACK = "Beneficiary Feedback"
OFFICER = role_email("Beneficiary Relations Officer")
PORTAL = portal_email(2)
# what only staff read (permission level 1)
STAFF_FIELDS = ("assigned_to", "responded_by", "escalated_on")
RATE = "api/method/charity_beneficiary.service_quality.feedback.rate_resolution"


class TestPortalFeedbackOverHTTP(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		role_user("Beneficiary Relations Officer")
		portal_user(2)
		cls.records = {}
		cls.addClassCleanup(cls.remove_committed)
		cls.beneficiary = cls.records["beneficiary"] = make_active_beneficiary(user=PORTAL).name
		frappe.set_user(OFFICER)
		doc = frappe.get_doc(
			{
				"doctype": FEEDBACK,
				"feedback_type": "Complaint",
				"channel": "Phone Call",
				"beneficiary": cls.beneficiary,
				"assigned_to": OFFICER,
				"description": "تأخر الرد على طلبي",
			}
		).insert()
		doc.reload()  # the assignment touched it
		doc.response = "تمت معالجة طلبك"
		doc.save()
		frappe.set_user("Administrator")
		frappe.db.set_value(FEEDBACK, doc.name, "escalated_on", today())
		cls.feedback = cls.records["feedback"] = doc.name
		frappe.db.commit()
		cls.server = live_server()

	@classmethod
	def remove_committed(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		purge(FEEDBACK, [cls.records.get("feedback")])
		purge_beneficiary(cls.records.get("beneficiary"))
		frappe.db.commit()

	def url(self, *parts: str) -> str:
		return "/".join((self.server.url, *parts))

	def test_he_reads_his_complaint_and_its_answer_not_its_handling(self):
		stored = frappe.db.get_value(FEEDBACK, self.feedback, ["status", *STAFF_FIELDS], as_dict=True)
		self.assertEqual(stored.status, "Resolved")
		self.assertTrue(all(stored[field] for field in STAFF_FIELDS))  # there to be hidden
		session = self.server.session(PORTAL, TEST_PASSWORD)
		response = session.get(self.url("api/resource", FEEDBACK, self.feedback))
		self.assertEqual(response.status_code, 200, response.text[:300])
		data = response.json()["data"]
		self.assertEqual((data["status"], data["response"]), ("Resolved", "تمت معالجة طلبك"))
		self.assertTrue(data["due_date"])  # the date he is promised an answer by is his to know
		for field in STAFF_FIELDS:
			self.assertNotIn(field, data)
		page = session.get(self.url("feedback", self.feedback))
		self.assertEqual(page.status_code, 200, page.text[:300])
		in_page = json.loads(re.search(r"frappe\.reference_doc = (\{.*?\n\});", page.text, re.S)[1])
		self.assertEqual(in_page["response"], "تمت معالجة طلبك")
		for field in STAFF_FIELDS:
			self.assertNotIn(field, in_page)
		listed = session.get(
			self.url("api/resource", FEEDBACK),
			params={"filters": json.dumps([["assigned_to", "=", OFFICER]])},
		)
		self.assertEqual(listed.status_code, 403, listed.text[:300])

	def test_the_desk_form_loaders_are_not_his(self):
		"""He has no desk: its form loader would give him the staff's comments and changes."""
		session = self.server.session(PORTAL, TEST_PASSWORD)
		for method in ("getdoc", "get_docinfo"):
			with self.subTest(method):
				response = session.get(
					self.url(f"api/method/frappe.desk.form.load.{method}"),
					params={"doctype": FEEDBACK, "name": self.feedback},
				)
				self.assertEqual(response.status_code, 403, response.text[:300])

	def test_a_type_that_is_no_doctype_is_not_found(self):
		"""The form loaders answered 500 (frappe imports the controller of the type named first)."""
		session = self.server.session(OFFICER, TEST_PASSWORD)
		for method in ("getdoc", "get_docinfo"):
			with self.subTest(method):
				response = session.post(
					self.url(f"api/method/frappe.desk.form.load.{method}"),
					data={"doctype": "نوع <img src=x onerror=alert(1)>", "name": "x"},
				)
				self.assertEqual(response.status_code, 404, response.text[:300])
				# the desk shows the message as HTML: the type named comes back as text
				self.assertNotIn("<img", json.loads(response.json()["_server_messages"])[0])

	def test_staff_still_read_the_handling(self):
		session = self.server.session(OFFICER, TEST_PASSWORD)
		data = session.get(self.url("api/resource", FEEDBACK, self.feedback)).json()["data"]
		self.assertEqual(data["assigned_to"], OFFICER)
		self.assertTrue(data["escalated_on"])

	def test_his_rating_is_given_once_and_never_overwritten(self):
		portal = self.server.session(PORTAL, TEST_PASSWORD)
		response = portal.post(self.url(RATE), data={"feedback": self.feedback, "rating": 2})
		self.assertEqual(response.status_code, 200, response.text[:300])
		for user in (PORTAL, OFFICER):
			with self.subTest(user):
				session = portal if user == PORTAL else self.server.session(user, TEST_PASSWORD)
				response = session.post(self.url(RATE), data={"feedback": self.feedback, "rating": 5})
				self.assertEqual(response.status_code, 417, response.text[:300])
				self.assertEqual(response.json()["exc_type"], "ResolutionRatingError")
				# the code's traceback is staff's to read, not the beneficiary's (R8.3)
				self.assertEqual("exc" in response.json(), user == OFFICER)
		frappe.db.rollback()  # a fresh snapshot
		self.assertEqual(
			frappe.db.get_value(FEEDBACK, self.feedback, ["resolution_satisfaction", "status"]), (2, "Closed")
		)

	def test_a_complaint_is_closed_only_once_answered_and_he_still_rates_it(self):
		"""R5.2: closing an unanswered complaint would hide it from the escalation and leave him
		without an answer; closed once answered, the rating is still his to give (R5.1)."""
		frappe.set_user(OFFICER)
		doc = frappe.get_doc(
			{
				"doctype": FEEDBACK,
				"feedback_type": "Complaint",
				"channel": "Phone Call",
				"beneficiary": self.beneficiary,
				"description": "لم يصلني رد",
			}
		).insert()
		frappe.set_user("Administrator")
		frappe.db.commit()
		self.addCleanup(frappe.db.commit)  # runs last: the purge below is committed
		self.addCleanup(purge, FEEDBACK, [doc.name])
		self.addCleanup(frappe.db.rollback)
		officer = self.server.session(OFFICER, TEST_PASSWORD)
		url = self.url("api/resource", FEEDBACK, doc.name)
		response = officer.put(url, json={"status": "Closed"})
		self.assertEqual(response.status_code, 417, response.text[:300])
		self.assertEqual(
			response.json()["exception"].split(": ", 1)[-1],
			_("Write the response to the beneficiary before resolving or closing the feedback"),
		)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value(FEEDBACK, doc.name, "status"), "Open")
		response = officer.put(url, json={"status": "Closed", "response": "تم التواصل معك"})
		self.assertEqual(response.status_code, 200, response.text[:300])
		portal = self.server.session(PORTAL, TEST_PASSWORD)
		response = portal.post(self.url(RATE), data={"feedback": doc.name, "rating": 4})
		self.assertEqual(response.status_code, 200, response.text[:300])
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.get_value(FEEDBACK, doc.name, ["resolution_satisfaction", "status"]), (4, "Closed")
		)

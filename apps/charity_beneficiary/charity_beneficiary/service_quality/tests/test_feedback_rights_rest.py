"""R5.1, R5.2 and R8.2 through HTTP, as the beneficiary and as the officer who answers him: the rating
of a resolution is the beneficiary's alone (an officer cannot give it first and lock him out), the
response he rated is not rewritten afterwards, the web form's data call gives him only what he may
read, and one portal account cannot flood the officers' queue with feedback.

The portal account files suggestions (which need no beneficiary record): he owns them. The class
commits (the HTTP server is another process) and removes what it made at the end.
"""

import json

import frappe
from frappe import _
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, now_datetime, today

from charity_beneficiary.disbursement.doctype.aid_disbursement.test_aid_disbursement import purge
from charity_beneficiary.service_quality.feedback import feedback_per_hour
from charity_beneficiary.tests.factories import TEST_PASSWORD
from charity_beneficiary.tests.live_server import live_server
from charity_beneficiary.tests.users import portal_email, portal_user, role_email, role_user

FEEDBACK = "Beneficiary Feedback"
OFFICER = role_email("Beneficiary Relations Officer")
PORTAL = portal_email(4)
# what only staff read (permission level 1)
STAFF_FIELDS = ("assigned_to", "responded_by", "escalated_on")
RATE = "api/method/charity_beneficiary.service_quality.feedback.rate_resolution"
FORM_DATA = "api/method/frappe.website.doctype.web_form.web_form.get_form_data"
ACCEPT = "api/method/frappe.website.doctype.web_form.web_form.accept"
RESPONSE = "شكراً لاقتراحك، سنعمل به"


def server_message(response) -> str:
	"""The first message frappe sends with an error, as the user reads it."""
	messages = json.loads(response.json().get("_server_messages") or "[]")
	return json.loads(messages[0]).get("message", "") if messages else ""


class TestFeedbackRightsOverHTTP(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		role_user("Beneficiary Relations Officer")
		portal_user(4)
		cls.created = []
		cls.addClassCleanup(cls.remove_committed)
		frappe.db.commit()
		cls.server = live_server()
		cls.portal = cls.server.session(PORTAL, TEST_PASSWORD)
		cls.officer = cls.server.session(OFFICER, TEST_PASSWORD)

	@classmethod
	def remove_committed(cls, start: int = 0):
		"""Purge (and commit) what was filed since the `start`th record of the class."""
		names, cls.created[start:] = cls.created[start:], []
		frappe.db.rollback()
		frappe.set_user("Administrator")
		if names:
			frappe.db.delete("ToDo", {"reference_type": FEEDBACK, "reference_name": ("in", names)})
		purge(FEEDBACK, names)
		frappe.db.commit()

	def url(self, *parts: str) -> str:
		return "/".join((self.server.url, *parts))

	def file(self, session, **fields):
		"""POST a suggestion as `session`'s user; the name is kept for the class's cleanup."""
		response = session.post(
			self.url("api/resource", FEEDBACK),
			json={"feedback_type": "Suggestion", "channel": "Letter", "description": "اقتراح", **fields},
		)
		if response.status_code == 200:
			self.created.append(response.json()["data"]["name"])
		return response

	def answered_suggestion(self) -> str:
		"""His suggestion, answered by the officer it is assigned to (Resolved), and escalated once."""
		response = self.file(self.portal, description="اقتراح لتحسين مواعيد الاستقبال")
		self.assertEqual(response.status_code, 200, response.text[:300])
		name = response.json()["data"]["name"]
		response = self.officer.put(
			self.url("api/resource", FEEDBACK, name), json={"assigned_to": OFFICER, "response": RESPONSE}
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		frappe.db.rollback()  # a fresh snapshot
		frappe.db.set_value(FEEDBACK, name, "escalated_on", today())
		frappe.db.commit()
		return name

	def stored(self, name: str, *fields: str):
		frappe.db.rollback()  # a fresh snapshot of what the server committed
		return frappe.db.get_value(FEEDBACK, name, list(fields))

	def test_the_officer_cannot_rate_for_him(self):
		"""R5.1: the officer's rating came first and locked him out of his own."""
		name = self.answered_suggestion()
		response = self.officer.post(self.url(RATE), data={"feedback": name, "rating": 5})
		self.assertEqual(response.status_code, 403, response.text[:300])
		self.assertEqual(response.json()["exc_type"], "NotTheRaterError")
		self.assertEqual(
			server_message(response),
			_("Only the beneficiary can rate how his feedback was handled, from his portal account"),
		)
		self.assertEqual(self.stored(name, "resolution_satisfaction", "status"), (0, "Resolved"))
		response = self.portal.post(self.url(RATE), data={"feedback": name, "rating": 4})
		self.assertEqual(response.status_code, 200, response.text[:300])
		self.assertEqual(self.stored(name, "resolution_satisfaction", "status"), (4, "Closed"))

	def test_the_response_he_rated_is_not_rewritten(self):
		"""R5.1: a rewritten response would carry his rating for words he never read."""
		name = self.answered_suggestion()
		response = self.portal.post(self.url(RATE), data={"feedback": name, "rating": 2})
		self.assertEqual(response.status_code, 200, response.text[:300])
		url = self.url("api/resource", FEEDBACK, name)
		for change in ({"response": "تمت معالجة اقتراحك بالكامل"}, {"status": "Open"}):
			with self.subTest(change):
				response = self.officer.put(url, json=change)
				self.assertEqual(response.status_code, 417, response.text[:300])
				self.assertEqual(response.json()["exc_type"], "RatedResolutionError")
		self.assertEqual(
			self.stored(name, "response", "status", "resolution_satisfaction"), (RESPONSE, "Closed", 2)
		)
		# the rest of the record is still the officers' to keep up to date
		response = self.officer.put(url, json={"subject": "مواعيد الاستقبال"})
		self.assertEqual(response.status_code, 200, response.text[:300])

	def test_the_web_form_data_gives_him_only_what_he_may_read(self):
		"""R8.2: frappe's get_form_data returned the whole document, the staff's handling with it."""
		name = self.answered_suggestion()
		self.assertTrue(all(self.stored(name, *STAFF_FIELDS)))  # there to be hidden
		response = self.portal.get(
			self.url(FORM_DATA), params={"doctype": FEEDBACK, "docname": name, "web_form_name": "feedback"}
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		doc = response.json()["message"]["doc"]
		self.assertEqual((doc["name"], doc["response"]), (name, RESPONSE))
		for field in STAFF_FIELDS:
			self.assertNotIn(field, doc)
		# the officer still reads them (the document as the controller serialises it)
		response = self.officer.get(self.url("api/resource", FEEDBACK, name))
		self.assertEqual(response.status_code, 200, response.text[:300])
		self.assertEqual(response.json()["data"]["assigned_to"], OFFICER)

	def test_a_portal_account_files_a_limited_number_an_hour(self):
		"""R5.2: 25 suggestions in under a second from one account reached the officers' queue."""
		# removed at the end: the other tests' suggestions are counted too
		self.addCleanup(self.remove_committed, len(self.created))
		frappe.db.rollback()
		since = add_to_date(now_datetime(), hours=-1)
		already = frappe.db.count(FEEDBACK, {"owner": PORTAL, "creation": (">", since)})
		for _n in range(max(feedback_per_hour() - already, 0)):
			response = self.file(self.portal)
			self.assertEqual(response.status_code, 200, response.text[:300])
		response = self.file(self.portal)
		self.assertEqual(response.status_code, 429, response.text[:300])
		self.assertEqual(response.json()["exc_type"], "TooMuchFeedbackError")
		accepted = self.portal.post(
			self.url(ACCEPT),
			data={
				"web_form": "feedback",
				"data": json.dumps({"feedback_type": "Suggestion", "description": "اقتراح من النموذج"}),
			},
		)
		if accepted.status_code == 200:
			self.created.append(accepted.json()["message"]["name"])
		self.assertEqual(accepted.status_code, 429, accepted.text[:300])
		self.assertEqual(accepted.json()["exc_type"], "TooMuchFeedbackError")
		# staff recording feedback from every channel are not limited
		for _n in range(feedback_per_hour() + 1):
			response = self.file(self.officer)
			self.assertEqual(response.status_code, 200, response.text[:300])

"""frappe's own endpoints the app's users reach answer bad input with a clear, translated 417, never a
500 (R8.3): the input guard (utils/input_guard.py, METHOD_PAYLOADS) checks their arguments first."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.tests.factories import TEST_PASSWORD
from charity_beneficiary.tests.live_server import live_server
from charity_beneficiary.tests.users import role_user

WORKFLOW = "api/method/frappe.model.workflow.apply_workflow"
WEB_LIST = "api/method/frappe.www.list.get"


class TestFrappeEndpointsOverHTTP(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.officer = role_user("Beneficiary Relations Officer")
		frappe.db.commit()  # the HTTP server is another process
		cls.server = live_server()

	def assertRefused(self, response):
		self.assertEqual(response.status_code, 417, response.text[:300])
		self.assertEqual(response.json().get("exc_type"), "InvalidInputError")

	def test_a_workflow_action_on_text_that_names_no_document(self):
		session = self.server.session(self.officer, TEST_PASSWORD)
		for doc in ("not json", "[1, 2]", json.dumps({"doctype": "Assistance Request"}), '{"name": 5}'):
			with self.subTest(doc=doc):
				self.assertRefused(
					session.post(f"{self.server.url}/{WORKFLOW}", data={"doc": doc, "action": "Submit"})
				)

	def test_frappes_web_list_pages_with_the_number_sent_as_text(self):
		"""frappe's web list (open to guests) added 1 to `limit` as sent, text over HTTP: a 500."""
		guest = self.server.session()
		for limit in ("20", "٢٠"):
			with self.subTest(limit=limit):
				response = guest.get(
					f"{self.server.url}/{WEB_LIST}", params={"doctype": "Blog Post", "limit": limit}
				)
				self.assertEqual(response.status_code, 200, response.text[:300])
		for limit in ("abc", "-1", "1e9", "99999"):
			with self.subTest(limit=limit):
				self.assertRefused(
					guest.get(
						f"{self.server.url}/{WEB_LIST}", params={"doctype": "Blog Post", "limit": limit}
					)
				)

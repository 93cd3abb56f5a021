"""R2.1, R2.3, R5.3 over REST, as the roles themselves: what a request says of its beneficiary and
of who received it is the system's, and a researcher a question is referred to answers it without
changing the request.

The class commits (the HTTP server is another process) and removes what it made at the end."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.assistance.doctype.assistance_request.assistance_request import (
	refer_to_researcher,
)
from charity_beneficiary.tests.committed import purge_beneficiary
from charity_beneficiary.tests.factories import (
	TEST_PASSWORD,
	make_active_beneficiary,
	make_aid_service,
	make_request,
)
from charity_beneficiary.tests.live_server import live_server
from charity_beneficiary.tests.users import role_user

SERVICE = "مساعدة نقدية (اختبار سلامة الاستقبال)"
FORGED = {
	"beneficiary_name": "اسم مزور",
	"contact_email": "attacker@evil.example",
	"contact_mobile": "+966555555555",
}
REQUEST = "Assistance Request"


class TestIntakeIntegrityOverREST(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.officer = role_user("Beneficiary Relations Officer")
		cls.manager = role_user("Charity Manager")
		cls.researcher = role_user("Social Researcher")
		cls.referred = role_user("Social Researcher", 2)
		make_aid_service(SERVICE)
		cls.addClassCleanup(cls.remove_committed)
		cls.beneficiary = make_active_beneficiary(
			beneficiary_name="مستفيد سلامة الاستقبال", email_id="own.intake@example.com"
		)
		frappe.db.commit()
		cls.server = live_server()

	@classmethod
	def remove_committed(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		purge_beneficiary(getattr(cls, "beneficiary", frappe._dict()).get("name"))
		frappe.db.commit()

	def session(self, user):
		return self.server.session(user, TEST_PASSWORD)

	def url(self, *parts: str) -> str:
		return "/".join((self.server.url, "api/resource", *parts))

	def test_the_beneficiary_values_and_the_receiver_are_the_systems(self):
		officer = self.session(self.officer)
		response = officer.post(
			self.url(REQUEST),
			json={
				"beneficiary": self.beneficiary.name,
				"aid_service": SERVICE,
				"description": "طلب",
				"requested_amount": 500,
				"received_by": self.manager,
				**FORGED,
			},
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		name = response.json()["data"]["name"]
		response = officer.put(self.url(REQUEST, name), json={"received_by": self.manager, **FORGED})
		self.assertEqual(response.status_code, 200, response.text[:300])
		# the save that submits, as the desk sends it: the whole document with the forged values
		frappe.db.rollback()
		doc = frappe.get_doc(REQUEST, name).as_dict(convert_dates_to_str=True)
		doc.update({"received_by": self.manager, **FORGED})
		response = officer.post(
			f"{self.server.url}/api/method/frappe.desk.form.save.savedocs",
			data={"doc": json.dumps(doc, default=str), "action": "Submit"},
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		frappe.db.rollback()
		stored = frappe.db.get_value(REQUEST, name, ["docstatus", "received_by", *FORGED], as_dict=True)
		self.assertEqual(
			stored,
			{
				"docstatus": 1,
				"received_by": self.officer,
				"beneficiary_name": "مستفيد سلامة الاستقبال",
				"contact_email": "own.intake@example.com",
				"contact_mobile": self.beneficiary.mobile_no,
			},
		)

	def test_a_request_for_no_beneficiary_at_all_is_refused(self):
		"""frappe's own link check passes a link that fetches values from a record that is not there:
		the request was saved, and its submission failed with a 500 (R8.3)."""
		response = self.session(self.officer).post(
			self.url(REQUEST),
			json={"beneficiary": "BEN-NO-SUCH-ONE", "aid_service": SERVICE, "description": "طلب"},
		)
		self.assertEqual(response.status_code, 417, response.text[:300])
		self.assertEqual(response.json()["exc_type"], "LinkValidationError")
		self.assertIn("BEN-NO-SUCH-ONE", response.text)
		frappe.db.rollback()
		self.assertFalse(frappe.db.exists(REQUEST, {"beneficiary": "BEN-NO-SUCH-ONE"}))

	def test_a_referred_researcher_answers_but_does_not_change_the_request(self):
		frappe.set_user(self.officer)
		request = make_request(self.beneficiary.name, SERVICE, submit=True)
		refer_to_researcher(request.name, "هل الدخل كاف؟", self.referred)
		frappe.set_user("Administrator")
		frappe.db.commit()
		referred = self.session(self.referred)
		self.assertEqual(referred.get(self.url(REQUEST, request.name)).status_code, 200)
		for values in ({"researcher": self.referred}, {"researcher": self.researcher}):
			with self.subTest(values):
				response = referred.put(self.url(REQUEST, request.name), json=values)
				self.assertEqual(response.status_code, 403, response.text[:300])
		response = referred.post(
			f"{self.server.url}/api/method/charity_beneficiary.assistance.doctype.assistance_request"
			".assistance_request.answer_referral",
			data={"request": request.name, "answer": "الدخل غير كاف"},
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		frappe.db.rollback()
		stored = frappe.db.get_value(REQUEST, request.name, ["researcher", "referral_answer"], as_dict=True)
		self.assertEqual((stored.researcher, stored.referral_answer), (None, "الدخل غير كاف"))

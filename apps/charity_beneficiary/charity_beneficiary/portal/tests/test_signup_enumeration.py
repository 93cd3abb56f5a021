"""R8.2 over HTTP: the sign-up page tells a guest nothing about who is registered with the association.

A registered ID number given with another e-mail, or an ID number that already has an account, gets
exactly the answer of an ID number nobody registered (the e-mail aside, which the guest typed), and
opens no account; the legitimate match still links the beneficiary's record, not a duplicate."""

import frappe
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.portal.tests.test_signup import METHOD, clear_rate_limit
from charity_beneficiary.tests.factories import make_beneficiary, make_id


class TestSignUpTellsNothing(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		from charity_beneficiary.tests.live_server import live_server

		super().setUpClass()
		cls.emails, cls.beneficiaries = [], []
		cls.addClassCleanup(cls.remove_committed)
		clear_rate_limit()
		cls.server = live_server()

	@classmethod
	def remove_committed(cls):
		frappe.db.rollback()
		for email in cls.emails:
			if frappe.db.exists("User", email):
				frappe.delete_doc("User", email, force=True, ignore_permissions=True)
		for name in cls.beneficiaries:
			frappe.delete_doc("Beneficiary", name, force=True, ignore_permissions=True)
		frappe.db.commit()
		clear_rate_limit()

	def setUp(self):
		clear_rate_limit()  # this class posts more sign-ups than a client may make in an hour

	def details(self, **overrides) -> dict:
		id_number = overrides.pop("id_number", None) or make_id("1")
		email = overrides.pop("email", None) or f"enum-{make_id('1')}@portal.test.localhost"
		self.emails.append(email)
		return {
			"full_name": "سعد محمد الغامدي",
			"id_type": "National ID",
			"id_number": id_number,
			"mobile_no": "0501234567",
			"email": email,
			**overrides,
		}

	def answer(self, data: dict) -> tuple[int, str]:
		"""The status and body the guest sees, with the e-mail he typed taken out."""
		guest = self.server.session()
		guest.headers["Accept-Language"] = "ar"
		response = guest.post(self.server.url + METHOD, data=data)
		return response.status_code, response.text.replace(data["email"], "<email>")

	def registered(self, **fields) -> str:
		name = make_beneficiary(**fields).name
		frappe.db.commit()
		self.beneficiaries.append(name)
		return name

	def test_a_registered_id_number_with_another_email_gets_the_answer_of_an_unknown_one(self):
		unknown = self.answer(self.details())
		data = self.details()
		record = self.registered(id_number=data["id_number"], email_id="holder@example.com")

		self.assertEqual(self.answer(data), unknown)
		self.assertEqual(unknown[0], 200)
		frappe.db.rollback()
		self.assertFalse(frappe.db.exists("User", data["email"]))
		self.assertIsNone(frappe.db.get_value("Beneficiary", record, "user"))

	def test_an_id_number_with_an_account_gets_the_answer_of_an_unknown_one(self):
		first = self.details()
		unknown = self.answer(first)
		again = self.details(id_number=first["id_number"])

		self.assertEqual(self.answer(again), unknown)
		frappe.db.rollback()
		self.assertFalse(frappe.db.exists("User", again["email"]))

	def test_the_legitimate_match_still_links_the_record(self):
		data = self.details()
		record = self.registered(id_number=data["id_number"], email_id=data["email"])
		status, _body = self.answer(data)
		self.assertEqual(status, 200)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Beneficiary", record, "user"), data["email"])
		self.assertEqual(frappe.db.count("Beneficiary", {"id_number": data["id_number"]}), 1)

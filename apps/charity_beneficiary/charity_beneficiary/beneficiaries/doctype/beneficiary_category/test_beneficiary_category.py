# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.tests.factories import TEST_PASSWORD
from charity_beneficiary.tests.live_server import live_server
from charity_beneficiary.tests.users import role_user

CATEGORY = "أيتام (اختبار)"


class TestBeneficiaryCategory(FrappeTestCase):
	"""Proof of the chain: a document of an app DocType, inserted on the test site, read back
	over real HTTP through /api/resource by a logged-in user whose role grants read."""

	def setUp(self):
		self.officer = role_user("Beneficiary Relations Officer")
		if not frappe.db.exists("Beneficiary Category", CATEGORY):
			frappe.get_doc(
				{
					"doctype": "Beneficiary Category",
					"category_name": CATEGORY,
					"category_name_en": "Orphans (test)",
					"zakat_class": "The Poor",
				}
			).insert()
		frappe.db.commit()  # the HTTP server is another process

	def tearDown(self):
		frappe.delete_doc("Beneficiary Category", CATEGORY, force=True)
		frappe.db.commit()

	def test_officer_reads_category_over_http(self):
		session = live_server().session(self.officer, TEST_PASSWORD)
		response = session.get(f"{live_server().url}/api/resource/Beneficiary Category/{CATEGORY}")
		self.assertEqual(response.status_code, 200, response.text)
		data = response.json()["data"]
		self.assertEqual(data["category_name_en"], "Orphans (test)")
		self.assertEqual(data["zakat_class"], "The Poor")

	def test_guest_cannot_read_category(self):
		response = (
			live_server().session().get(f"{live_server().url}/api/resource/Beneficiary Category/{CATEGORY}")
		)
		self.assertIn(response.status_code, (401, 403), response.text)

	def test_officer_cannot_create_category(self):
		session = live_server().session(self.officer, TEST_PASSWORD)
		response = session.post(
			f"{live_server().url}/api/resource/Beneficiary Category",
			json={"category_name": "فئة غير مسموحة"},
		)
		self.assertEqual(response.status_code, 403, response.text)
		self.assertFalse(frappe.db.exists("Beneficiary Category", "فئة غير مسموحة"))

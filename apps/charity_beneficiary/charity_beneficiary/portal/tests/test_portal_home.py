"""R6.1 over HTTP: the beneficiary's portal home shows his own records only, and takes a renewed
document even once his registration is being processed (the row stays unverified)."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from charity_beneficiary.portal.home import DocumentUploadError
from charity_beneficiary.tests.factories import (
	TEST_PASSWORD,
	make_active_beneficiary,
	make_document_type,
)
from charity_beneficiary.tests.users import portal_email, portal_user

PORTAL_USER = portal_email(1)
DOCUMENT_TYPE = "هوية وطنية (اختبار البوابة)"
PNG = bytes.fromhex(
	"89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002"
	"0000050001e226059b0000000049454e44ae426082"
)


class TestPortalHome(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		from charity_beneficiary.tests.live_server import live_server

		super().setUpClass()
		cls.server = live_server()
		portal_user(1)
		make_document_type(DOCUMENT_TYPE)
		cls.own = make_active_beneficiary(
			user=PORTAL_USER,
			beneficiary_name="سعد البوابة",
			documents=[{"document_type": DOCUMENT_TYPE, "expiry_date": add_days(today(), 10)}],
		).name
		cls.other = make_active_beneficiary(beneficiary_name="شخص آخر لا يظهر").name
		frappe.db.commit()
		cls.addClassCleanup(cls.remove_committed)
		cls.session = cls.server.session(PORTAL_USER, TEST_PASSWORD)

	@classmethod
	def remove_committed(cls):
		frappe.db.rollback()
		for name in (cls.own, cls.other):
			frappe.delete_doc("Beneficiary", name, force=True, ignore_permissions=True)
		frappe.db.commit()

	def test_home_shows_his_own_record_and_the_expiring_document(self):
		page = self.session.get(self.server.url + "/portal")
		self.assertEqual(page.status_code, 200)
		self.assertIn("سعد البوابة", page.text)
		self.assertNotIn("شخص آخر لا يظهر", page.text)
		self.assertIn("document-row", page.text)

	def test_a_renewed_document_is_added_unverified(self):
		response = self.session.post(
			self.server.url + "/api/method/upload_file",
			data={
				"method": "charity_beneficiary.portal.home.upload_document",
				"document_type": DOCUMENT_TYPE,
				"expiry_date": add_days(today(), 700),
				"is_private": 1,
			},
			files={"file": ("renewed-id.png", PNG, "image/png")},
		)
		self.assertEqual(response.status_code, 200, response.text)
		rows = frappe.get_all(
			"Beneficiary Document",
			filters={"parent": self.own},
			fields=["document_type", "attachment", "verified"],
			order_by="idx asc",
		)
		self.assertEqual(len(rows), 2)
		self.assertEqual(rows[-1].verified, 0)
		self.assertTrue(rows[-1].attachment.startswith("/private/files/"))

	def test_an_unknown_document_type_is_refused_clearly(self):
		response = self.session.post(
			self.server.url + "/api/method/upload_file",
			data={"method": "charity_beneficiary.portal.home.upload_document", "document_type": "nope"},
			files={"file": ("x.png", PNG, "image/png")},
		)
		self.assertEqual(response.json().get("exc_type"), DocumentUploadError.__name__)

	def test_only_a_pdf_or_an_image_is_taken(self):
		# frappe itself takes a text file from a portal user: it is no scan of a document
		before = frappe.db.count("Beneficiary Document", {"parent": self.own})
		response = self.session.post(
			self.server.url + "/api/method/upload_file",
			data={
				"method": "charity_beneficiary.portal.home.upload_document",
				"document_type": DOCUMENT_TYPE,
			},
			files={"file": ("id.txt", b"not a scan", "text/plain")},
		)
		self.assertEqual(response.json().get("exc_type"), DocumentUploadError.__name__)
		self.assertEqual(frappe.db.count("Beneficiary Document", {"parent": self.own}), before)

# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""R7.1: the officer's tools are records every staff role reads; a service's technical guidelines name
their service; a document has content or an attachment; drafts are hidden from the staff."""

import frappe
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.assistance.doctype.charity_reference_document.charity_reference_document import (
	has_permission,
	permission_query_conditions,
)
from charity_beneficiary.tests.factories import make_aid_service
from charity_beneficiary.tests.users import role_email, role_user

OFFICER = role_email("Beneficiary Relations Officer")
MANAGER = role_email("Charity Manager")
SERVICE = "ترميم منزل (اختبار الأدلة)"
STAFF_ROLES = (
	"Beneficiary Relations Officer",
	"Social Researcher",
	"Research Committee Member",
	"Charity Accountant",
	"Charity Storekeeper",
	"Branch Representative",
)


def make_reference(title: str, **fields):
	"""A fresh reference document (a leftover of an earlier run with the same title is removed)."""
	frappe.delete_doc_if_exists("Charity Reference Document", title, force=True)
	return frappe.get_doc(
		{
			"doctype": "Charity Reference Document",
			"title": title,
			"document_category": "Bylaws",
			"content": "<p>المادة الأولى: اسم الجمعية ومقرها.</p>",
			**fields,
		}
	).insert()


def staff_user(index: int) -> str:
	return role_user(STAFF_ROLES[index])


class TestCharityReferenceDocument(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		# make_user commits: users first, so that no test document is committed with them
		role_user("Charity Manager")
		for i in range(len(STAFF_ROLES)):
			staff_user(i)

	def setUp(self):
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_named_by_title(self):
		doc = make_reference("اللائحة الأساسية (اختبار)")
		self.assertEqual(doc.name, "اللائحة الأساسية (اختبار)")

	def test_service_guidelines_need_their_service(self):
		with self.assertRaises(frappe.MandatoryError):
			make_reference("توجيهات بلا خدمة (اختبار)", document_category="Service Guidelines")
		service = make_aid_service(SERVICE, delivery_type="Provider Service").name
		doc = make_reference(
			"توجيهات ترميم المنزل (اختبار)", document_category="Service Guidelines", aid_service=service
		)
		self.assertEqual(doc.aid_service, service)

	def test_content_or_attachment_required(self):
		with self.assertRaises(frappe.MandatoryError):
			make_reference("وثيقة فارغة (اختبار)", content="<p><br></p>")
		doc = make_reference("وثيقة مرفقة (اختبار)", content=None, attachment="/files/bylaws.pdf")
		self.assertEqual(doc.attachment, "/files/bylaws.pdf")

	def test_every_staff_role_reads_only(self):
		doc = make_reference("دليل الموظف (اختبار الصلاحيات)", document_category="Officer's Guide")
		for i, role in enumerate(STAFF_ROLES):
			user = staff_user(i)
			self.assertTrue(frappe.has_permission(doc.doctype, "read", doc=doc, user=user), role)
			self.assertFalse(frappe.has_permission(doc.doctype, "write", doc=doc, user=user), role)
			self.assertFalse(frappe.has_permission(doc.doctype, "create", user=user), role)
		self.assertTrue(frappe.has_permission(doc.doctype, "write", doc=doc, user=MANAGER))

	def test_drafts_hidden_from_staff(self):
		draft = make_reference("مسودة السياسة (اختبار)", document_category="Policy", is_published=0)
		published = make_reference("السياسة المعتمدة (اختبار)", document_category="Policy")
		self.assertFalse(has_permission(draft, "read", OFFICER))
		self.assertIsNone(has_permission(published, "read", OFFICER))
		self.assertIsNone(has_permission(draft, "read", MANAGER))
		self.assertIn("is_published", permission_query_conditions(OFFICER))
		self.assertIsNone(permission_query_conditions(MANAGER))

"""The portal registration web form (R6.1), the Arabic beneficiary file print format (R8.1) and the
desk workspace with its number cards, as synced from the app's standard files."""

from datetime import date

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today

from charity_beneficiary.beneficiaries.dashboard import documents_expiring_soon
from charity_beneficiary.tests.factories import TEST_PASSWORD, make_beneficiary, make_document_type
from charity_beneficiary.tests.users import portal_email, portal_user
from charity_beneficiary.utils.jinja import hijri
from charity_beneficiary.verification import hijri_display, to_hijri

WEB_FORM = "beneficiary-registration"
PRINT_FORMAT = "ملف المستفيد"
WORKSPACE = "المستفيدون"
DOCUMENT_TYPE = "وثيقة اختبار الأصول"

# What only the association's staff set or the system computes: never in the applicant's form.
OFFICER_FIELDS = {
	"status",
	"need_score",
	"next_review_date",
	"declaration_on",
	"declaration_taken_by",
	"duplicate_override",
	"duplicate_override_reason",
	"user",
	"household_size",
	"total_monthly_income",
	"per_capita_income",
	"bank_name",
	"naming_series",
}
DOCUMENT_OFFICER_FIELDS = {"verified", "verified_by", "verified_on"}


def form_context(user: str) -> frappe._dict:
	"""The context /beneficiary-registration/new is rendered with, for `user`."""
	web_form = frappe.get_doc("Web Form", WEB_FORM)
	frappe.set_user(user)
	frappe.local.form_dict = frappe._dict(is_new=True)
	frappe.local.path = f"{WEB_FORM}/new"
	context = frappe._dict(web_form.as_dict())
	web_form.get_context(context)
	return context


class TestRegistrationWebForm(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.form_dict = frappe._dict()

	def test_web_form_is_published_for_logged_in_users(self):
		web_form = frappe.get_doc("Web Form", WEB_FORM)
		self.assertEqual(web_form.doc_type, "Beneficiary")
		self.assertEqual(web_form.route, WEB_FORM)
		self.assertTrue(web_form.published and web_form.login_required and web_form.allow_edit)
		self.assertFalse(web_form.allow_multiple or web_form.allow_delete or web_form.anonymous)
		self.assertEqual(web_form.module, "Beneficiaries")

	def test_web_form_exposes_no_officer_field(self):
		fields = {f.fieldname for f in frappe.get_doc("Web Form", WEB_FORM).web_form_fields if f.fieldname}
		self.assertFalse(fields & OFFICER_FIELDS, fields & OFFICER_FIELDS)
		self.assertFalse(fields & DOCUMENT_OFFICER_FIELDS)
		for expected in (
			"beneficiary_name",
			"id_number",
			"family_members",
			"documents",
			"declaration_accepted",
		):
			self.assertIn(expected, fields)

	def test_child_tables_offered_to_the_applicant_have_no_officer_column(self):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": "portal.assets.form@test.localhost",
				"first_name": "Portal Assets",
				"send_welcome_email": 0,
				"user_type": "Website User",
				"roles": [{"role": "Beneficiary"}],
			}
		).insert(ignore_permissions=True)
		context = form_context(user.name)

		tables = {f.fieldname: f for f in context.web_form_doc.web_form_fields if f.fieldtype == "Table"}
		self.assertEqual(set(tables), {"categories", "family_members", "income_sources", "documents"})
		for fieldname, field in tables.items():
			columns = {column["fieldname"] for column in field.fields}
			with self.subTest(table=fieldname):
				self.assertTrue(columns)
				self.assertFalse(columns & (OFFICER_FIELDS | DOCUMENT_OFFICER_FIELDS | {"name"}))
		self.assertIn("expiry_date", {column["fieldname"] for column in tables["documents"].fields})
		self.assertFalse(context.in_view_mode)
		# the shared guard against redrawing a field he is typing in (templates/includes)
		self.assertIn("web_form.keeps_typing = true", context.script)


class TestBeneficiaryFilePrintFormat(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_document_type(DOCUMENT_TYPE)
		cls.expiry = getdate(add_days(today(), 20))
		cls.doc = make_beneficiary(
			beneficiary_name="عبدالرحمن صالح اختبار الطباعة",
			date_of_birth="1984-06-20",
			mobile_no="0501234567",
			family_members=[{"member_name": "نورة", "relation": "Daughter", "date_of_birth": "2012-09-01"}],
			income_sources=[{"income_type": "Salary", "monthly_amount": 4000}],
			documents=[{"document_type": DOCUMENT_TYPE, "expiry_date": cls.expiry}],
			declaration_accepted=1,
		)

	def test_print_format_is_a_standard_jinja_format_of_beneficiary(self):
		print_format = frappe.get_doc("Print Format", PRINT_FORMAT)
		self.assertEqual(print_format.doc_type, "Beneficiary")
		self.assertEqual(print_format.module, "Beneficiaries")
		self.assertEqual(print_format.standard, "Yes")
		self.assertEqual(print_format.print_format_type, "Jinja")
		self.assertTrue(print_format.custom_format and print_format.html)

	def test_renders_right_to_left_with_hijri_dates(self):
		html = frappe.get_print("Beneficiary", self.doc.name, PRINT_FORMAT)
		lang = frappe.local.lang

		self.assertIn('dir="rtl"', html)
		self.assertIn(self.doc.beneficiary_name, html)
		self.assertIn(self.doc.name, html)
		self.assertIn(hijri_display(date(1984, 6, 20), lang), html)  # the beneficiary's birth date
		self.assertIn(hijri_display(date(2012, 9, 1), lang), html)  # a family member's
		self.assertTrue(
			hijri_display(self.expiry, lang) in html or to_hijri(self.expiry) in html,
			"the document's expiry date has no Hijri equivalent",
		)
		self.assertNotIn("{{", html)  # nothing left unrendered (frappe's Jinja prints undefined names)

	def test_jinja_hijri_method(self):
		self.assertEqual(hijri(date(2025, 3, 15)), hijri_display(date(2025, 3, 15), frappe.local.lang))
		self.assertEqual(hijri("2025-03-15 10:30:00"), hijri_display(date(2025, 3, 15), frappe.local.lang))
		self.assertEqual(hijri(None), "")
		self.assertEqual(hijri(date(1900, 1, 1)), "")  # outside the Umm al-Qura tables


class TestWorkspaceAndNumberCards(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_workspace_shows_the_cards_and_lists(self):
		workspace = frappe.get_doc("Workspace", WORKSPACE)
		self.assertTrue(workspace.public)
		self.assertEqual(workspace.module, "Beneficiaries")
		cards = [row.number_card_name for row in workspace.number_cards]
		self.assertEqual(
			cards, ["Applicants Waiting", "Active Beneficiaries", "Documents Expiring in 30 Days"]
		)
		for card in cards:
			self.assertTrue(frappe.db.exists("Number Card", card), card)
		shortcuts = {row.link_to: row for row in workspace.shortcuts}
		self.assertIn("Beneficiary", shortcuts)
		self.assertEqual(
			frappe.parse_json(shortcuts["Beneficiary Duplicate Review"].stats_filter), {"status": "Open"}
		)

	def test_status_cards_count_beneficiaries_by_status(self):
		for card, status in (("Applicants Waiting", "Applicant"), ("Active Beneficiaries", "Active")):
			doc = frappe.get_doc("Number Card", card)
			self.assertEqual(
				(doc.type, doc.document_type, doc.function), ("Document Type", "Beneficiary", "Count")
			)
			self.assertEqual(frappe.parse_json(doc.filters_json), [["Beneficiary", "status", "=", status]])

	def test_documents_expiring_in_30_days(self):
		card = frappe.get_doc("Number Card", "Documents Expiring in 30 Days")
		self.assertEqual(card.type, "Custom")
		self.assertEqual(frappe.get_attr(card.method), documents_expiring_soon)

		before = documents_expiring_soon()["value"]
		make_document_type(DOCUMENT_TYPE)
		make_beneficiary(
			documents=[
				{"document_type": DOCUMENT_TYPE, "expiry_date": add_days(today(), days)}
				for days in (-1, 0, 15, 30, 31)
			]
			+ [{"document_type": DOCUMENT_TYPE}]  # no expiry date
		)
		result = documents_expiring_soon()

		self.assertEqual(result["value"], before + 3)  # today, in 15 days and in 30 days
		self.assertEqual(result["fieldtype"], "Int")
		self.assertEqual(result["route"][1], "Beneficiary")
		self.assertEqual(
			result["route_options"],
			{"Beneficiary Document.expiry_date": ["Between", [today(), add_days(today(), 30)]]},
		)

	def test_documents_expiring_needs_read_permission_on_beneficiary(self):
		frappe.set_user("Guest")
		with self.assertRaises(frappe.PermissionError):
			documents_expiring_soon()


class TestRegistrationPageOverHTTP(FrappeTestCase):
	"""The page itself, through frappe's full stack, for a logged-in website user."""

	USER = portal_email(3)  # an account without a beneficiary record

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		from charity_beneficiary.tests.live_server import live_server

		portal_user(3)  # the shared account (committed: the server is another process)
		cls.server = live_server()

	def test_new_registration_page_renders(self):
		session = self.server.session(self.USER, TEST_PASSWORD)
		response = session.get(f"{self.server.url}/{WEB_FORM}/new", allow_redirects=False)

		self.assertEqual(response.status_code, 200, response.text[:500])
		page = response.text
		self.assertIn("frappe.web_form_doc", page)
		self.assertIn('"doc_type": "Beneficiary"', page)
		self.assertIn('"fieldname": "declaration_signature"', page)
		for fieldname in ("status", "need_score", "declaration_taken_by", "verified"):
			self.assertNotIn(f'"fieldname": "{fieldname}"', page)
		self.assertIn("direction: rtl", page)  # the form's stylesheet for Arabic

	def test_guest_is_sent_to_sign_up(self):
		response = self.server.session().get(f"{self.server.url}/{WEB_FORM}/new", allow_redirects=False)
		# a guest is sent to the sign-up page (which links to the login), and comes back to the form
		self.assertEqual(response.status_code, 302)
		self.assertIn(f"/sign-up?redirect-to=%2F{WEB_FORM}%2Fnew", response.headers["Location"])
		self.assertNotIn("frappe.web_form_doc", response.text)

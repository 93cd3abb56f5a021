"""R6.2 a renewed document from the portal of an Active beneficiary, R8.3 dates the Hijri calendar's
tables do not reach, R1.2 who took a declaration the beneficiary signed himself on the portal."""

import frappe
from frappe import _
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from charity_beneficiary.beneficiaries.doctype.beneficiary.beneficiary import ActivationError
from charity_beneficiary.beneficiaries.verify import InvalidBeneficiaryData
from charity_beneficiary.tests.factories import (
	OTHER_SIGNATURE,
	SIGNATURE,
	TEST_PASSWORD,
	make_active_beneficiary,
	make_beneficiary,
	make_document_type,
)
from charity_beneficiary.tests.users import portal_email, portal_user, role_user

PORTAL_USER = portal_email(2)
OFFICER_ROLE = "Beneficiary Relations Officer"
CATEGORY = "فئة اختبار التجديد"
DEED = "صك اختبار التجديد"
PNG = bytes.fromhex(
	"89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002"
	"0000050001e226059b0000000049454e44ae426082"
)


def make_category(name: str, document_type: str) -> str:
	"""A category of the tests' own that requires `document_type` (R1.3), so the shared ones stay as
	the other tests expect them."""
	if not frappe.db.exists("Beneficiary Category", name):
		frappe.get_doc(
			{
				"doctype": "Beneficiary Category",
				"category_name": name,
				"is_active": 1,
				"mandatory_document_types": [{"document_type": document_type}],
			}
		).insert(ignore_permissions=True)
	return name


class TestRenewalFromThePortal(FrappeTestCase):
	"""Over HTTP: the server is another process, so the record is committed and removed at the end."""

	@classmethod
	def setUpClass(cls):
		from charity_beneficiary.tests.live_server import live_server

		super().setUpClass()
		cls.server = live_server()
		portal_user(2)
		make_category(CATEGORY, make_document_type(DEED))
		cls.own = make_active_beneficiary(
			user=PORTAL_USER,
			beneficiary_name="خالد التجديد",
			categories=[{"category": CATEGORY}],
			documents=[
				{
					"document_type": DEED,
					"attachment": "/files/deed.png",
					"expiry_date": add_days(today(), 20),
					"verified": 1,
				}
			],
		).name
		frappe.db.commit()
		cls.addClassCleanup(cls.remove_committed)
		cls.session = cls.server.session(PORTAL_USER, TEST_PASSWORD)

	@classmethod
	def remove_committed(cls):
		frappe.db.rollback()
		frappe.delete_doc("Beneficiary", cls.own, force=True, ignore_permissions=True)
		frappe.delete_doc("Beneficiary Category", CATEGORY, force=True, ignore_permissions=True)
		frappe.db.commit()

	def setUp(self):
		self.set_id_expiry(add_days(today(), 400))

	def set_id_expiry(self, expiry: str) -> None:
		# time passing, not an edit: the stored record as it is on the day its identity expires
		frappe.db.set_value("Beneficiary", self.own, "id_expiry_date", expiry, update_modified=False)
		frappe.db.commit()

	def upload(self, document_type: str = DEED):
		return self.session.post(
			self.server.url + "/api/method/upload_file",
			data={
				"method": "charity_beneficiary.portal.home.upload_document",
				"document_type": document_type,
				"expiry_date": add_days(today(), 700),
				"is_private": 1,
			},
			files={"file": ("renewed.png", PNG, "image/png")},
		)

	def deed_rows(self) -> list[frappe._dict]:
		frappe.db.rollback()  # a new snapshot: what the server committed since
		return frappe.get_all(
			"Beneficiary Document",
			filters={"parent": self.own, "document_type": DEED},
			fields=["verified", "attachment"],
			order_by="idx asc",
		)

	def test_a_document_his_category_requires_is_renewed(self):
		before = len(self.deed_rows())
		response = self.upload()
		self.assertEqual(response.status_code, 200, response.text)
		rows = self.deed_rows()
		self.assertEqual(len(rows), before + 1)
		self.assertEqual(rows[-1].verified, 0)  # the officer verifies the renewed copy
		self.assertEqual(frappe.db.get_value("Beneficiary", self.own, "status"), "Active")

	def test_a_document_is_renewed_after_his_identity_expired(self):
		self.set_id_expiry(add_days(today(), -5))
		before = len(self.deed_rows())
		response = self.upload()
		self.assertEqual(response.status_code, 200, response.text)
		self.assertEqual(len(self.deed_rows()), before + 1)

	def test_an_officer_dates_outside_the_hijri_tables_over_rest(self):
		officer = role_user(OFFICER_ROLE)
		frappe.db.commit()
		session = self.server.session(officer, TEST_PASSWORD)
		response = session.put(
			f"{self.server.url}/api/resource/Beneficiary/{self.own}",
			json={"date_of_birth": "1910-05-01", "id_expiry_date": "2080-01-01"},
		)
		self.assertEqual(response.status_code, 200, response.text)
		data = response.json()["data"]
		self.assertEqual((data["date_of_birth"], data["id_expiry_date"]), ("1910-05-01", "2080-01-01"))
		self.assertFalse(data.get("date_of_birth_hijri"))  # empty: left out of the answer
		self.assertFalse(data.get("id_expiry_hijri"))


class TestActivationAfterRenewal(FrappeTestCase):
	"""The activation's rules still hold for every save of an officer, and count a renewal waiting
	for verification beside the verified copy it replaces."""

	def setUp(self):
		make_category(CATEGORY, make_document_type(DEED))

	def deed(self, days_left: int, verified: int) -> dict:
		return {
			"document_type": DEED,
			"attachment": "/files/deed.png",
			"expiry_date": add_days(today(), days_left),
			"verified": verified,
		}

	def test_an_unverified_renewal_does_not_hide_the_verified_copy(self):
		doc = make_active_beneficiary(categories=[{"category": CATEGORY}], documents=[self.deed(20, 1)])
		doc.append("documents", self.deed(700, 0))
		doc.save()  # an officer's save of the Active record: checked, and complete
		self.assertEqual(doc.status, "Active")

	def test_an_expired_copy_needs_its_renewal_verified(self):
		doc = make_beneficiary(
			categories=[{"category": CATEGORY}],
			declaration_accepted=1,
			declaration_signature=SIGNATURE,
			documents=[self.deed(-1, 1), self.deed(700, 0)],
		)
		doc.status = "Active"
		with self.assertRaises(ActivationError) as ctx:
			doc.save()
		self.assertIn(_("document {0} is not verified").format(frappe.bold(_(DEED))), str(ctx.exception))

	def test_an_officer_cannot_leave_an_active_record_incomplete(self):
		# why the renewal's save alone skips the checks: the officer's edits of an Active record
		# are still held to them
		doc = make_active_beneficiary(categories=[{"category": CATEGORY}], documents=[self.deed(20, 1)])
		doc.documents[0].verified = 0
		with self.assertRaises(ActivationError):
			doc.save()


class TestDatesOutsideTheHijriTables(FrappeTestCase):
	"""A true Gregorian date the Umm al-Qura tables (1924-08-01…2077-11-16) do not reach is kept,
	with no Hijri text beside it."""

	def setUp(self):
		frappe.set_user(role_user(OFFICER_ROLE))

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_birth_in_1910_is_kept(self):
		doc = make_beneficiary(date_of_birth="1910-05-01")
		self.assertFalse(doc.date_of_birth_hijri)

	def test_identity_expiring_in_2080_is_kept(self):
		doc = make_beneficiary(id_expiry_date="2080-01-01")
		self.assertFalse(doc.id_expiry_hijri)

	def test_family_member_born_in_1915_is_kept(self):
		doc = make_beneficiary(
			family_members=[{"member_name": "جد الأسرة", "relation": "Father", "date_of_birth": "1915-01-01"}]
		)
		self.assertFalse(doc.family_members[0].date_of_birth_hijri)

	def test_document_expiring_in_2099_is_kept(self):
		doc = make_beneficiary(
			documents=[
				{
					"document_type": make_document_type(DEED),
					"attachment": "/files/d.png",
					"expiry_date": "2099-01-01",
				}
			]
		)
		self.assertFalse(doc.documents[0].expiry_date_hijri)

	def test_a_date_within_the_tables_still_has_its_hijri(self):
		doc = make_beneficiary(date_of_birth="1985-04-12", id_expiry_date="2030-01-01")
		self.assertTrue(doc.date_of_birth_hijri)
		self.assertTrue(doc.id_expiry_hijri)


class TestDocumentIssueDate(FrappeTestCase):
	"""A document cannot have been issued after today (R1.1: the data are verified when entered)."""

	def setUp(self):
		frappe.set_user(role_user(OFFICER_ROLE))

	def tearDown(self):
		frappe.set_user("Administrator")

	def document(self, issue_date: str) -> dict:
		return {
			"document_type": make_document_type(DEED),
			"attachment": "/files/d.png",
			"issue_date": issue_date,
		}

	def test_a_future_issue_date_is_refused(self):
		with self.assertRaises(InvalidBeneficiaryData) as refused:
			make_beneficiary(documents=[self.document(add_days(today(), 1))])
		self.assertIn(_("the issue date is in the future"), str(refused.exception))

	def test_today_and_the_past_are_kept(self):
		doc = make_beneficiary(documents=[self.document(today()), self.document(add_days(today(), -400))])
		self.assertEqual(len(doc.documents), 2)

	def test_a_stored_future_date_does_not_block_other_changes(self):
		"""A row stored before the check (an import) is not refused on every later save of the record."""
		doc = make_beneficiary(documents=[self.document(today())])
		frappe.db.set_value(
			"Beneficiary Document", doc.documents[0].name, "issue_date", add_days(today(), 30)
		)
		doc.reload()
		doc.city = "الرياض"
		doc.save()
		doc.documents[0].issue_date = add_days(today(), 31)
		self.assertRaises(InvalidBeneficiaryData, doc.save)


class TestDeclarationSignedOnThePortal(FrappeTestCase):
	"""R1.2: the declaration's time and who took it are true, whoever gives the signature."""

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()  # his one registration: each test makes its own

	def test_his_own_portal_signature_is_recorded_as_his_and_activation_accepts_it(self):
		portal_user(2)
		frappe.set_user(PORTAL_USER)
		# as the registration web form inserts it
		doc = make_beneficiary(insert=False, declaration_accepted=1, declaration_signature=SIGNATURE)
		doc.insert(ignore_permissions=True)
		self.assertEqual(doc.declaration_taken_by, PORTAL_USER)
		self.assertTrue(doc.declaration_on)

		frappe.set_user(role_user(OFFICER_ROLE))
		doc = frappe.get_doc("Beneficiary", doc.name)
		doc.status = "Active"
		doc.save()
		self.assertEqual(doc.status, "Active")
		self.assertEqual(doc.declaration_taken_by, PORTAL_USER)  # the officer activated, he signed

	def test_a_signature_he_replaces_on_the_portal_is_recorded_as_his(self):
		portal_user(2)
		officer = role_user(OFFICER_ROLE)
		frappe.set_user(officer)
		doc = make_beneficiary(user=PORTAL_USER, declaration_accepted=1, declaration_signature=SIGNATURE)
		self.assertEqual(doc.declaration_taken_by, officer)
		taken_on = doc.declaration_on

		frappe.set_user(PORTAL_USER)
		doc = frappe.get_doc("Beneficiary", doc.name)
		doc.declaration_signature = OTHER_SIGNATURE
		doc.save()
		self.assertEqual(doc.declaration_taken_by, PORTAL_USER)
		self.assertGreaterEqual(doc.declaration_on, taken_on)

	def test_an_unchanged_signature_keeps_who_took_it(self):
		officer = role_user(OFFICER_ROLE)
		frappe.set_user(officer)
		doc = make_beneficiary(declaration_accepted=1, declaration_signature=SIGNATURE)
		taken = (doc.declaration_on, doc.declaration_taken_by)
		frappe.set_user("Administrator")
		doc.mobile_no = "0501234567"
		doc.save()
		self.assertEqual((doc.declaration_on, doc.declaration_taken_by), taken)

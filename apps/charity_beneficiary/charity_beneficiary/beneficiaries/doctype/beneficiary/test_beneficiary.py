# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""R1.1–R1.5: data verified at submission, one person one beneficiary, declaration and
completeness before activation, computed household figures."""

import frappe
from frappe import _
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from charity_beneficiary.beneficiaries import duplicates
from charity_beneficiary.beneficiaries.doctype.beneficiary.beneficiary import ActivationError
from charity_beneficiary.beneficiaries.duplicates import DuplicateBeneficiaryError
from charity_beneficiary.beneficiaries.verify import InvalidBeneficiaryData
from charity_beneficiary.tests.factories import (
	SIGNATURE,
	make_active_beneficiary,
	make_beneficiary,
	make_document_type,
	make_id,
)
from charity_beneficiary.tests.users import role_user
from charity_beneficiary.verification import VerificationError, normalize_mobile, validate_iban, validate_id


def rule_error(check, *args) -> VerificationError:
	"""The error of a plain verification rule (verification/), whose English template is its stable code."""
	try:
		check(*args)
	except VerificationError as error:
		return error
	raise AssertionError(f"{check.__name__}{args} accepted the value")


def label(fieldname: str, doctype: str = "Beneficiary") -> str:
	return _(frappe.get_meta(doctype).get_label(fieldname))


def field_message(field: str, error: VerificationError) -> str:
	"""What the form says of a field the rule refused, in the test's language (beneficiaries/verify.py)."""
	return _("{0}: {1}").format(field, error.render(_))


class TestVerifiedAtSubmission(FrappeTestCase):
	def test_arabic_indic_national_id_is_normalised(self):
		doc = (
			make_beneficiary(id_number="١٠٠٠٠٠٠٠٠٨")
			if not frappe.db.exists("Beneficiary", {"id_number": "1000000008"})
			else make_beneficiary(id_number="".join("٠١٢٣٤٥٦٧٨٩"[int(c)] for c in make_id("1")))
		)
		self.assertTrue(doc.id_number.isascii() and doc.id_number.isdigit())
		self.assertEqual(len(doc.id_number), 10)

	def test_iqama_valid(self):
		doc = make_beneficiary(id_type="Iqama", id_number=make_id("2"), nationality="Egypt")
		self.assertTrue(doc.id_number.startswith("2"))

	def test_invalid_ids_are_refused_with_the_field_named(self):
		cases = [
			("National ID", "1000000000", "check digit"),
			("National ID", "2000000006", "start with 1"),
			("Iqama", "1000000008", "start with 2"),
			("National ID", "12345", "10 digits"),
			("Passport", "AB", "6 to 9"),
		]
		for id_type, number, expected in cases:
			error = rule_error(validate_id, id_type, number)
			self.assertIn(expected, error.message)  # the template: the same whatever the language
			with self.subTest(number=number), self.assertRaises(InvalidBeneficiaryData) as ctx:
				make_beneficiary(id_type=id_type, id_number=number)
			self.assertEqual(str(ctx.exception), field_message(label("id_number"), error))

	def test_mobile_is_stored_in_e164(self):
		doc = make_beneficiary(mobile_no="٠٥٠١٢٣٤٥٦٧")
		self.assertEqual(doc.mobile_no, "+966501234567")
		with self.assertRaises(InvalidBeneficiaryData) as ctx:
			make_beneficiary(mobile_no="0112345678")  # a Riyadh landline
		error = rule_error(normalize_mobile, "0112345678")
		self.assertEqual(str(ctx.exception), field_message(label("mobile_no"), error))

	def test_iban_is_checked_and_names_the_bank(self):
		doc = make_beneficiary(bank_iban="sa03 8000 0000 6080 1016 7519")
		self.assertEqual(doc.bank_iban, "SA0380000000608010167519")
		self.assertTrue(doc.bank_name)
		for bad in ("SA0380000000608010167518", "GB82WEST12345698765432", "SA03800000006080101675"):
			with self.subTest(iban=bad), self.assertRaises(InvalidBeneficiaryData) as ctx:
				make_beneficiary(bank_iban=bad)
			self.assertEqual(
				str(ctx.exception), field_message(label("bank_iban"), rule_error(validate_iban, bad))
			)

	def test_only_the_policies_genders(self):
		if not frappe.db.exists("Gender", "Transgender"):
			frappe.get_doc({"doctype": "Gender", "gender": "Transgender"}).insert(ignore_permissions=True)
		with self.assertRaises(InvalidBeneficiaryData):
			make_beneficiary(gender="Transgender")
		with self.assertRaises(InvalidBeneficiaryData):
			make_beneficiary(
				family_members=[{"member_name": "س", "relation": "Son", "gender": "Transgender"}]
			)
		self.assertEqual(make_beneficiary(gender="Male").gender, "Male")

	def test_dates_of_birth(self):
		with self.assertRaises(InvalidBeneficiaryData):
			make_beneficiary(date_of_birth=add_days(today(), 1))
		with self.assertRaises(InvalidBeneficiaryData):
			make_beneficiary(date_of_birth="1890-01-01")
		doc = make_beneficiary(date_of_birth="2000-01-01")
		self.assertTrue(doc.date_of_birth_hijri)

	def test_identity_expiry_entered_in_hijri(self):
		doc = make_beneficiary(id_expiry_hijri="1450-01-01")
		self.assertEqual(str(doc.id_expiry_date), "2028-05-25")

	def test_family_member_id_checked_and_row_named(self):
		with self.assertRaises(InvalidBeneficiaryData) as ctx:
			make_beneficiary(
				family_members=[
					{
						"member_name": "علي",
						"relation": "Son",
						"id_type": "National ID",
						"id_number": "1000000001",
					}
				]
			)
		row = _("Row {0} of {1}, {2}").format(
			1, label("family_members"), label("id_number", "Beneficiary Family Member")
		)
		self.assertEqual(
			str(ctx.exception), field_message(row, rule_error(validate_id, "National ID", "1000000001"))
		)

	def test_household_figures_are_computed(self):
		doc = make_beneficiary(
			family_members=[
				{"member_name": "علي", "relation": "Son", "id_number": make_id(), "monthly_income": 500},
				{"member_name": "مريم", "relation": "Daughter", "id_number": make_id()},
				{"member_name": "زينب", "relation": "Daughter"},
			],
			income_sources=[{"income_type": "Social Security", "monthly_amount": 1500}],
		)
		self.assertEqual(doc.household_size, 4)
		self.assertEqual(doc.total_monthly_income, 2000)
		self.assertEqual(doc.per_capita_income, 500)


class TestOnePersonOneBeneficiary(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		# made (and committed) once, before any record of the class: nothing of a test is committed
		cls.officer = role_user("Beneficiary Relations Officer")
		cls.manager = role_user("Charity Manager")

	def setUp(self):
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_same_id_twice_is_blocked(self):
		first = make_beneficiary()
		with self.assertRaises(DuplicateBeneficiaryError):
			make_beneficiary(id_number=first.id_number, beneficiary_name="شخص آخر")

	def test_family_member_of_another_household_is_blocked_then_overridden_by_manager(self):
		member_id = make_id()
		make_beneficiary(family_members=[{"member_name": "خالد", "relation": "Son", "id_number": member_id}])
		with self.assertRaises(DuplicateBeneficiaryError):
			make_beneficiary(id_number=member_id, beneficiary_name="خالد محمد")

		frappe.set_user(self.officer)
		doc = make_beneficiary(insert=False, id_number=member_id, beneficiary_name="خالد محمد")
		doc.duplicate_override = 1
		doc.duplicate_override_reason = "استقل بأسرته"
		# the override fields are at permlevel 2: an officer's values are dropped, so he is still blocked
		with self.assertRaises(DuplicateBeneficiaryError):
			doc.insert()

		manager = self.manager
		frappe.set_user(manager)
		doc = make_beneficiary(insert=False, id_number=member_id, beneficiary_name="خالد محمد")
		doc.duplicate_override = 1
		with self.assertRaises(frappe.MandatoryError):
			doc.insert()
		doc.duplicate_override_reason = "استقل بأسرته"
		doc.insert()
		comments = frappe.get_all(
			"Comment",
			filters={"reference_doctype": "Beneficiary", "reference_name": doc.name},
			pluck="content",
		)
		self.assertTrue(any("استقل بأسرته" in c and manager in c for c in comments))

	def registered_by_override(self):
		"""A person listed in another household, registered by the manager's override; the officer
		works on from here."""
		member_id = make_id()
		make_beneficiary(family_members=[{"member_name": "خالد", "relation": "Son", "id_number": member_id}])
		frappe.set_user(self.manager)
		doc = make_beneficiary(
			insert=False,
			id_number=member_id,
			beneficiary_name="خالد محمد",
			duplicate_override=1,
			duplicate_override_reason="استقل بأسرته",
		)
		doc.insert()
		frappe.set_user(self.officer)
		return doc

	def test_the_override_covers_the_person_not_his_later_family_members(self):
		"""The manager's override registers a person listed in another household; it once stayed on
		and let every family member added later through, whoever else listed them."""
		doc = self.registered_by_override()
		existing = make_beneficiary()
		doc = frappe.get_doc("Beneficiary", doc.name)
		doc.append(
			"family_members", {"member_name": "x", "relation": "Spouse", "id_number": existing.id_number}
		)
		with self.assertRaises(DuplicateBeneficiaryError):
			doc.save()
		doc.reload()
		doc.city = "الدمام"
		doc.save()  # the person himself, overridden, stays saveable

	def test_the_override_lapses_when_the_id_number_changes(self):
		"""It was decided for the ID number the record had: an officer could change the record to
		another household's member afterwards, unrefused and unaudited."""
		other_member_id = make_id()
		make_beneficiary(
			family_members=[{"member_name": "فهد", "relation": "Son", "id_number": other_member_id}]
		)
		doc = frappe.get_doc("Beneficiary", self.registered_by_override().name)
		doc.id_number = other_member_id
		with self.assertRaises(DuplicateBeneficiaryError):
			doc.save()

	def test_the_manager_decides_for_the_new_number_in_the_same_save(self):
		other_member_id = make_id()
		make_beneficiary(
			family_members=[{"member_name": "فهد", "relation": "Son", "id_number": other_member_id}]
		)
		doc = frappe.get_doc("Beneficiary", self.registered_by_override().name)
		frappe.set_user(self.manager)
		doc.id_number = other_member_id
		doc.duplicate_override_reason = "رقم الهوية الصحيح بعد المطابقة"
		doc.save()
		self.assertTrue(doc.duplicate_override)
		self.assertTrue(
			frappe.db.exists(
				"Comment",
				{
					"reference_doctype": "Beneficiary",
					"reference_name": doc.name,
					"content": ("like", "%المطابقة%"),
				},
			)
		)

	def test_family_member_already_a_beneficiary_is_blocked(self):
		existing = make_beneficiary()
		with self.assertRaises(DuplicateBeneficiaryError) as ctx:
			make_beneficiary(
				family_members=[{"member_name": "x", "relation": "Spouse", "id_number": existing.id_number}]
			)
		self.assertIn(frappe.bold(existing.name), str(ctx.exception))  # the household he belongs to

	def test_fuzzy_duplicates_land_on_the_review_list(self):
		first = make_beneficiary(beneficiary_name="عبدالله أحمد الغامدي", date_of_birth="1970-03-03")
		second = make_beneficiary(beneficiary_name="عبداللة احمد الغامدى", date_of_birth="1970-03-03")
		unrelated = make_beneficiary(beneficiary_name="سارة يوسف القحطاني", date_of_birth="1970-03-03")
		reviews = frappe.get_all(
			"Beneficiary Duplicate Review",
			filters={"beneficiary": ("in", [second.name, unrelated.name])},
			fields=["beneficiary", "possible_duplicate", "status"],
		)
		self.assertIn(
			{"beneficiary": second.name, "possible_duplicate": first.name, "status": "Open"}, reviews
		)
		self.assertFalse(
			[r for r in reviews if unrelated.name in (r["beneficiary"], r["possible_duplicate"])]
		)
		# both records exist: flagged, not silently blocked
		self.assertTrue(frappe.db.exists("Beneficiary", second.name))


class TestActivation(FrappeTestCase):
	def setUp(self):
		self.id_card = make_document_type("صورة الهوية (اختبار)", mandatory=True)

	def tearDown(self):
		frappe.db.set_value("Beneficiary Document Type", self.id_card, "is_mandatory", 0)

	def activate(self, doc):
		doc.status = "Active"
		doc.save()

	def document_problem(self, problem: str, document_type: str | None = None) -> str:
		"""One reason of the activation's refusal (beneficiary.py), in the test's language."""
		return _(problem).format(frappe.bold(_(document_type or self.id_card)))

	def test_activation_needs_declaration_signature_and_documents(self):
		doc = make_beneficiary()
		with self.assertRaises(ActivationError) as ctx:
			self.activate(doc)
		self.assertIn(_("the declaration is not accepted"), str(ctx.exception))

		doc.reload()
		doc.declaration_accepted = 1
		with self.assertRaises(ActivationError) as ctx:
			self.activate(doc)
		self.assertIn(_("the applicant has not signed the declaration"), str(ctx.exception))
		self.assertNotIn(_("the declaration is not accepted"), str(ctx.exception))

		doc.reload()
		doc.declaration_accepted = 1
		doc.declaration_signature = SIGNATURE
		with self.assertRaises(ActivationError) as ctx:
			self.activate(doc)
		self.assertIn(self.document_problem("document {0} is missing"), str(ctx.exception))
		self.assertNotIn(_("the applicant has not signed the declaration"), str(ctx.exception))

		doc.reload()
		doc.declaration_accepted = 1
		doc.declaration_signature = SIGNATURE
		doc.append(
			"documents",
			{
				"document_type": self.id_card,
				"attachment": "/files/id.png",
				"expiry_date": add_days(today(), -1),
			},
		)
		with self.assertRaises(ActivationError) as ctx:
			self.activate(doc)
		self.assertIn(self.document_problem("document {0} is not verified"), str(ctx.exception))

		doc.reload()
		doc.declaration_accepted = 1
		doc.declaration_signature = SIGNATURE
		doc.append(
			"documents",
			{
				"document_type": self.id_card,
				"attachment": "/files/id.png",
				"expiry_date": add_days(today(), -1),
				"verified": 1,
			},
		)
		with self.assertRaises(ActivationError) as ctx:
			self.activate(doc)
		self.assertIn(self.document_problem("document {0} has expired"), str(ctx.exception))
		self.assertNotIn(self.document_problem("document {0} is not verified"), str(ctx.exception))

		doc.reload()
		doc.declaration_accepted = 1
		doc.declaration_signature = SIGNATURE
		doc.append(
			"documents",
			{
				"document_type": self.id_card,
				"attachment": "/files/id.png",
				"expiry_date": add_days(today(), 300),
				"verified": 1,
			},
		)
		self.activate(doc)
		doc.reload()
		self.assertEqual(doc.status, "Active")
		self.assertEqual(doc.declaration_taken_by, "Administrator")
		self.assertTrue(doc.declaration_on)
		self.assertEqual(doc.documents[0].verified_by, "Administrator")

	def test_expired_identity_blocks_activation(self):
		doc = make_beneficiary(
			id_expiry_date=add_days(today(), -10),
			declaration_accepted=1,
			declaration_signature=SIGNATURE,
			documents=[{"document_type": self.id_card, "attachment": "/files/id.png", "verified": 1}],
		)
		with self.assertRaises(ActivationError) as ctx:
			self.activate(doc)
		expired_on = frappe.format(add_days(today(), -10), "Date")
		self.assertIn(_("the identity expired on {0}").format(expired_on), str(ctx.exception))

	def test_category_documents_are_mandatory_for_that_category(self):
		frappe.db.set_value("Beneficiary Document Type", self.id_card, "is_mandatory", 0)
		deed = make_document_type("صك الإعالة (اختبار)")
		category = frappe.get_doc("Beneficiary Category", "أيتام")
		category.set("mandatory_document_types", [{"document_type": deed}])
		category.save()
		doc = make_beneficiary(
			categories=[{"category": "أيتام"}], declaration_accepted=1, declaration_signature=SIGNATURE
		)
		with self.assertRaises(ActivationError) as ctx:
			self.activate(doc)
		self.assertIn(self.document_problem("document {0} is missing", deed), str(ctx.exception))


class TestDeclaration(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_a_withdrawn_declaration_is_signed_again(self):
		"""R1.2: unticked, the declaration takes its signature with it; ticked again, it is not the old
		signature re-credited to whoever ticks it."""
		doc = make_active_beneficiary()
		taken = (doc.declaration_on, doc.declaration_taken_by)
		doc.declaration_accepted = 0
		doc.status = "Applicant"
		doc.save()
		self.assertFalse(doc.declaration_signature)
		doc.declaration_accepted = 1
		doc.status = "Active"
		with self.assertRaises(ActivationError) as ctx:
			doc.save()
		self.assertIn(_("the applicant has not signed the declaration"), str(ctx.exception))
		doc.reload()
		doc.update({"declaration_accepted": 1, "declaration_signature": SIGNATURE, "status": "Active"})
		doc.save()
		self.assertNotEqual((doc.declaration_on, doc.declaration_taken_by), taken)


class TestPortalProbing(FrappeTestCase):
	"""R8.2: each refusal tells a portal account that an ID number is the association's: a few a day
	(typing errors), not a search of who the association serves."""

	def setUp(self):
		from charity_beneficiary.tests.users import portal_user

		self.portal = portal_user(3)  # a portal account with no record yet
		self.key = frappe.cache.make_key(duplicates.refusals_key(self.portal))
		frappe.cache.delete(self.key)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.cache.delete(self.key)
		frappe.db.rollback()

	def register_as_portal_user(self, id_number: str):
		frappe.set_user(self.portal)
		try:
			# as the web form inserts it
			return make_beneficiary(insert=False, id_number=id_number).insert(ignore_permissions=True)
		finally:
			frappe.set_user("Administrator")

	def test_a_few_refusals_a_day_then_the_association_registers_him(self):
		registered = [make_beneficiary().id_number for _n in range(duplicates.PORTAL_REFUSALS_PER_DAY)]
		for id_number in registered:
			with self.assertRaises(DuplicateBeneficiaryError):
				self.register_as_portal_user(id_number)
		with self.assertRaises(duplicates.TooManyRefusalsError):
			self.register_as_portal_user(make_id())  # even his own, unregistered number, today
		frappe.cache.delete(self.key)  # tomorrow
		self.assertTrue(self.register_as_portal_user(make_id()).name)

"""R3.3, R4.3 over HTTP: the table of what may change after submission (utils/code_owned.py) is walked
for every role of the app, and every refusal it promises is asserted on the real server.

A decision, a balance, a deadline or a research outcome is written only by the code that owns it;
no user may send it — not an officer who is also a branch representative and a committee member,
not a manager, not the beneficiary — over REST, and nothing is saved when he tries."""

import frappe
from frappe.utils import cint

from charity_beneficiary.disbursement.doctype.aid_disbursement.test_aid_disbursement import (
	CASH_SERVICE,
	DisbursementTestCase,
	purge,
	purge_disbursements,
	purge_requests,
	retried,
)
from charity_beneficiary.tests.committed import purge_beneficiary
from charity_beneficiary.tests.factories import (
	SIGNATURE,
	TEST_PASSWORD,
	make_active_beneficiary,
	make_aid_service,
	make_approved_request,
	make_disbursement,
	make_document_type,
	make_request,
)
from charity_beneficiary.tests.users import MANY_ROLES, many_roles_user, role_user
from charity_beneficiary.utils.code_owned import AFTER_SUBMIT, CODE_OWNED, WORKFLOW

ROLES = (
	"Beneficiary Relations Officer",
	"Social Researcher",
	"Research Committee Member",
	"Branch Representative",
	"Charity Accountant",
	"Charity Storekeeper",
	"Charity Manager",
	"System Manager",
)


def forged_value(df, current):
	"""A value of the field's type that differs from `current`."""
	if df.fieldtype in ("Currency", "Float", "Int", "Percent"):
		return 4999
	if df.fieldtype == "Check":
		return 0 if cint(current) else 1
	if df.fieldtype == "Date":
		return "2099-12-31"
	if df.fieldtype == "Datetime":
		return "2099-12-31 10:00:00"
	if df.fieldtype == "Select":
		return next(o for o in (df.options or "").split("\n") if o and o != current)
	if df.fieldtype == "Link":
		if df.options == "User":
			return "Administrator"
		return frappe.db.get_value(df.options, {"name": ("!=", current or "")}, "name") or "FORGED-0001"
	if df.fieldtype == "Table":
		return [{"item_code": "FORGED-ITEM", "qty": 99}]
	return "forged"


class TestCodeOwnedFieldsOverREST(DisbursementTestCase):
	@classmethod
	def setUpClass(cls):
		from charity_beneficiary.tests.live_server import live_server

		super().setUpClass()
		frappe.set_user("Administrator")
		cls.records = {}
		cls.addClassCleanup(retried, cls.remove_committed)  # runs even when the set-up fails half-way
		cls.users = {role: role_user(role) for role in ROLES}
		cls.users["+".join(MANY_ROLES)] = cls.many = many_roles_user()
		make_aid_service(CASH_SERVICE, delivery_type="Cash")
		cls.beneficiary = cls.records["beneficiary"] = make_active_beneficiary().name
		cls.approved = make_approved_request(
			cls.beneficiary, CASH_SERVICE, approved_amount=800, requested_amount=800
		).name
		cls.disbursement = make_disbursement(cls.approved, amount=300, submit=True).name
		cls.pending = make_request(cls.beneficiary, CASH_SERVICE, submit=True).name
		frappe.db.commit()  # the HTTP server is another process
		cls.server = live_server()
		cls.sessions = {}

	@classmethod
	def remove_committed(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		purge_beneficiary(cls.records.get("beneficiary"))
		frappe.db.commit()

	def setUp(self):
		frappe.set_user("Administrator")  # this class commits: no per-test records

	def session(self, user):
		if user not in self.sessions:
			self.sessions[user] = self.server.session(user, TEST_PASSWORD)
		return self.sessions[user]

	def put(self, user, doctype, name, values):
		return self.session(user).put(f"{self.server.url}/api/resource/{doctype}/{name}", json=values)

	def stored(self, doctype, name, fieldname):
		frappe.db.rollback()  # a fresh snapshot of what the server committed
		df = frappe.get_meta(doctype).get_field(fieldname)
		if df.fieldtype == "Table":
			return [(r.item_code, r.qty) for r in frappe.get_doc(doctype, name).get(fieldname)]
		return frappe.db.get_value(doctype, name, fieldname)

	def assert_refused(self, response, label):
		self.assertGreaterEqual(response.status_code, 400, f"{label}: {response.text[:300]}")
		self.assertLess(response.status_code, 500, f"{label}: {response.text[:300]}")

	# --- the table, for every role ----------------------------------------------------------------
	def test_after_submit_table_is_enforced_for_every_role(self):
		documents = {"Assistance Request": self.approved, "Aid Disbursement": self.disbursement}
		users = self.users
		for doctype, name in documents.items():
			meta = frappe.get_meta(doctype)
			for fieldname, allowed in AFTER_SUBMIT[doctype].items():
				df = meta.get_field(fieldname)
				for role, user in users.items():
					roles = set(frappe.get_roles(user))
					if allowed != WORKFLOW and roles & allowed:
						continue  # this role's own work (e.g. the officer assigns the researcher)
					label = f"{doctype}.{fieldname} by {role}"
					with self.subTest(label):
						before = self.stored(doctype, name, fieldname)
						value = "Disbursed" if allowed == WORKFLOW else forged_value(df, before)
						response = self.put(user, doctype, name, {fieldname: value})
						self.assertLess(response.status_code, 500, response.text[:300])
						self.assertEqual(self.stored(doctype, name, fieldname), before, label)
						if self.may_write_level(doctype, df.permlevel, user):
							# frappe drops a field above the user's level without a word; every other
							# refusal is an error the user sees
							self.assert_refused(response, label)

	@staticmethod
	def may_write_level(doctype: str, permlevel: int, user: str) -> bool:
		return any(
			p.permlevel == permlevel and p.write for p in frappe.permissions.get_valid_perms(doctype, user)
		)

	def test_every_after_submit_field_is_in_the_table(self):
		"""A field made allow-on-submit later is in the table, so its owner is decided on purpose."""
		for doctype, fields in AFTER_SUBMIT.items():
			on_submit = {df.fieldname for df in frappe.get_meta(doctype).fields if df.allow_on_submit}
			with self.subTest(doctype):
				self.assertEqual(on_submit - set(fields), set())

	def test_a_role_the_table_allows_is_not_refused(self):
		researcher = self.users["Social Researcher"]
		response = self.put(
			self.users["Beneficiary Relations Officer"],
			"Assistance Request",
			self.pending,
			{"researcher": researcher},
		)
		self.assertEqual(response.status_code, 200, response.text)
		self.assertEqual(self.stored("Assistance Request", self.pending, "researcher"), researcher)
		response = self.put(
			self.users["Charity Accountant"],
			"Aid Disbursement",
			self.disbursement,
			{"receiver_type": "Beneficiary", "receiver_signature": SIGNATURE},
		)
		self.assertEqual(response.status_code, 200, response.text)
		self.assertTrue(self.stored("Aid Disbursement", self.disbursement, "received_on"))

	# --- the examples of the issue ------------------------------------------------------------------
	def test_a_pending_request_takes_no_decision_balance_or_deadline(self):
		forged = {
			"decision": "Approved",
			"approved_amount": 4999,
			"fully_disbursed": 1,
			"disbursed_amount": 4999,
			"expected_decision_date": "2099-12-31",
		}
		before = frappe.db.get_value("Assistance Request", self.pending, list(forged), as_dict=True)
		for user in (self.many, self.users["Charity Manager"], self.users["System Manager"]):
			with self.subTest(user):
				response = self.put(user, "Assistance Request", self.pending, forged)
				self.assert_refused(response, user)
				frappe.db.rollback()
				self.assertEqual(
					frappe.db.get_value("Assistance Request", self.pending, list(forged), as_dict=True),
					before,
				)

	def test_an_approved_amount_cannot_be_rewritten(self):
		response = self.put(self.many, "Assistance Request", self.approved, {"approved_amount": 4999})
		self.assertEqual(response.status_code, 403, response.text)
		self.assertEqual(response.json()["exc_type"], "CodeOwnedFieldError")
		self.assertEqual(self.stored("Assistance Request", self.approved, "approved_amount"), 800)

	def test_a_new_request_cannot_carry_a_decision(self):
		count = frappe.db.count("Assistance Request")
		response = self.session(self.many).post(
			f"{self.server.url}/api/resource/Assistance Request",
			json={
				"beneficiary": self.beneficiary,
				"aid_service": CASH_SERVICE,
				"channel": "Phone Call",
				"description": "طلب",
				"requested_amount": 100,
				"approved_amount": 4999,
				"committee_meeting": "anything",
			},
		)
		self.assert_refused(response, "insert")
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("Assistance Request"), count)

	def test_a_document_is_verified_in_the_name_of_who_ticked_it(self):
		officer = self.users["Beneficiary Relations Officer"]
		document_type = make_document_type("وثيقة اختبار التحقق")
		frappe.db.commit()  # a master the HTTP server must see (made once, kept like the services)
		forged = {"document_type": document_type, "verified": 1}
		forged.update(verified_by=self.users["Charity Manager"], verified_on="2020-01-01 10:00:00")
		response = self.put(officer, "Beneficiary", self.beneficiary, {"documents": [forged]})
		self.assertEqual(response.status_code, 200, response.text)
		frappe.db.rollback()
		row = frappe.get_doc("Beneficiary", self.beneficiary).documents[0]
		self.assertEqual(row.verified_by, officer)
		self.assertNotEqual(str(row.verified_on)[:4], "2020")
		# while it stays verified, another save keeps who verified it, whatever it sends
		again = {"name": row.name, **forged}
		response = self.put(
			self.users["Charity Manager"], "Beneficiary", self.beneficiary, {"documents": [again]}
		)
		self.assertEqual(response.status_code, 200, response.text)
		frappe.db.rollback()
		self.assertEqual(frappe.get_doc("Beneficiary", self.beneficiary).documents[0].verified_by, officer)

	def test_a_duplicate_review_is_decided_in_the_name_of_who_decided_it(self):
		from charity_beneficiary.utils.code_owned import DUPLICATES, owner_writes

		other = make_active_beneficiary().name
		review = frappe.get_doc(
			{
				"doctype": "Beneficiary Duplicate Review",
				"beneficiary": other,
				"possible_duplicate": self.beneficiary,
				"similarity": 91,
				"match_reason": "Date of Birth",
			}
		)
		with owner_writes(DUPLICATES):  # as the duplicate check makes it
			review.insert(ignore_permissions=True)
		frappe.db.commit()
		officer, manager = self.users["Beneficiary Relations Officer"], self.users["Charity Manager"]
		url = f"{self.server.url}/api/resource/Beneficiary Duplicate Review/{review.name}"
		try:
			decided = {"status": "Not a Duplicate", "reviewed_by": manager}
			response = self.session(officer).put(url, json={**decided, "similarity": 10})
			self.assertEqual(response.status_code, 403, response.text)
			self.assertEqual(response.json()["exc_type"], "CodeOwnedFieldError")
			response = self.session(officer).put(url, json=decided)
			self.assertEqual(response.status_code, 200, response.text)
			frappe.db.rollback()
			stored = frappe.db.get_value(review.doctype, review.name, ["status", "reviewed_by", "similarity"])
			self.assertEqual(tuple(stored), ("Not a Duplicate", officer, 91))
		finally:
			frappe.db.rollback()
			purge_beneficiary(other)
			frappe.db.commit()

	def test_the_code_owned_table_names_real_fields(self):
		for doctype, fields in CODE_OWNED.items():
			meta = frappe.get_meta(doctype)
			for fieldname in fields:
				with self.subTest(f"{doctype}.{fieldname}"):
					self.assertTrue(meta.get_field(fieldname))
					self.assertTrue(meta.get_field(fieldname).no_copy)  # amendments do not carry it

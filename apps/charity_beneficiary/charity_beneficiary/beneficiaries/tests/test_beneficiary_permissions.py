"""R8.2 through REST, as the users concerned: branch representatives see only their branch,
portal users only their own record, and never an officer field."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.tests.factories import (
	TEST_PASSWORD,
	make_beneficiary,
	make_branch,
	make_document_type,
)
from charity_beneficiary.tests.live_server import live_server
from charity_beneficiary.tests.users import branch_user, portal_user

BRANCH_A, BRANCH_B = "فرع أ (اختبار)", "فرع ب (اختبار)"


class TestBeneficiaryPermissionsOverREST(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_branch(BRANCH_A)
		make_branch(BRANCH_B)
		cls.rep = branch_user(BRANCH_A)
		cls.portal_1 = portal_user(1)
		cls.portal_2 = portal_user(2)
		cls.in_a = make_beneficiary(branch=BRANCH_A).name
		cls.in_b = make_beneficiary(branch=BRANCH_B).name
		cls.no_branch = make_beneficiary().name
		cls.own_1 = make_beneficiary(user=cls.portal_1).name
		cls.own_2 = make_beneficiary(user=cls.portal_2).name
		frappe.db.commit()  # the HTTP server is another process
		cls.server = live_server()

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()  # a fresh snapshot: it sees what the HTTP server committed
		for name in frappe.get_all(
			"Beneficiary", filters={"owner": ("in", [cls.rep, cls.portal_1])}, pluck="name"
		):
			frappe.delete_doc("Beneficiary", name, force=True)
		for name in (cls.in_a, cls.in_b, cls.no_branch, cls.own_1, cls.own_2):
			frappe.delete_doc("Beneficiary", name, force=True)
		frappe.db.commit()
		super().tearDownClass()

	def url(self, *parts: str) -> str:
		return "/".join((self.server.url, *parts))

	def get(self, session, name):
		return session.get(self.url("api/resource/Beneficiary", name))

	# --- branch representatives ------------------------------------------------------
	def test_user_permission_follows_the_users_branch(self):
		self.assertEqual(
			frappe.get_all(
				"User Permission", filters={"user": self.rep, "allow": "Branch"}, pluck="for_value"
			),
			[BRANCH_A],
		)

	def test_the_record_of_his_branch_permission_is_the_apps(self):
		"""Sending another value for it would keep his former branch's permission when he is moved
		(the app deletes the one it records), or have someone else's permission deleted."""
		stored = frappe.db.get_value("User", self.rep, "charity_branch_permission")
		session = self.server.session(self.rep, TEST_PASSWORD)
		response = session.put(
			self.url("api/resource/User", self.rep), json={"charity_branch_permission": "another-record"}
		)
		self.assertLess(response.status_code, 500, response.text[:300])
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("User", self.rep, "charity_branch_permission"), stored)

	def test_representative_cannot_move_himself_to_another_branch(self):
		session = self.server.session(self.rep, TEST_PASSWORD)
		response = session.put(self.url("api/resource/User", self.rep), json={"charity_branch": BRANCH_B})
		self.assertIn(response.status_code, (403, 417), response.text)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("User", self.rep, "charity_branch"), BRANCH_A)
		self.assertEqual(
			frappe.get_all(
				"User Permission", filters={"user": self.rep, "allow": "Branch"}, pluck="for_value"
			),
			[BRANCH_A],
		)

	def test_representative_reads_only_his_branch(self):
		session = self.server.session(self.rep, TEST_PASSWORD)
		self.assertEqual(self.get(session, self.in_a).status_code, 200)
		for other in (self.in_b, self.no_branch):
			self.assertIn(self.get(session, other).status_code, (403, 404))
		listed = session.get(self.url("api/resource/Beneficiary"), params={"limit_page_length": 0}).json()[
			"data"
		]
		names = {row["name"] for row in listed}
		self.assertIn(self.in_a, names)
		self.assertFalse(names & {self.in_b, self.no_branch, self.own_1})

	def test_representative_creates_only_in_his_branch(self):
		session = self.server.session(self.rep, TEST_PASSWORD)
		from charity_beneficiary.tests.factories import make_id

		refused = session.post(
			self.url("api/resource/Beneficiary"),
			json={
				"beneficiary_name": "مستفيد فرع ب",
				"id_type": "National ID",
				"id_number": make_id(),
				"branch": BRANCH_B,
			},
		)
		self.assertEqual(refused.status_code, 403, refused.text)
		created = session.post(
			self.url("api/resource/Beneficiary"),
			json={
				"beneficiary_name": "مستفيد فرع أ",
				"id_type": "National ID",
				"id_number": make_id(),
				"branch": BRANCH_A,
			},
		)
		self.assertEqual(created.status_code, 200, created.text)

	# --- portal users ------------------------------------------------------------------
	def test_portal_user_reads_only_his_own_record(self):
		session = self.server.session(self.portal_1, TEST_PASSWORD)
		self.assertEqual(self.get(session, self.own_1).status_code, 200)
		self.assertIn(self.get(session, self.own_2).status_code, (403, 404))
		listed = session.get(self.url("api/resource/Beneficiary")).json()["data"]
		self.assertEqual([row["name"] for row in listed], [self.own_1])
		for method, params in (
			("frappe.client.get", {"doctype": "Beneficiary", "name": self.own_2}),
			(
				"frappe.client.get_value",
				{"doctype": "Beneficiary", "filters": self.own_2, "fieldname": "id_number"},
			),
			("frappe.client.get_list", {"doctype": "Beneficiary", "fields": '["name", "id_number"]'}),
			("frappe.desk.reportview.get_count", {"doctype": "Beneficiary"}),
		):
			with self.subTest(method=method):
				response = session.get(self.url("api/method", method), params=params)
				body = response.text
				self.assertNotIn(frappe.db.get_value("Beneficiary", self.own_2, "id_number"), body)
				if method == "frappe.desk.reportview.get_count":
					self.assertEqual(response.json()["message"], 1)

	def test_portal_user_cannot_set_status_or_officer_fields(self):
		session = self.server.session(self.portal_1, TEST_PASSWORD)
		# an officer field is put back to its stored value; the rest of his correction is kept
		response = session.put(
			self.url("api/resource/Beneficiary", self.own_1), json={"status": "Active", "city": "القطيف"}
		)
		self.assertEqual(response.status_code, 200, response.text)
		# a field only the system sets (the research's score) refuses the whole save
		response = session.put(
			self.url("api/resource/Beneficiary", self.own_1), json={"need_score": 99, "city": "صفوى"}
		)
		self.assertEqual(response.status_code, 403, response.text)
		self.assertEqual(response.json()["exc_type"], "CodeOwnedFieldError")
		frappe.db.rollback()  # end this connection's snapshot to see what the server committed
		status, score, city = frappe.db.get_value("Beneficiary", self.own_1, ["status", "need_score", "city"])
		self.assertEqual((status, score, city), ("Applicant", 0, "القطيف"))

	def test_portal_accounts_are_listed_by_who_looks_after_them(self):
		"""A portal account carries the beneficiary's ID number (its username) and mobile: frappe lets
		every desk user list users; only the officers and the manager list these."""
		from charity_beneficiary.tests.users import role_user

		params = {
			"fields": json.dumps(["name", "username", "phone"]),
			"filters": json.dumps([["user_type", "=", "Website User"]]),
			"limit_page_length": 0,
		}
		for user, lists in (
			(self.rep, False),
			(role_user("Charity Storekeeper"), False),
			(role_user("Beneficiary Relations Officer"), True),
		):
			with self.subTest(user):
				session = self.server.session(user, TEST_PASSWORD)
				response = session.get(self.url("api/resource/User"), params=params)
				self.assertEqual(response.status_code, 200, response.text[:300])
				listed = {row["name"] for row in response.json()["data"]}
				self.assertEqual(self.portal_1 in listed, lists)
				found = session.get(
					self.url("api/method/frappe.desk.search.search_link"),
					params={"doctype": "User", "txt": "portal-1"},
				)
				self.assertEqual(self.portal_1 in found.text, lists)

	def test_he_attaches_only_files_he_uploaded(self):
		"""A path to another beneficiary's private file would put that person's document in his file
		and satisfy a required document with it."""
		document_type = make_document_type("هوية (اختبار المرفقات)")

		def private_file(owner: str, attached_to: str | None) -> str:
			file = frappe.get_doc(
				{
					"doctype": "File",
					"file_name": f"doc-{frappe.generate_hash(length=6)}.txt",
					# contents of its own: frappe gives a file of the same contents the same path
					"content": frappe.generate_hash().encode(),
					"is_private": 1,
					"attached_to_doctype": "Beneficiary" if attached_to else None,
					"attached_to_name": attached_to,
				}
			).insert(ignore_permissions=True)
			file.db_set("owner", owner)
			return file.file_url

		others, his = private_file("Administrator", self.own_2), private_file(self.portal_1, None)
		frappe.db.commit()
		session = self.server.session(self.portal_1, TEST_PASSWORD)
		for url, status in ((others, 403), (his, 200)):
			with self.subTest(url):
				response = session.put(
					self.url("api/resource/Beneficiary", self.own_1),
					json={"documents": [{"document_type": document_type, "attachment": url}]},
				)
				self.assertEqual(response.status_code, status, response.text[:300])
		frappe.db.rollback()
		self.assertEqual(
			frappe.get_all("Beneficiary Document", {"parent": self.own_1}, pluck="attachment"), [his]
		)

	def test_his_income_cannot_be_negative(self):
		"""A negative income would lower the household's figures the need is assessed on (R1.5)."""
		session = self.server.session(self.portal_1, TEST_PASSWORD)
		for values in (
			{"income_sources": [{"income_type": "Salary", "monthly_amount": -500}]},
			{"monthly_rent": -1},
		):
			with self.subTest(values):
				response = session.put(self.url("api/resource/Beneficiary", self.own_1), json=values)
				self.assertEqual(response.status_code, 417, response.text[:300])
				self.assertEqual(response.json()["exc_type"], "InvalidInputError")
		frappe.db.rollback()
		self.assertGreaterEqual(frappe.db.get_value("Beneficiary", self.own_1, "total_monthly_income"), 0)

	def test_portal_user_cannot_correct_once_processed(self):
		frappe.db.set_value("Beneficiary", self.own_2, "status", "Suspended")
		frappe.db.commit()
		session = self.server.session(self.portal_2, TEST_PASSWORD)
		response = session.put(self.url("api/resource/Beneficiary", self.own_2), json={"city": "سيهات"})
		self.assertEqual(response.status_code, 403, response.text)
		frappe.db.rollback()
		self.assertNotEqual(frappe.db.get_value("Beneficiary", self.own_2, "city"), "سيهات")

	def test_portal_user_cannot_register_twice(self):
		session = self.server.session(self.portal_1, TEST_PASSWORD)
		from charity_beneficiary.tests.factories import make_id

		response = session.post(
			self.url("api/resource/Beneficiary"),
			json={"beneficiary_name": "تسجيل ثان", "id_type": "National ID", "id_number": make_id()},
		)
		self.assertNotEqual(response.status_code, 200, response.text)

	def test_he_cannot_change_his_id_number_nor_learn_whose_an_id_is(self):
		"""His ID number is his account's; the duplicate check does not tell him which record, or
		which household, holds another ID (anyone may sign up: it would tell who the association
		serves)."""
		from charity_beneficiary.tests.factories import make_id

		listed = make_id()
		household = make_beneficiary(
			family_members=[{"member_name": "سالم", "relation": "Son", "id_number": listed}]
		).name
		self.addCleanup(frappe.db.commit)
		self.addCleanup(frappe.delete_doc, "Beneficiary", household, force=True)
		self.addCleanup(frappe.db.rollback)
		frappe.db.commit()
		session = self.server.session(self.portal_1, TEST_PASSWORD)
		url = self.url("api/resource/Beneficiary", self.own_1)
		for id_number in (make_id(), frappe.db.get_value("Beneficiary", self.in_a, "id_number"), listed):
			with self.subTest(id_number):
				response = session.put(url, json={"id_number": id_number})
				self.assertEqual(response.status_code, 403, response.text[:300])
				self.assertNotIn(household, response.text)
				self.assertNotIn(self.in_a, response.text)
		for id_number, holder in (
			(listed, household),
			(frappe.db.get_value("Beneficiary", self.in_a, "id_number"), self.in_a),
		):
			with self.subTest(member=id_number):
				response = session.put(
					url,
					json={
						"family_members": [{"member_name": "س", "relation": "Son", "id_number": id_number}]
					},
				)
				self.assertEqual(response.status_code, 409, response.text[:300])
				self.assertNotIn(holder, response.text)
		frappe.db.rollback()
		self.assertFalse(frappe.get_all("Beneficiary Family Member", filters={"parent": self.own_1}))

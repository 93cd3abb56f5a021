"""R8.2 over HTTP: a child table's rows are read with their parent, never past it
(utils/child_access.py). frappe lists a child table for anyone who may read its parent DocType:
a branch representative read the family members' ID numbers of every branch, a researcher with no
assignment summed the incomes of beneficiaries he may not open.

The class commits what the HTTP server must see and removes it in a class clean-up."""

import json

import frappe

from charity_beneficiary.beneficiaries.tests.test_branch_boundaries_rest import (
	BRANCH_A,
	BRANCH_B,
	REP,
	RESTCase,
)
from charity_beneficiary.tests.factories import make_id
from charity_beneficiary.tests.live_server import live_server
from charity_beneficiary.tests.users import portal_user, role_user

FAMILY, INCOME = "Beneficiary Family Member", "Beneficiary Income"


class TestChildRowsGoWithTheirParent(RESTCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.officer = role_user("Beneficiary Relations Officer")
		cls.researcher = role_user("Social Researcher")
		cls.mine, cls.theirs = (
			cls.beneficiary(
				branch=branch,
				family_members=[
					{
						"member_name": "عبدالله",
						"relation": "Son",
						"id_number": make_id(),
						"date_of_birth": "2005-03-01",
					}
				],
				income_sources=[{"income_type": "Salary", "monthly_amount": amount}],
			)
			for branch, amount in ((BRANCH_A, 3333), (BRANCH_B, 4444))
		)
		frappe.db.commit()
		cls.server = live_server()

	def rows(self, user, doctype, parent, fields=("parent", "member_name", "id_number")) -> list[dict]:
		response = self.session(user).get(
			self.url("api/resource", doctype),
			params={
				"parent": "Beneficiary",
				"fields": json.dumps(list(fields)),
				"filters": json.dumps([["parent", "=", parent]]),
			},
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		return response.json()["data"]

	def income_sum(self, user, parent) -> float | None:
		response = self.session(user).post(
			self.url("api/method/frappe.desk.doctype.number_card.number_card.get_result"),
			data={
				"doc": json.dumps(
					{
						"document_type": INCOME,
						"parent_document_type": "Beneficiary",
						"function": "Sum",
						"aggregate_function_based_on": "monthly_amount",
					}
				),
				"filters": json.dumps([[INCOME, "parent", "=", parent]]),
			},
		)
		if response.status_code == 403:  # a field above his level is not even summed (list_guard)
			return None
		self.assertEqual(response.status_code, 200, response.text[:300])
		return response.json()["message"]

	def test_a_representative_reads_the_family_of_his_branch_only(self):
		self.assertEqual(len(self.rows(REP, FAMILY, self.mine)), 1)
		self.assertEqual(self.rows(REP, FAMILY, self.theirs), [])
		response = self.session(REP).get(
			self.url("api/method/frappe.client.get_value"),
			params={
				"doctype": FAMILY,
				"parent": "Beneficiary",
				"fieldname": json.dumps(["parent", "id_number"]),
				"filters": json.dumps({"parent": self.theirs}),
			},
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		self.assertFalse(response.json().get("message"), response.text[:300])

	def test_incomes_only_where_the_table_is_readable(self):
		"""The income table is at level 1: the representative does not read it even in his branch; a
		researcher with no assignment reads none; the officer reads them."""
		self.assertIsNone(self.income_sum(REP, self.mine))
		self.assertEqual(self.rows(REP, INCOME, self.mine, fields=("parent", "monthly_amount")), [])
		self.assertEqual(self.income_sum(self.researcher, self.theirs), 0)
		self.assertEqual(self.income_sum(self.officer, self.theirs), 4444)

	def test_who_reads_the_register_reads_the_rows(self):
		for parent in (self.mine, self.theirs):
			self.assertEqual(len(self.rows(self.officer, FAMILY, parent)), 1, parent)


class TestBeneficiaryListsNoStaffNotes(RESTCase):
	"""A portal user lists his own records, not frappe's collaboration columns on them: the staff's
	internal comments and whom the record is assigned to (utils/list_guard.check_staff_columns)."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.portal = portal_user(4)
		cls.own = cls.beneficiary(user=cls.portal)
		frappe.db.set_value(
			"Beneficiary",
			cls.own,
			{"_comments": json.dumps([{"comment": "ملاحظة داخلية"}]), "_assign": json.dumps([REP])},
		)
		frappe.db.commit()
		cls.server = live_server()

	def test_staff_columns_are_refused(self):
		session = self.session(self.portal)
		for path, params in (
			("api/resource/Beneficiary", {"fields": json.dumps(["name", "_comments", "_assign"])}),
			(
				"api/method/frappe.client.get_value",
				{"doctype": "Beneficiary", "fieldname": json.dumps(["_assign"]), "filters": self.own},
			),
			# filtered on, they are told a letter at a time
			("api/resource/Beneficiary", {"filters": json.dumps([["_comments", "like", "%ملاحظة%"]])}),
			("api/resource/Beneficiary", {"order_by": "_assign desc"}),
		):
			with self.subTest(path=path):
				response = session.get(self.url(path), params=params)
				self.assertEqual(response.status_code, 403, response.text[:300])
				self.assertNotIn("ملاحظة", response.text)

	def test_his_own_fields_still_come(self):
		response = self.session(self.portal).get(
			self.url("api/resource/Beneficiary"), params={"fields": json.dumps(["name", "beneficiary_name"])}
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		self.assertEqual([row["name"] for row in response.json()["data"]], [self.own])

"""R8.2 through REST, as the real roles: frappe's link search, the list sidebar's assignment counts,
the form's next record and the print view's renderer stay within what the user may read (an audit
listed every beneficiary's ID number and IBAN with `ignore_user_permissions=1`, tested IBAN prefixes
through the "Assigned To" counts, sorted on the IBAN and printed a made-up disbursement naming
another branch's beneficiary).

The classes commit what the HTTP server must see and remove it in a class clean-up."""

import json

import frappe

from charity_beneficiary.beneficiaries.tests.test_branch_boundaries_rest import (
	BRANCH_A,
	BRANCH_B,
	REP,
	RESTCase,
)
from charity_beneficiary.tests.factories import make_aid_service, make_request
from charity_beneficiary.tests.live_server import live_server
from charity_beneficiary.tests.users import portal_user, role_user

RUN = frappe.generate_hash(length=5)
SERVICE = f"مساعدة نقدية (البحث والعد {RUN})"
OFFICER = "Beneficiary Relations Officer"


def iban(account: str) -> str:
	"""A checksum-valid Saudi IBAN of a 20-digit bank code and account."""
	check = 98 - int(account + "281000") % 97  # S=28, A=10, check digits 00
	return f"SA{check:02d}{account}"


IBAN_A, IBAN_B = iban("80000000608010167521"), iban("80000000608010167522")


class TestSearchCountsAndPrintOverREST(RESTCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.in_a = cls.beneficiary(branch=BRANCH_A, bank_iban=IBAN_A)
		cls.in_b = cls.beneficiary(branch=BRANCH_B, bank_iban=IBAN_B)
		cls.id_a, cls.id_b = (
			frappe.db.get_value("Beneficiary", n, "id_number") for n in (cls.in_a, cls.in_b)
		)
		make_aid_service(SERVICE, delivery_type="Cash")
		cls.request_b = make_request(cls.in_b, SERVICE).name
		cls.officer = role_user(OFFICER)
		cls.todos = [
			frappe.get_doc(
				{
					"doctype": "ToDo",
					"allocated_to": cls.officer,
					"reference_type": "Beneficiary",
					"reference_name": name,
					"description": "متابعة (اختبار البحث والعد)",
				}
			)
			.insert(ignore_permissions=True)
			.name
			for name in (cls.in_a, cls.in_b)
		]
		cls.addClassCleanup(cls.remove_todos)
		frappe.db.commit()
		cls.server = live_server()

	@classmethod
	def remove_todos(cls):
		frappe.db.rollback()
		frappe.db.delete("ToDo", {"name": ("in", cls.todos)})
		frappe.db.commit()

	def get(self, user: str, method: str, **params):
		return self.session(user).get(self.url("api/method", method), params=params)

	def assertRefused(self, response, status: int = 403, exc_type: str | None = None):
		self.assertEqual(response.status_code, status, response.text[:300])
		if exc_type:
			self.assertEqual(response.json().get("exc_type"), exc_type, response.text[:300])

	# --- link search ---------------------------------------------------------------------------
	def test_link_search_lists_only_what_the_user_may_list(self):
		"""With ignore_user_permissions, frappe listed past every permission query condition."""
		users = (
			REP,
			portal_user(1),
			role_user("Social Researcher"),
			role_user("Research Committee Member"),
			role_user("Charity Accountant"),
			role_user("Charity Storekeeper"),
		)
		for user in users:
			for method in ("frappe.desk.search.search_link", "frappe.desk.search.search_widget"):
				for doctype, txt, hidden in (
					("Beneficiary", self.id_b, (self.in_b, self.id_b)),
					("Assistance Request", self.request_b, (self.request_b,)),
				):
					with self.subTest(user=user, method=method, doctype=doctype):
						response = self.get(
							user, method, doctype=doctype, txt=txt, ignore_user_permissions=1, page_length=50
						)
						self.assertIn(response.status_code, (200, 403), response.text[:300])
						for value in hidden:
							self.assertNotIn(value, response.text)
		# who may list the record still finds it
		response = self.get(
			self.officer,
			"frappe.desk.search.search_link",
			doctype="Beneficiary",
			txt=self.id_b,
			ignore_user_permissions=1,
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		self.assertIn(self.in_b, response.text)

	def test_link_search_shows_and_filters_on_no_field_he_cannot_read(self):
		session_params = {
			"doctype": "Beneficiary",
			"txt": self.id_a,
			"as_dict": 1,
			"filter_fields": json.dumps(["bank_iban", "bank_name", "total_monthly_income", "date_of_birth"]),
		}
		for iup in (0, 1):
			with self.subTest(ignore_user_permissions=iup):
				response = self.get(
					REP, "frappe.desk.search.search_widget", ignore_user_permissions=iup, **session_params
				)
				self.assertEqual(response.status_code, 200, response.text[:300])
				rows = response.json()["message"]
				self.assertEqual([row["name"] for row in rows], [self.in_a])
				self.assertNotIn("bank_iban", rows[0])
				self.assertNotIn("total_monthly_income", rows[0])
				self.assertNotIn(IBAN_A, response.text)
				self.assertEqual(rows[0]["date_of_birth"], "1985-04-12")  # a field he reads
				refused = self.get(
					REP,
					"frappe.desk.search.search_widget",
					doctype="Beneficiary",
					txt="",
					ignore_user_permissions=iup,
					filters=json.dumps([["bank_iban", "like", IBAN_A[:6] + "%"]]),
				)
				self.assertRefused(refused, exc_type="HiddenFieldQueryError")
		# the officer reads the IBAN, and gets it
		response = self.get(
			self.officer, "frappe.desk.search.search_widget", ignore_user_permissions=1, **session_params
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		self.assertIn(IBAN_A, response.text)

	def test_link_search_refuses_fields_that_are_not_a_list(self):
		response = self.get(
			REP,
			"frappe.desk.search.search_widget",
			doctype="Beneficiary",
			txt="",
			filter_fields='"bank_iban"',
		)
		self.assertRefused(response, 417, "InvalidInputError")

	def test_link_search_runs_no_other_query(self):
		"""frappe calls the `query` it is sent with the search's text as second argument: with
		frappe.client.get_list the text was the fields, an expression past its field levels."""
		for method in ("frappe.desk.search.search_widget", "frappe.desk.search.search_link"):
			with self.subTest(method):
				response = self.get(
					REP,
					method,
					doctype="Beneficiary",
					txt="idx*0+ascii(substr(bank_iban from 5 for 1))",
					query="frappe.client.get_list",
					page_length=0,
				)
				self.assertRefused(response, 403, "PermissionError")

	# --- the sidebar's "Assigned To" counts --------------------------------------------------
	def test_assignment_counts_tell_nothing_of_hidden_fields_or_unlisted_records(self):
		method = "frappe.desk.listview.get_group_by_count"
		probe = json.dumps([["name", "=", self.in_a], ["bank_iban", "like", IBAN_A[:4] + "%"]])
		for user, exc_type in (
			(REP, "HiddenFieldQueryError"),
			(portal_user(1), None),
			(role_user("Charity Storekeeper"), None),
		):
			with self.subTest(user=user):
				response = self.get(
					user, method, doctype="Beneficiary", field="assigned_to", current_filters=probe
				)
				self.assertRefused(response, exc_type=exc_type)
				self.assertNotIn(self.officer, response.text)
		for field in ("owner", "bank_name"):
			with self.subTest(field=field):
				response = self.get(REP, method, doctype="Beneficiary", field=field, current_filters=probe)
				self.assertRefused(response, exc_type="HiddenFieldQueryError")
		# the representative counts the assignments of his branch's records only
		for name, operator, counted in (
			(self.in_a, "=", 1),
			(self.in_b, "=", 0),
			(f"%{self.in_a}%", "like", 1),
			(f"%{self.in_b}%", "like", 0),
		):
			with self.subTest(name=name):
				response = self.get(
					REP,
					method,
					doctype="Beneficiary",
					field="assigned_to",
					current_filters=json.dumps([["name", operator, name]]),
				)
				self.assertEqual(response.status_code, 200, response.text[:300])
				rows = {row["name"]: row["count"] for row in response.json()["message"]}
				self.assertEqual(rows.get(self.officer, 0), counted)

	# --- the form's next record ----------------------------------------------------------------
	def test_next_record_is_not_sorted_on_a_field_he_cannot_read(self):
		method = "frappe.desk.form.utils.get_next"
		for order in ("asc", "desc"):
			with self.subTest(order=order):
				response = self.get(
					REP,
					method,
					doctype="Beneficiary",
					value=self.in_a,
					prev=0,
					sort_field="bank_iban",
					sort_order=order,
				)
				self.assertRefused(response, exc_type="HiddenFieldQueryError")
		for sort_field, sort_order in (("nonexistent", "asc"), ("modified", "asc; select 1")):
			with self.subTest(sort_field=sort_field, sort_order=sort_order):
				response = self.get(
					REP,
					method,
					doctype="Beneficiary",
					value=self.in_a,
					prev=0,
					sort_field=sort_field,
					sort_order=sort_order,
				)
				self.assertRefused(response, 417, "InvalidInputError")
		response = self.get(
			REP,
			method,
			doctype="Beneficiary",
			value=self.in_a,
			prev=0,
			sort_field="modified",
			sort_order="desc",
		)
		self.assertEqual(response.status_code, 200, response.text[:300])

	# --- the print view's renderer --------------------------------------------------------------
	def test_print_is_of_the_stored_record_never_of_one_made_up(self):
		made_up = {
			"doctype": "Aid Disbursement",
			"name": f"made-up-{RUN}",
			"beneficiary": self.in_b,
			"beneficiary_name": "x",
			"disbursement_type": "In-Kind",
			"docstatus": 1,
		}
		for user in (role_user("Charity Storekeeper"), role_user("Charity Accountant")):
			for method in ("get_html_and_style", "get_rendered_raw_commands"):
				with self.subTest(user=user, method=method):
					response = self.session(user).post(
						self.url(f"api/method/frappe.www.printview.{method}"),
						data={"doc": json.dumps(made_up), "print_format": "سند صرف"},
					)
					self.assertRefused(response, 404, "DoesNotExistError")
					self.assertNotIn(self.id_b, response.text)
		# a stored record sent as the desk sends it is printed as stored, within the user's permission
		sent = {"doctype": "Beneficiary", "name": self.in_a, "id_number": self.id_b}
		for user, status in ((self.officer, 200), (REP, 200), (role_user("Charity Storekeeper"), 403)):
			with self.subTest(user=user):
				response = self.session(user).post(
					self.url("api/method/frappe.www.printview.get_html_and_style"),
					data={"doc": json.dumps(sent), "print_format": "ملف المستفيد"},
				)
				self.assertEqual(response.status_code, status, response.text[:300])
				self.assertNotIn(self.id_b, response.text)
				if status == 200:
					self.assertIn(self.id_a, response.json()["message"]["html"])

"""R8.2 through REST, as the real roles (issue 9 §2): a representative works only inside his branch
(requests, feedback, disbursements, reports, number cards), no list is filtered, sorted or grouped on
a field its user cannot read, saving a user keeps the branch permissions others made, and every staff
role reads the masters and ERPNext documents its work needs, without posting outside the app.

The classes commit what the HTTP server must see and remove it in a class clean-up."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from charity_beneficiary.disbursement.doctype.aid_disbursement.test_aid_disbursement import (
	purge,
	purge_disbursements,
	purge_requests,
)
from charity_beneficiary.tests.factories import (
	TEST_PASSWORD,
	make_active_beneficiary,
	make_aid_service,
	make_approved_request,
	make_branch,
	make_disbursement,
	make_item,
	make_request,
	make_stock,
)
from charity_beneficiary.tests.live_server import live_server
from charity_beneficiary.tests.users import branch_email, branch_user, role_user

BRANCH_A, BRANCH_B = "فرع أ (اختبار)", "فرع ب (اختبار)"
RUN = frappe.generate_hash(length=5)
CASH_SERVICE = f"مساعدة نقدية (حدود الفروع {RUN})"
GOODS_SERVICE = f"سلة غذائية (حدود الفروع {RUN})"
OTHER_NAME, OTHER_MOBILE = "سارة ناصر فرع الباء", "0551234987"
ACCOUNTANT, STOREKEEPER = "Charity Accountant", "Charity Storekeeper"
REP = branch_email()  # the shared representative of branch A (tests/users.py)
REP_ACCOUNTANT = branch_email("Branch Representative", ACCOUNTANT)


def make_feedback(beneficiary: str | None, feedback_type: str = "Complaint") -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Beneficiary Feedback",
				"feedback_type": feedback_type,
				"channel": "Phone Call",
				"beneficiary": beneficiary,
				"description": "شكوى تأخر الرد (اختبار)",
			}
		)
		.insert()
		.name
	)


class RESTCase(FrappeTestCase):
	records: dict

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.records = {"Beneficiary": [], "Assistance Request": [], "Beneficiary Feedback": []}
		cls.addClassCleanup(cls.remove_committed)
		make_branch(BRANCH_A)
		make_branch(BRANCH_B)
		branch_user(BRANCH_A)

	@classmethod
	def beneficiary(cls, **fields) -> str:
		name = make_active_beneficiary(**fields).name
		cls.records["Beneficiary"].append(name)
		return name

	@classmethod
	def remove_committed(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		beneficiaries = cls.records["Beneficiary"]
		requests = frappe.get_all(
			"Assistance Request", {"beneficiary": ("in", beneficiaries or [""])}, pluck="name"
		)
		purge_disbursements(
			frappe.get_all("Aid Disbursement", {"assistance_request": ("in", requests or [""])}, pluck="name")
		)
		purge_requests(requests)
		purge(
			"Beneficiary Feedback",
			frappe.get_all(
				"Beneficiary Feedback",
				{"beneficiary": ("in", beneficiaries or [""])},
				pluck="name",
			)
			+ cls.records["Beneficiary Feedback"],
		)
		purge("Beneficiary", beneficiaries)
		frappe.db.commit()

	def url(self, *parts: str) -> str:
		return "/".join((self.server.url, *parts))

	def session(self, user: str):
		return self.server.session(user, TEST_PASSWORD)


# --- a) records belong to their beneficiary's branch ------------------------------------------------
class TestBranchRecordsOverREST(RESTCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		branch_user(BRANCH_A, "Branch Representative", ACCOUNTANT)
		make_aid_service(CASH_SERVICE, delivery_type="Cash")
		cls.in_a = cls.beneficiary(branch=BRANCH_A)
		cls.in_b = cls.beneficiary(branch=BRANCH_B, beneficiary_name=OTHER_NAME, mobile_no=OTHER_MOBILE)
		cls.no_branch = cls.beneficiary()
		cls.request_b = make_approved_request(cls.in_b, CASH_SERVICE, approved_amount=500).name
		cls.request_none = make_approved_request(cls.no_branch, CASH_SERVICE, approved_amount=500).name
		cls.feedback_b = make_feedback(cls.in_b)
		cls.feedback_none = make_feedback(cls.no_branch)
		cls.disbursement_b = make_disbursement(cls.request_b, amount=100, submit=True).name
		frappe.db.commit()
		cls.server = live_server()

	def new_request(self, beneficiary: str, **fields) -> dict:
		return {
			"beneficiary": beneficiary,
			"aid_service": CASH_SERVICE,
			"channel": "In-person Interview",
			"received_on": today(),
			"description": "طلب مساعدة (اختبار حدود الفروع)",
			"requested_amount": 300,
			**fields,
		}

	def assertRefusedWithoutLeak(self, response):
		self.assertEqual(response.status_code, 403, response.text[:300])
		self.assertNotIn(OTHER_NAME, response.text)
		self.assertNotIn(OTHER_MOBILE, response.text)

	def test_representative_cannot_file_for_another_branch(self):
		session = self.session(REP)
		for beneficiary in (self.in_b, self.no_branch):
			with self.subTest(beneficiary=beneficiary):
				response = session.post(
					self.url("api/resource/Assistance Request"),
					json=self.new_request(beneficiary, branch=BRANCH_A),
				)
				self.assertRefusedWithoutLeak(response)
				response = session.post(
					self.url("api/resource/Beneficiary Feedback"),
					json={
						"feedback_type": "Complaint",
						"channel": "Branch Representative",
						"beneficiary": beneficiary,
						"branch": BRANCH_A,
						"description": "شكوى (اختبار)",
					},
				)
				self.assertRefusedWithoutLeak(response)

	def test_branch_is_the_beneficiarys_never_the_users(self):
		# an officer works across branches: the branch he sends is replaced by the beneficiary's
		response = self.session(role_user("Beneficiary Relations Officer")).post(
			self.url("api/resource/Assistance Request"), json=self.new_request(self.in_a, branch=BRANCH_B)
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		self.assertEqual(response.json()["data"]["branch"], BRANCH_A)
		# a representative naming another branch is refused, and his own gets his beneficiary's branch
		session = self.session(REP)
		refused = session.post(
			self.url("api/resource/Assistance Request"), json=self.new_request(self.in_a, branch=BRANCH_B)
		)
		self.assertEqual(refused.status_code, 403, refused.text[:300])
		response = session.post(self.url("api/resource/Assistance Request"), json=self.new_request(self.in_a))
		self.assertEqual(response.status_code, 200, response.text[:300])
		self.assertEqual(response.json()["data"]["branch"], BRANCH_A)

	def test_representative_reads_no_record_of_another_branch_or_none(self):
		session = self.session(REP)
		for doctype, names in (
			("Assistance Request", (self.request_b, self.request_none)),
			("Beneficiary Feedback", (self.feedback_b, self.feedback_none)),
		):
			for name in names:
				with self.subTest(doctype=doctype, name=name):
					response = session.get(self.url("api/resource", doctype, name))
					self.assertIn(response.status_code, (403, 404))
			listed = session.get(self.url("api/resource", doctype), params={"limit_page_length": 0})
			self.assertEqual(listed.status_code, 200, listed.text[:300])
			self.assertFalse({row["name"] for row in listed.json()["data"]} & set(names))
			counted = session.get(
				self.url("api/method/frappe.client.get_count"),
				params={"doctype": doctype, "filters": json.dumps({"name": ("in", list(names))})},
			)
			self.assertEqual(counted.json()["message"], 0, counted.text[:300])

	def test_representative_posting_aid_stays_in_his_branch(self):
		session = self.session(REP_ACCOUNTANT)
		response = session.get(self.url("api/resource/Aid Disbursement", self.disbursement_b))
		self.assertIn(response.status_code, (403, 404))
		listed = session.get(self.url("api/resource/Aid Disbursement"), params={"limit_page_length": 0})
		self.assertNotIn(self.disbursement_b, {row["name"] for row in listed.json()["data"]})
		response = session.post(
			self.url("api/resource/Aid Disbursement"),
			json={"assistance_request": self.request_b, "amount": 50},
		)
		self.assertRefusedWithoutLeak(response)


# --- b) no filter, sort key or grouping on a field the user cannot read ------------------------------
class TestRepresentativeWithoutABranch(RESTCase):
	"""A representative whose branch is not set yet works on no record (his lists were empty, but he
	read, changed and created records of every branch by name: frappe's User Permission, which
	narrows him to his branch, does nothing when he has none)."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.rep = role_user("Branch Representative")
		user = frappe.get_doc("User", cls.rep)
		if user.charity_branch:  # the shared user has none; another test may have given him one
			user.charity_branch = None
			user.save(ignore_permissions=True)
		cls.in_a = cls.beneficiary(branch=BRANCH_A)
		frappe.db.commit()
		cls.server = live_server()

	def test_he_reads_changes_and_creates_nothing(self):
		session = self.session(self.rep)
		url = self.url("api/resource/Beneficiary", self.in_a)
		self.assertEqual(session.get(url).status_code, 403)
		self.assertEqual(session.put(url, json={"city": "جدة"}).status_code, 403)
		created = session.post(
			self.url("api/resource/Beneficiary"),
			json={"beneficiary_name": "سارة علي", "id_type": "National ID", "branch": BRANCH_B},
		)
		self.assertEqual(created.status_code, 403, created.text[:300])
		listed = session.get(self.url("api/resource/Beneficiary"))
		self.assertEqual(listed.json()["data"], [])


class TestListGuardOverREST(RESTCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.in_a = cls.beneficiary(branch=BRANCH_A, bank_iban="SA0380000000608010167519")
		frappe.db.commit()
		cls.server = live_server()

	def test_hidden_field_queries_are_refused(self):
		hidden = json.dumps([["bank_iban", "like", "SA03%"]])
		session = self.session(REP)
		for path, params in (
			("api/resource/Beneficiary", {"filters": hidden}),
			("api/resource/Beneficiary", {"filters": json.dumps({"bank_iban": "SA0380000000608010167519"})}),
			("api/resource/Beneficiary", {"order_by": "bank_iban asc"}),
			("api/resource/Beneficiary", {"or_filters": hidden}),
			("api/method/frappe.client.get_list", {"doctype": "Beneficiary", "filters": hidden}),
			("api/method/frappe.client.get_count", {"doctype": "Beneficiary", "filters": hidden}),
			(
				"api/method/frappe.client.get_value",
				{"doctype": "Beneficiary", "fieldname": "name", "filters": hidden},
			),
			("api/method/frappe.desk.reportview.get", {"doctype": "Beneficiary", "filters": hidden}),
			(
				"api/method/frappe.desk.reportview.get",
				{"doctype": "Beneficiary", "fields": json.dumps(["name"]), "group_by": "bank_iban"},
			),
			(
				"api/method/frappe.desk.reportview.get",
				{"doctype": "Beneficiary", "fields": json.dumps(["max(bank_iban) * 1 as x"])},
			),
			("api/method/frappe.desk.reportview.get_count", {"doctype": "Beneficiary", "filters": hidden}),
			(
				"api/method/frappe.desk.listview.get_group_by_count",
				{"doctype": "Beneficiary", "current_filters": "[]", "field": "bank_iban"},
			),
			# a number card's own count, with the card's extra filters
			(
				"api/method/charity_beneficiary.beneficiaries.dashboard.documents_expiring_soon",
				{"filters": hidden},
			),
			# frappe's number cards and dashboard charts name their DocType inside the card or chart;
			# a saved card's change over a period runs it with the caller's filters
			(
				"api/method/frappe.desk.doctype.number_card.number_card.get_percentage_difference",
				{"doc": json.dumps({"name": "Active Beneficiaries"}), "filters": hidden, "result": 1},
			),
			(
				"api/method/frappe.desk.doctype.number_card.number_card.get_result",
				{"doc": json.dumps({"document_type": "Beneficiary", "function": "Count"}), "filters": hidden},
			),
			(
				"api/method/frappe.desk.doctype.number_card.number_card.get_result",
				{
					"doc": json.dumps(
						{
							"document_type": "Beneficiary",
							"function": "Sum",
							"aggregate_function_based_on": "total_monthly_income",
						}
					),
					"filters": "[]",
				},
			),
			(
				"api/method/frappe.desk.doctype.dashboard_chart.dashboard_chart.get",
				{
					"chart": json.dumps(
						{
							"name": "guard",
							"document_type": "Beneficiary",
							"chart_type": "Group By",
							"group_by_type": "Count",
							"group_by_based_on": "bank_iban",
						}
					),
					"no_cache": 1,
				},
			),
		):
			with self.subTest(path=path, params=params):
				response = session.get(self.url(path), params=params)
				self.assertEqual(response.status_code, 403, response.text[:300])
				self.assertEqual(response.json().get("exc_type"), "HiddenFieldQueryError")

	def test_filters_that_are_not_json_are_refused_clearly(self):
		response = self.session(REP).get(
			self.url("api/method/frappe.client.get_count"),
			params={"doctype": "Beneficiary", "filters": "[not json"},
		)
		self.assertEqual(response.status_code, 417, response.text[:300])
		self.assertEqual(response.json().get("exc_type"), "InvalidInputError")

	def test_filters_of_the_wrong_shape_are_refused_clearly(self):
		for user, doctype in (
			(role_user("Beneficiary Relations Officer"), "Beneficiary"),
			(REP, "Assistance Request"),
		):
			for filters in ('{"a": 1}', '[["nonexistent", "=", 1]]', "[1, 2]"):
				with self.subTest(user=user, filters=filters):
					response = self.session(user).get(
						self.url("api/method/frappe.client.get_count"),
						params={"doctype": doctype, "filters": filters},
					)
					self.assertEqual(response.status_code, 417, response.text[:300])
					self.assertEqual(response.json().get("exc_type"), "InvalidInputError")

	def test_no_heatmap_of_the_apps_records(self):
		"""frappe reads a heatmap past every permission (frappe.get_all)."""
		chart = {
			"name": "guard",
			"document_type": "Beneficiary",
			"type": "Heatmap",
			"chart_type": "Count",
			"based_on": "creation",
		}
		response = self.session(REP).get(
			self.url("api/method/frappe.desk.doctype.dashboard_chart.dashboard_chart.get"),
			params={"chart": json.dumps(chart), "no_cache": 1},
		)
		self.assertEqual(response.status_code, 403, response.text[:300])

	def test_his_print_and_timeline_show_no_field_he_cannot_read(self):
		"""frappe renders a print format and the form's timeline from the whole document: the IBAN
		and its change stay the officer's."""
		frappe.set_user("Administrator")
		doc = frappe.get_doc("Beneficiary", self.in_a)
		doc.bank_iban = "SA4420000001234567891234"
		doc.save(ignore_version=False)  # frappe keeps no Version of a save under tests unless told
		frappe.db.commit()
		try:
			for user, sees in ((REP, False), (role_user("Beneficiary Relations Officer"), True)):
				with self.subTest(user):
					session = self.session(user)
					printed = session.get(
						self.url("printview"),
						params={"doctype": "Beneficiary", "name": self.in_a, "format": "ملف المستفيد"},
					)
					self.assertEqual(printed.status_code, 200, printed.text[:300])
					self.assertEqual("SA4420000001234567891234" in printed.text, sees)
					loaded = session.get(
						self.url("api/method/frappe.desk.form.load.getdoc"),
						params={"doctype": "Beneficiary", "name": self.in_a},
					)
					self.assertEqual(loaded.status_code, 200, loaded.text[:300])
					timeline = json.dumps(loaded.json()["docinfo"]["versions"])
					self.assertEqual("bank_iban" in timeline, sees)
					self.assertEqual("SA0380000000608010167519" in timeline, sees)
		finally:
			frappe.db.set_value("Beneficiary", self.in_a, "bank_iban", "SA0380000000608010167519")
			frappe.db.commit()

	def test_readable_fields_still_filter_and_sort(self):
		response = self.session(REP).get(
			self.url("api/resource/Beneficiary"),
			params={"filters": json.dumps([["branch", "=", BRANCH_A]]), "order_by": "creation desc"},
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		self.assertIn(self.in_a, {row["name"] for row in response.json()["data"]})

	def test_who_may_read_the_field_may_filter_on_it(self):
		response = self.session(role_user("Beneficiary Relations Officer")).get(
			self.url("api/resource/Beneficiary"),
			params={"filters": json.dumps([["bank_iban", "like", "SA038%"]])},
		)
		self.assertEqual(response.status_code, 200, response.text[:300])


class TestAttachmentsStayWithTheirRecords(RESTCase):
	"""frappe lets whoever reads Beneficiary list every beneficiary's files; only those of records he
	may list are listed (utils/file_access.py)."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.in_a = cls.beneficiary(branch=BRANCH_A)
		cls.in_b = cls.beneficiary(branch=BRANCH_B)
		cls.files = {
			name: frappe.get_doc(
				{
					"doctype": "File",
					"file_name": f"id-copy-{name}.txt",
					"content": b"ID",
					"is_private": 1,
					"attached_to_doctype": "Beneficiary",
					"attached_to_name": name,
				}
			)
			.insert(ignore_permissions=True)
			.name
			for name in (cls.in_a, cls.in_b)
		}
		cls.addClassCleanup(cls.remove_files)
		frappe.db.commit()
		cls.server = live_server()

	@classmethod
	def remove_files(cls):
		frappe.db.rollback()
		for name in cls.files.values():
			frappe.delete_doc("File", name, force=True, ignore_permissions=True)
		frappe.db.commit()

	def listed(self, user: str, **params) -> set[str]:
		response = self.session(user).get(
			self.url("api/resource/File"),
			params={
				"filters": json.dumps([["attached_to_doctype", "=", "Beneficiary"]]),
				"limit_page_length": 0,
				**params,
			},
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		return {row["name"] for row in response.json()["data"]}

	def test_a_representative_lists_only_his_branchs_files(self):
		listed = self.listed(REP)
		self.assertIn(self.files[self.in_a], listed)
		self.assertNotIn(self.files[self.in_b], listed)
		response = self.session(REP).get(
			self.url("api/method/frappe.client.get_value"),
			params={
				"doctype": "File",
				"fieldname": "file_url",
				"filters": json.dumps({"attached_to_name": self.in_b}),
			},
		)
		self.assertNotIn("id-copy", response.text)

	def test_who_reads_every_branch_lists_every_file(self):
		listed = self.listed(role_user("Beneficiary Relations Officer"))
		self.assertTrue({self.files[self.in_a], self.files[self.in_b]} <= listed)


# --- c) saving a user keeps the branch permissions others made -----------------------------------------
class TestBranchPermissionIsTheAppsOnly(FrappeTestCase):
	def setUp(self):
		make_branch(BRANCH_A)
		make_branch(BRANCH_B)
		self.user = role_user("Branch Representative")
		frappe.set_user("Administrator")

	def branch_permissions(self) -> set[str]:
		return set(
			frappe.get_all("User Permission", {"user": self.user, "allow": "Branch"}, pluck="for_value")
		)

	def test_foreign_permission_survives_saves_and_branch_changes(self):
		user = frappe.get_doc("User", self.user)
		user.charity_branch = BRANCH_A
		user.save()
		# HR's permission, for its own reasons
		frappe.get_doc(
			{
				"doctype": "User Permission",
				"user": self.user,
				"allow": "Branch",
				"for_value": BRANCH_B,
				"apply_to_all_doctypes": 0,
				"applicable_for": "Assistance Request",
			}
		).insert()
		user.reload()
		user.bio = "حفظ بلا تغيير الفرع"
		user.save()
		self.assertEqual(self.branch_permissions(), {BRANCH_A, BRANCH_B})
		user.charity_branch = None
		user.save()
		self.assertEqual(self.branch_permissions(), {BRANCH_B})

	def tearDown(self):
		frappe.db.rollback()


# --- d) reports, number cards and the household follow the same rules --------------------------------
class TestServiceQualityFiguresOverREST(RESTCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.in_a = cls.beneficiary(branch=BRANCH_A)
		cls.in_b = cls.beneficiary(branch=BRANCH_B)
		cls.no_branch = cls.beneficiary()
		for beneficiary in (cls.in_a, cls.in_b, cls.no_branch):
			make_feedback(beneficiary)
		make_aid_service(GOODS_SERVICE, delivery_type="In-Kind")
		cls.item = make_item("AID-TEST-BRANCH-" + RUN.upper())
		cls.goods = make_approved_request(
			cls.in_a, GOODS_SERVICE, approved_items=[{"item_code": cls.item, "qty": 1}]
		).name
		frappe.db.commit()
		cls.server = live_server()

	def run_report(self, user: str, group_by: str):
		return self.session(user).get(
			self.url("api/method/frappe.desk.query_report.run"),
			params={"report_name": "Service Quality", "filters": json.dumps({"group_by": group_by})},
		)

	def test_representative_sees_only_his_branch(self):
		response = self.run_report(REP, "Branch")
		self.assertEqual(response.status_code, 200, response.text[:300])
		groups = {row.get("group") for row in response.json()["message"]["result"] if isinstance(row, dict)}
		self.assertEqual(groups, {BRANCH_A})
		for card in ("open_complaints", "overdue_complaints", "csat_this_month", "nps_this_month"):
			with self.subTest(card=card):
				response = self.session(REP).get(
					self.url(f"api/method/charity_beneficiary.service_quality.dashboard.{card}")
				)
				self.assertEqual(response.status_code, 200, response.text[:300])
		counted = self.session(REP).get(
			self.url("api/method/charity_beneficiary.service_quality.dashboard.open_complaints")
		)
		listed = self.session(REP).get(
			self.url("api/method/frappe.client.get_count"),
			params={
				"doctype": "Beneficiary Feedback",
				"filters": json.dumps(
					{"feedback_type": "Complaint", "status": ("in", ["Open", "In Progress"])}
				),
			},
		)
		self.assertEqual(counted.json()["message"]["value"], listed.json()["message"])

	def test_no_figures_per_staff_member_but_for_managers(self):
		for role in ("Branch Representative", "Social Researcher", "Beneficiary Relations Officer"):
			with self.subTest(role=role):
				self.assertEqual(self.run_report(role_user(role), "Staff Member").status_code, 403)
		self.assertEqual(self.run_report(role_user("Charity Manager"), "Staff Member").status_code, 200)

	def test_storekeeper_reads_only_the_households_he_serves(self):
		session = self.session(role_user(STOREKEEPER))
		method = self.url("api/method/charity_beneficiary.disbursement.receipt.receivers")
		self.assertEqual(session.get(method, params={"beneficiary": self.in_a}).status_code, 200)
		for other in (self.in_b, self.no_branch):
			self.assertEqual(session.get(method, params={"beneficiary": other}).status_code, 403)


# --- e) f) what each role reads outside the app ------------------------------------------------------
class TestStaffReadsWhatItsWorkNeeds(RESTCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_aid_service(CASH_SERVICE, delivery_type="Cash")
		make_aid_service(GOODS_SERVICE, delivery_type="In-Kind")
		cls.in_a = cls.beneficiary(branch=BRANCH_A)
		warehouse = frappe.db.get_single_value("Charity Settings", "warehouse")
		cls.item = make_item("AID-TEST-LEDGER-" + RUN.upper())
		cls.receipt = make_stock(cls.item, warehouse, 3, 20)
		cash = make_approved_request(cls.in_a, CASH_SERVICE, approved_amount=400).name
		cls.cash = make_disbursement(cash, amount=150, submit=True)
		goods = make_approved_request(
			cls.in_a, GOODS_SERVICE, approved_items=[{"item_code": cls.item, "qty": 1}]
		).name
		cls.goods = make_disbursement(goods, items=[{"item_code": cls.item, "qty": 1}], submit=True)
		frappe.db.commit()
		cls.addClassCleanup(cls.remove_stock)
		cls.server = live_server()

	@classmethod
	def remove_stock(cls):
		for table in ("GL Entry", "Stock Ledger Entry"):
			frappe.db.delete(table, {"voucher_type": "Stock Entry", "voucher_no": cls.receipt})
		purge("Stock Entry", [cls.receipt])
		frappe.db.delete("Bin", {"item_code": cls.item})
		purge("Item", [cls.item])
		frappe.db.commit()

	def test_posters_read_the_requests_they_disburse(self):
		"""R8.2: the storekeeper reads the approved or disbursed requests for goods, the accountant
		those for money; neither reads a request still being decided (a family's application)."""
		pending = make_request(self.in_a, CASH_SERVICE, submit=True).name
		frappe.db.commit()
		cash, goods = self.cash.assistance_request, self.goods.assistance_request
		for role, reads in ((STOREKEEPER, {goods}), (ACCOUNTANT, {cash})):
			with self.subTest(role):
				session = self.session(role_user(role))
				response = session.get(
					self.url("api/resource/Assistance Request"),
					params={"filters": json.dumps([["beneficiary", "=", self.in_a]]), "limit_page_length": 0},
				)
				self.assertEqual(response.status_code, 200, response.text[:300])
				self.assertEqual({row["name"] for row in response.json()["data"]}, reads)
				for name in (cash, goods, pending):
					response = session.get(self.url("api/resource/Assistance Request", name))
					self.assertEqual(response.status_code == 200, name in reads, (name, response.status_code))

	def test_accountant_reads_only_the_files_of_those_he_pays(self):
		"""R8.2: the file of a family whose request is still being decided is not the accountant's."""
		applicant = self.beneficiary(branch=BRANCH_A)
		make_request(applicant, CASH_SERVICE, submit=True)
		frappe.db.commit()
		session = self.session(role_user(ACCOUNTANT))
		self.assertEqual(session.get(self.url("api/resource/Beneficiary", self.in_a)).status_code, 200)
		self.assertEqual(session.get(self.url("api/resource/Beneficiary", applicant)).status_code, 403)
		response = session.get(
			self.url("api/resource/Beneficiary"),
			params={"filters": json.dumps([["name", "in", [self.in_a, applicant]]]), "limit_page_length": 0},
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		self.assertEqual({row["name"] for row in response.json()["data"]}, {self.in_a})
		# who decides or manages reads both
		for role in ("Charity Manager", "Beneficiary Relations Officer"):
			with self.subTest(role=role):
				response = self.session(role_user(role)).get(self.url("api/resource/Beneficiary", applicant))
				self.assertEqual(response.status_code, 200, response.text[:300])

	def test_staff_reads_the_masters_of_its_forms(self):
		category = frappe.db.get_value("Beneficiary Category", {}, "name")
		for role in (
			"Beneficiary Relations Officer",
			"Social Researcher",
			"Research Committee Member",
			"Branch Representative",
			"Charity Manager",
			ACCOUNTANT,
			STOREKEEPER,
		):
			session = self.session(role_user(role))
			for path in (
				("Branch", BRANCH_A),
				("Aid Service", CASH_SERVICE),
				("Beneficiary Category", category),
			):
				with self.subTest(role=role, path=path):
					response = session.get(self.url("api/resource", *path))
					self.assertEqual(response.status_code, 200, response.text[:300])

	def test_representative_reads_only_his_branch(self):
		session = self.session(REP)
		self.assertEqual(session.get(self.url("api/resource/Branch", BRANCH_A)).status_code, 200)
		self.assertEqual(session.get(self.url("api/resource/Branch", BRANCH_B)).status_code, 403)

	def test_accountant_follows_his_disbursement_in_the_ledgers(self):
		session = self.session(role_user(ACCOUNTANT))
		response = session.get(self.url("api/resource/Journal Entry", self.cash.journal_entry))
		self.assertEqual(response.status_code, 200, response.text[:300])
		company = self.cash.company or frappe.db.get_single_value("Charity Settings", "company")
		filters = {
			"company": company,
			"from_date": add_days(today(), -1),
			"to_date": today(),
			"party_type": "Beneficiary",
			"party": [self.in_a],
			"charity_fund": [self.cash.charity_fund],
			"group_by": "Group by Voucher (Consolidated)",
		}
		from erpnext.accounts.utils import get_fiscal_year

		for report, extra in (
			("General Ledger", {}),
			("Trial Balance", {"fiscal_year": get_fiscal_year(today(), company=company)[0]}),
		):
			with self.subTest(report=report):
				response = session.get(
					self.url("api/method/frappe.desk.query_report.run"),
					params={"report_name": report, "filters": json.dumps({**filters, **extra})},
				)
				self.assertEqual(response.status_code, 200, response.text[:300])

	def test_storekeeper_opens_his_stock_entry(self):
		session = self.session(role_user(STOREKEEPER))
		response = session.get(self.url("api/resource/Stock Entry", self.goods.stock_entry))
		self.assertEqual(response.status_code, 200, response.text[:300])

	def test_the_stock_form_opens_for_who_reads_stock_entries(self):
		"""ERPNext's Stock Entry form reads Stock Settings as it opens: refused, it showed an error."""
		for role in (STOREKEEPER, ACCOUNTANT, "Charity Manager"):
			with self.subTest(role):
				response = self.session(role_user(role)).get(
					self.url("api/method/frappe.client.get_value"),
					params={"doctype": "Stock Settings", "fieldname": "allow_negative_stock"},
				)
				self.assertEqual(response.status_code, 200, response.text[:300])

	def test_nobody_posts_outside_the_app(self):
		company = frappe.db.get_value("Journal Entry", self.cash.journal_entry, "company")
		for role, doctype, payload in (
			(ACCOUNTANT, "Journal Entry", {"voucher_type": "Journal Entry", "posting_date": today()}),
			(STOREKEEPER, "Stock Entry", {"stock_entry_type": "Material Issue", "purpose": "Material Issue"}),
		):
			with self.subTest(role=role):
				response = self.session(role_user(role)).post(
					self.url("api/resource", doctype), json={"company": company, **payload}
				)
				self.assertEqual(response.status_code, 403, response.text[:300])

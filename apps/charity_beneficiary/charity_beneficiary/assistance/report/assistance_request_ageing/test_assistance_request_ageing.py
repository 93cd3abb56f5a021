# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""R3.4: the ageing report lists the submitted requests still waiting for a decision, with how late
they are and their bucket; decided and draft requests are not in it.

Run over HTTP (frappe.desk.query_report.run) as the roles that use the report, the manager and the
officer: the report must answer them, not only Administrator (its Branch column once made it a 403).
The requests are committed for the server and removed in the class clean-up."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from charity_beneficiary.assistance import sla
from charity_beneficiary.disbursement.doctype.aid_disbursement.test_aid_disbursement import (
	purge,
	purge_requests,
)
from charity_beneficiary.tests.factories import (
	TEST_PASSWORD,
	make_active_beneficiary,
	make_aid_service,
	make_request,
)
from charity_beneficiary.tests.live_server import live_server
from charity_beneficiary.tests.users import role_user

REPORT = "Assistance Request Ageing"
MANAGER, OFFICER = "Charity Manager", "Beneficiary Relations Officer"
# the roles of the report (its JSON), but System Manager, who is Administrator's
REPORT_ROLES = (MANAGER, OFFICER)
SERVICE = f"مساعدة نقدية (اختبار التقادم {frappe.generate_hash(length=5)})"


class TestAssistanceRequestAgeing(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.users = {role: role_user(role) for role in REPORT_ROLES}
		make_aid_service(SERVICE)
		cls.beneficiary = make_active_beneficiary().name
		cls.addClassCleanup(cls.remove_committed)
		cls.late = cls.submitted_request(-3)
		cls.very_late = cls.submitted_request(-10)
		cls.soon = cls.submitted_request(2)
		cls.ahead = cls.submitted_request(10)
		cls.decided = {
			state: cls.submitted_request(-5, state) for state in ("Approved", "Rejected", "Cancelled")
		}
		cls.returned = cls.submitted_request(-5, "Returned")
		frappe.set_user(cls.users[OFFICER])
		cls.draft = make_request(cls.beneficiary, SERVICE).name
		frappe.set_user("Administrator")
		frappe.db.commit()
		cls.server = live_server()

	@classmethod
	def submitted_request(cls, days_from_today: int, state: str | None = None) -> str:
		"""A submitted request whose answer date is `days_from_today` away (negative: past)."""
		frappe.set_user(cls.users[OFFICER])
		doc = make_request(cls.beneficiary, SERVICE, submit=True)
		frappe.set_user("Administrator")
		values = {"expected_decision_date": add_days(today(), days_from_today)}
		if state:
			values["workflow_state"] = state
		frappe.db.set_value("Assistance Request", doc.name, values)
		return doc.name

	@classmethod
	def remove_committed(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		purge_requests(frappe.get_all("Assistance Request", {"beneficiary": cls.beneficiary}, pluck="name"))
		purge("Beneficiary", [cls.beneficiary])
		frappe.db.commit()

	def run_report(self, role: str = MANAGER, **filters) -> dict:
		session = self.server.session(self.users[role], TEST_PASSWORD)
		response = session.get(
			f"{self.server.url}/api/method/frappe.desk.query_report.run",
			params={"report_name": REPORT, "filters": json.dumps({"aid_service": SERVICE, **filters})},
			timeout=60,
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		return response.json()["message"]

	def rows_by_name(self, role: str = MANAGER, **filters) -> dict[str, dict]:
		report = self.run_report(role, **filters)
		self.assertTrue(report["columns"] and report["chart"] and report["report_summary"])
		return {row["name"]: row for row in report["result"]}

	def test_every_role_of_the_report_runs_it(self):
		for role in REPORT_ROLES:
			with self.subTest(role=role):
				self.assertIn(self.late, self.rows_by_name(role))

	def test_request_past_its_answer_date_is_overdue(self):
		rows = self.rows_by_name()
		self.assertEqual(rows[self.late]["days_overdue"], 3)
		self.assertEqual(rows[self.late]["bucket_key"], sla.OVERDUE)
		self.assertEqual(rows[self.very_late]["bucket_key"], sla.OVERDUE_MORE_THAN_WEEK)
		self.assertEqual(rows[self.late]["workflow_state"], "Pending Verification")
		# the most overdue first
		self.assertLess(list(rows).index(self.very_late), list(rows).index(self.late))

	def test_request_due_in_two_days_is_due_soon(self):
		rows = self.rows_by_name(OFFICER)
		self.assertEqual(rows[self.soon]["bucket_key"], sla.DUE_SOON)
		self.assertEqual(rows[self.soon]["days_overdue"], -2)
		self.assertEqual(rows[self.ahead]["bucket_key"], sla.ON_TRACK)

	def test_decided_and_draft_requests_are_not_listed(self):
		rows = self.rows_by_name()
		for name in (*self.decided.values(), self.draft):
			self.assertNotIn(name, rows)
		self.assertIn(self.returned, rows)

	def test_filters(self):
		overdue = self.rows_by_name(bucket="Overdue")
		self.assertEqual(set(overdue), {self.late, self.very_late, self.returned})
		self.assertEqual(set(self.rows_by_name(bucket=sla.DUE_SOON)), {self.soon})
		self.assertEqual(set(self.rows_by_name(bucket=sla.ON_TRACK)), {self.ahead})
		self.assertEqual(set(self.rows_by_name(workflow_state="Returned")), {self.returned})
		self.assertEqual(self.rows_by_name(aid_service="خدمة أخرى غير موجودة"), {})
		# as of a week ago, the late request was still ahead of its answer date
		then = self.rows_by_name(as_of_date=add_days(today(), -7))
		self.assertEqual(then[self.late]["days_overdue"], -4)
		self.assertEqual(then[self.late]["bucket_key"], sla.ON_TRACK)

	def test_summary_and_chart_count_buckets(self):
		report = self.run_report()
		labels = {row["bucket_key"]: row["bucket"] for row in report["result"]}
		counts = {card["label"]: card["value"] for card in report["report_summary"]}
		self.assertEqual(counts[labels[sla.OVERDUE]], 2)  # the late and the returned requests
		self.assertEqual(counts[labels[sla.OVERDUE_MORE_THAN_WEEK]], 1)
		self.assertEqual(sum(report["chart"]["data"]["datasets"][0]["values"]), len(report["result"]))
		self.assertEqual(
			report["chart"]["data"]["labels"], [card["label"] for card in report["report_summary"]]
		)

	def test_overdue_number_card(self):
		session = self.server.session(self.users[MANAGER], TEST_PASSWORD)
		response = session.get(
			f"{self.server.url}/api/method/charity_beneficiary.assistance.dashboard.overdue_requests",
			params={"filters": json.dumps([["Assistance Request", "aid_service", "=", SERVICE]])},
			timeout=60,
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		card = response.json()["message"]
		self.assertEqual(card["value"], 3)  # late, very late, returned
		self.assertEqual(card["route"], ["query-report", REPORT])

	def test_row_limit_keeps_the_most_overdue_and_counts_them_all(self):
		from unittest.mock import patch

		from charity_beneficiary.assistance.report.assistance_request_ageing import (
			assistance_request_ageing as report,
		)

		frappe.set_user(self.users[MANAGER])
		try:
			with patch.object(report, "ROW_LIMIT", 2):
				columns, rows, message, chart, summary = report.execute({"aid_service": SERVICE})
		finally:
			frappe.set_user("Administrator")
		# very late (-10), then late and returned (-3, -5): the two earliest answer dates
		self.assertEqual([row.name for row in rows], [self.very_late, self.returned])
		self.assertEqual(sum(card["value"] for card in summary), 5)  # the pending ones, all counted
		self.assertIn("2", message)
		self.assertIn("5", message)


class TestPendingIndex(FrappeTestCase):
	"""85k open requests (issue 14): the report's count and its most overdue rows are read from the
	pending index alone, never by walking every request in answer-date order."""

	def test_the_index_holds_what_the_report_reads(self):
		from charity_beneficiary.assistance.doctype.assistance_request.assistance_request import (
			OLD_PENDING_INDEX,
			PENDING_INDEX,
		)

		name, columns = PENDING_INDEX
		rows = frappe.db.sql(
			"show index from `tabAssistance Request` where Key_name = %s", name, as_dict=True
		)
		self.assertEqual([row.Column_name for row in sorted(rows, key=lambda r: r.Seq_in_index)], columns)
		self.assertFalse(frappe.db.has_index("tabAssistance Request", OLD_PENDING_INDEX))
		# no index of the answer date alone, which MariaDB would walk for "the most overdue"
		self.assertIsNone(frappe.db.get_column_index("tabAssistance Request", "expected_decision_date"))

	def test_the_most_overdue_are_picked_from_the_index(self):
		from charity_beneficiary.assistance.report.assistance_request_ageing import (
			assistance_request_ageing as report,
		)

		query = frappe.get_list(
			"Assistance Request",
			filters=report.get_conditions(frappe._dict(), frappe.utils.getdate()),
			fields=["name"],
			order_by="expected_decision_date asc, name asc",
			limit_page_length=report.ROW_LIMIT,
			run=False,
		)
		plan = frappe.db.sql(f"explain {query}", as_dict=True)[0]  # sql-ok: frappe's own query, explained
		self.assertIn("Using index", plan.Extra)

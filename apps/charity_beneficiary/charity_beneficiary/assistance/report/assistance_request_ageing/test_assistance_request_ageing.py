# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""R3.4: the ageing report lists the submitted requests still waiting for a decision, with how late
they are and their bucket; decided and draft requests are not in it."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from charity_beneficiary.assistance import sla
from charity_beneficiary.assistance.dashboard import overdue_requests
from charity_beneficiary.assistance.report.assistance_request_ageing.assistance_request_ageing import execute
from charity_beneficiary.tests.factories import (
	make_active_beneficiary,
	make_aid_service,
	make_request,
	make_user,
)

OFFICER = "officer.ageing@test.localhost"
MANAGER = "manager.ageing@test.localhost"
SERVICE = "مساعدة نقدية (اختبار التقادم)"


class TestAssistanceRequestAgeing(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(OFFICER, ["Beneficiary Relations Officer"])
		make_user(MANAGER, ["Charity Manager"])

	def setUp(self):
		frappe.set_user("Administrator")
		make_aid_service(SERVICE)
		self.beneficiary = make_active_beneficiary().name

	def tearDown(self):
		frappe.set_user("Administrator")

	def submitted_request(self, days_from_today: int, state: str | None = None) -> str:
		"""A submitted request whose answer date is `days_from_today` away (negative: past)."""
		frappe.set_user(OFFICER)
		doc = make_request(self.beneficiary, SERVICE, submit=True)
		frappe.set_user("Administrator")
		values = {"expected_decision_date": add_days(today(), days_from_today)}
		if state:
			values["workflow_state"] = state
		frappe.db.set_value("Assistance Request", doc.name, values)
		return doc.name

	def rows_by_name(self, **filters):
		columns, data, _message, chart, summary = execute(filters)
		self.assertTrue(columns and chart and summary)
		return {row.name: row for row in data}

	def test_request_past_its_answer_date_is_overdue(self):
		late = self.submitted_request(-3)
		very_late = self.submitted_request(-10)
		frappe.set_user(MANAGER)
		rows = self.rows_by_name()
		self.assertIn(late, rows)
		self.assertEqual(rows[late].days_overdue, 3)
		self.assertEqual(rows[late].bucket_key, sla.OVERDUE)
		self.assertTrue(rows[late].bucket.startswith("Overdue"))
		self.assertEqual(rows[very_late].bucket_key, sla.OVERDUE_MORE_THAN_WEEK)
		self.assertEqual(rows[late].status, "Pending Verification")

	def test_request_due_in_two_days_is_due_soon(self):
		soon = self.submitted_request(2)
		ahead = self.submitted_request(10)
		frappe.set_user(MANAGER)
		rows = self.rows_by_name()
		self.assertEqual(rows[soon].bucket_key, sla.DUE_SOON)
		self.assertEqual(rows[soon].days_overdue, -2)
		self.assertEqual(rows[ahead].bucket_key, sla.ON_TRACK)

	def test_decided_and_draft_requests_are_not_listed(self):
		approved = self.submitted_request(-5, state="Approved")
		rejected = self.submitted_request(-5, state="Rejected")
		cancelled = self.submitted_request(-5, state="Cancelled")
		returned = self.submitted_request(-5, state="Returned")
		frappe.set_user(OFFICER)
		draft = make_request(self.beneficiary, SERVICE).name
		frappe.set_user(MANAGER)
		rows = self.rows_by_name()
		for name in (approved, rejected, cancelled, draft):
			self.assertNotIn(name, rows)
		self.assertIn(returned, rows)

	def test_filters(self):
		late = self.submitted_request(-3)
		soon = self.submitted_request(1)
		frappe.set_user(MANAGER)
		overdue = self.rows_by_name(bucket="Overdue", aid_service=SERVICE)
		self.assertIn(late, overdue)
		self.assertNotIn(soon, overdue)
		self.assertEqual(set(self.rows_by_name(bucket=sla.DUE_SOON)) & {late, soon}, {soon})
		self.assertNotIn(late, self.rows_by_name(aid_service="خدمة أخرى غير موجودة"))
		# as of a week ago, the late request was still ahead of its answer date
		then = self.rows_by_name(as_of_date=add_days(today(), -7))
		self.assertEqual(then[late].days_overdue, -4)
		self.assertEqual(then[late].bucket_key, sla.ON_TRACK)

	def test_summary_and_chart_count_buckets(self):
		self.submitted_request(-3)
		frappe.set_user(MANAGER)
		_columns, data, _message, chart, summary = execute({"aid_service": SERVICE})
		counts = {s["label"]: s["value"] for s in summary}
		expected = sum(1 for row in data if row.bucket_key == sla.OVERDUE)
		self.assertEqual(counts["Overdue 1-7 days"], expected)
		self.assertEqual(sum(chart["data"]["datasets"][0]["values"]), len(data))

	def test_overdue_number_card(self):
		frappe.set_user(MANAGER)
		before = overdue_requests()["value"]
		frappe.set_user("Administrator")
		self.submitted_request(-1)
		self.submitted_request(3)
		frappe.set_user(MANAGER)
		card = overdue_requests()
		self.assertEqual(card["value"], before + 1)
		self.assertEqual(card["route"], ["query-report", "Assistance Request Ageing"])

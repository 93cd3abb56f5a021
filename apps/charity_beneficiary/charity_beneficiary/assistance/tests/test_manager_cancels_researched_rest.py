"""R3.1, R3.3 over HTTP: what a Charity Manager can do with a request whose research is done.

The workflow offers "Cancel" only while nothing submitted links the request (frappe would refuse the
cancellation otherwise). A researched request is therefore not cancelled in one step: while it is still
under research the manager cancels the research report (his right; the report is kept, cancelled, with
its Version) and then the request; once it is before the committee, the committee decides (R3.3) —
it can reject it or return it, and the manager's cancellation is open again from Returned. No step is
offered that then fails, and there is no dead end."""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.assistance.doctype.research_report.test_research_report import (
	INCOME,
	MANAGER,
	RESEARCHER,
	SERVICE,
	make_criterion,
	make_users,
	report_doc,
	request_under_research,
)
from charity_beneficiary.disbursement.doctype.aid_disbursement.test_aid_disbursement import purge
from charity_beneficiary.tests.committed import purge_beneficiary
from charity_beneficiary.tests.factories import TEST_PASSWORD, make_active_beneficiary, make_aid_service


class TestManagerAndAResearchedRequest(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		from charity_beneficiary.tests.live_server import live_server

		super().setUpClass()
		make_users()  # committed: first, so that a failing set-up leaves no record behind them
		frappe.set_user("Administrator")
		cls.addClassCleanup(cls.remove_committed)
		make_aid_service(SERVICE, requires_research=1)
		make_criterion(INCOME, 3, "Test income per person")
		cls.beneficiary = make_active_beneficiary().name
		cls.reports = []
		cls.under_research = cls.researched()
		cls.at_committee = cls.researched()
		apply_workflow(frappe.get_doc("Assistance Request", cls.at_committee), "Send to Committee")
		frappe.set_user("Administrator")
		frappe.db.commit()  # the HTTP server is another process
		cls.server = live_server()
		cls.manager = cls.server.session(MANAGER, TEST_PASSWORD)

	@classmethod
	def researched(cls) -> str:
		request = request_under_research(cls.beneficiary).name
		frappe.set_user(RESEARCHER)
		report = report_doc(request, {INCOME: 6}).insert()
		report.submit()
		cls.reports.append(report.name)
		return request

	@classmethod
	def remove_committed(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		purge("Research Report", getattr(cls, "reports", []))
		purge_beneficiary(getattr(cls, "beneficiary", None))
		frappe.db.commit()

	def post(self, method: str, **data):
		return self.manager.post(f"{self.server.url}/api/method/{method}", data=data)

	def offered(self, request: str) -> set[str]:
		response = self.post(
			"frappe.model.workflow.get_transitions",
			doc=frappe.as_json({"doctype": "Assistance Request", "name": request}),
		)
		self.assertEqual(response.status_code, 200, response.text[:500])
		return {row["action"] for row in response.json()["message"]}

	def test_under_research_the_manager_cancels_the_report_then_the_request(self):
		request = self.under_research
		self.assertNotIn("Cancel", self.offered(request))  # the submitted report links it

		report = frappe.db.get_value("Assistance Request", request, "research_report")
		cancelled = self.post("frappe.client.cancel", doctype="Research Report", name=report)
		self.assertEqual(cancelled.status_code, 200, cancelled.text[:500])
		self.assertIn("Cancel", self.offered(request))

		doc = frappe.as_json({"doctype": "Assistance Request", "name": request})
		response = self.post("frappe.model.workflow.apply_workflow", doc=doc, action="Cancel")
		self.assertEqual(response.status_code, 200, response.text[:500])
		frappe.db.rollback()  # a fresh snapshot of what the server committed
		self.assertEqual(
			frappe.db.get_value("Assistance Request", request, ["workflow_state", "docstatus"]),
			("Cancelled", 2),
		)
		self.assertEqual(frappe.db.get_value("Research Report", report, "docstatus"), 2)  # kept, cancelled

	def test_before_the_committee_the_manager_is_offered_nothing_that_fails(self):
		request = self.at_committee
		self.assertNotIn("Cancel", self.offered(request))
		report = frappe.db.get_value("Assistance Request", request, "research_report")
		refused = self.post("frappe.client.cancel", doctype="Research Report", name=report)
		self.assertEqual(refused.status_code, 417, refused.text[:500])  # the committee decides now
		self.assertEqual(refused.json().get("exc_type"), "ResearchReportLockedError")
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Research Report", report, "docstatus"), 1)

"""The whole road of a request (R2–R3), each step by the user whose work it is:
Draft → Pending Verification → Under Research → Pending Committee → Approved."""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.tests.factories import (
	make_active_beneficiary,
	make_aid_service,
	make_meeting_as_members,
	make_request,
)
from charity_beneficiary.tests.users import role_email, role_user

COMMITTEE = "Research Committee Member"
OFFICER = role_email("Beneficiary Relations Officer")
RESEARCHER = role_email("Social Researcher")
MEMBERS = (role_email(COMMITTEE, 1), role_email(COMMITTEE, 2))


class TestRequestWalk(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		role_user("Beneficiary Relations Officer")
		role_user("Social Researcher")
		for nth in range(1, len(MEMBERS) + 1):
			role_user(COMMITTEE, nth)

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_draft_to_approved_by_each_role(self):
		service = make_aid_service("سداد إيجار (اختبار المسار)", requires_research=1, max_amount=6000).name
		beneficiary = make_active_beneficiary().name

		frappe.set_user(OFFICER)
		request = make_request(beneficiary, service, requested_amount=4000, submit=True)
		self.assertEqual(request.workflow_state, "Pending Verification")
		request.researcher = RESEARCHER
		request.save()
		request = apply_workflow(request, "Send to Research")
		self.assertEqual(request.workflow_state, "Under Research")

		frappe.set_user(RESEARCHER)
		criteria = frappe.get_all("Need Criterion", filters={"is_active": 1}, pluck="name")
		report = frappe.get_doc(
			{
				"doctype": "Research Report",
				"assistance_request": request.name,
				"researcher": RESEARCHER,
				"visit_type": "Home Visit",
				"findings": "الأسرة تسكن في شقة مستأجرة ومتأخرة عن سداد الإيجار ثلاثة أشهر.",
				"housing_condition": "Poor",
				"financials": [
					{
						"line_type": "Income",
						"description": "ضمان اجتماعي",
						"monthly_amount": 1800,
						"verified": 1,
					},
					{"line_type": "Expense", "description": "إيجار", "monthly_amount": 1500, "verified": 1},
				],
				"scores": [{"criterion": c, "score": 8} for c in criteria],
				"recommendation": "Approve",
			}
		).insert()
		report.submit()
		self.assertEqual(report.need_score, 80)
		request = apply_workflow(frappe.get_doc("Assistance Request", request.name), "Send to Committee")
		self.assertEqual(request.workflow_state, "Pending Committee")
		self.assertEqual(request.research_report, report.name)

		frappe.set_user(MEMBERS[0])
		meeting = make_meeting_as_members(  # each member records his own vote
			{
				"doctype": "Research Committee Meeting",
				"quorum": 2,
				"members": [{"member": m, "attended": 1} for m in MEMBERS],
				"agenda": [{"assistance_request": request.name, "decision": "Approved"}],
				"votes": [{"assistance_request": request.name, "member": m, "vote": "For"} for m in MEMBERS],
				"minutes": "اجتمعت اللجنة ودرست الطلب وتقرير البحث.",
			}
		)
		meeting.submit()

		request.reload()
		self.assertEqual(request.workflow_state, "Approved")
		self.assertEqual(request.decision, "Approved")
		self.assertEqual(request.approved_amount, 4000)
		self.assertEqual(request.committee_meeting, meeting.name)
		self.assertEqual(meeting.agenda[0].votes_for, 2)
		# every state is optional (issue 14): the staff work from the workspace's queues, and no step
		# left a frappe Workflow Action behind for anybody's inbox
		self.assertFalse(
			frappe.db.exists(
				"Workflow Action", {"reference_doctype": request.doctype, "reference_name": request.name}
			)
		)

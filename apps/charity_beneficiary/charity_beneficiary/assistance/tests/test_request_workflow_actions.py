"""Requests make no frappe Workflow Actions (issue 14): every state of their workflow is optional.

frappe inserted a Workflow Action, with its roles, on every step of every request (a second record
per filing, growing for good at a season's size) for an inbox that repeats the workspace's queues,
one per state. The workflow marks each state optional, frappe's own switch for that; a patch removes
the open actions made before, which nothing would complete any more."""

import frappe
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.patches.v15_0 import drop_open_request_workflow_actions
from charity_beneficiary.tests.factories import make_active_beneficiary, make_aid_service, make_request

DOCTYPE = "Assistance Request"


def workflow_action(reference_doctype: str, reference_name: str, status: str) -> str:
	action = frappe.get_doc(
		{
			"doctype": "Workflow Action",
			"reference_doctype": reference_doctype,
			"reference_name": reference_name,
			"workflow_state": "Pending Verification",
			"status": status,
			"permitted_roles": [{"role": "Beneficiary Relations Officer"}],
		}
	).insert(ignore_permissions=True)
	return action.name


class TestRequestWorkflowActions(FrappeTestCase):
	def test_every_state_of_the_request_workflow_is_optional(self):
		states = frappe.get_all(
			"Workflow Document State",
			filters={"parenttype": "Workflow", "parent": DOCTYPE},
			fields=["state", "is_optional_state"],
		)
		self.assertTrue(states)
		self.assertEqual([s.state for s in states if not s.is_optional_state], [])

	def test_a_submitted_request_makes_none(self):
		service = make_aid_service("مساعدة نقدية (اختبار إجراءات الصندوق)").name
		request = make_request(make_active_beneficiary().name, service, submit=True)
		self.assertEqual(request.workflow_state, "Pending Verification")
		self.assertFalse(
			frappe.db.exists(
				"Workflow Action", {"reference_doctype": DOCTYPE, "reference_name": request.name}
			)
		)

	def test_the_patch_removes_open_request_actions_with_their_roles(self):
		request = make_request(make_active_beneficiary().name, make_aid_service().name, submit=True).name
		open_action = workflow_action(DOCTYPE, request, "Open")
		completed = workflow_action(DOCTYPE, request, "Completed")
		# another DocType's inbox is not the patch's business
		todo = frappe.get_doc({"doctype": "ToDo", "description": "صندوق آخر"}).insert().name
		other = workflow_action("ToDo", todo, "Open")

		drop_open_request_workflow_actions.execute()
		drop_open_request_workflow_actions.execute()  # safe to run again

		self.assertFalse(frappe.db.exists("Workflow Action", open_action))
		self.assertFalse(frappe.db.exists("Workflow Action Permitted Role", {"parent": open_action}))
		for kept in (completed, other):
			self.assertTrue(frappe.db.exists("Workflow Action", kept))
			self.assertTrue(frappe.db.exists("Workflow Action Permitted Role", {"parent": kept}))

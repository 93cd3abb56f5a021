"""Requests no longer get frappe's Workflow Actions (issue 14): every state of their workflow is
optional (fixtures/workflow.json), and the staff work from the workspace's queues, one per state.
The open actions made before would stay in the staff's Workflow Action list for good, since nothing
completes them now: remove them with their roles. Completed ones are history and stay. Set-based,
and safe to run again."""

import frappe
from frappe.query_builder import DocType


def execute():
	action, role = DocType("Workflow Action"), DocType("Workflow Action Permitted Role")
	open_actions = (
		frappe.qb.from_(action)
		.select(action.name)
		.where((action.reference_doctype == "Assistance Request") & (action.status == "Open"))
	)
	# the roles first, while their actions still say which they are
	frappe.qb.from_(role).delete().where(
		(role.parenttype == "Workflow Action") & role.parent.isin(open_actions)
	).run()
	frappe.qb.from_(action).delete().where(
		(action.reference_doctype == "Assistance Request") & (action.status == "Open")
	).run()

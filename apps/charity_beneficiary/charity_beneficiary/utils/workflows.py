"""frappe's workflow check of a save, with the workflow read from frappe's cache (issue 14).

On every submit, cancel and update after submit, frappe's `Document.validate_workflow` ends with
`set_workflow_state_on_action`, which loads the Workflow with `frappe.get_doc`: the Assistance
Request's 10 states and 22 transitions, three queries and a Document for every row, on each filing
and each decision, only to find that the request already has a state of its docstatus. frappe's own
`validate_workflow`, the line before, reads the same workflow from frappe's cache (`get_workflow`),
which frappe clears when the workflow is saved. A controller with a workflow calls `validate` below
from its `validate_workflow`: the same rules, on the cached workflow.
"""

import frappe
from frappe.model.workflow import get_workflow, validate_workflow
from frappe.utils import cint

# the docstatus of the state frappe gives a document on each action (set_workflow_state_on_action)
DOCSTATUS_OF_ACTION = {"submit": 1, "update_after_submit": 1, "cancel": 2}


def validate(doc) -> None:
	"""frappe's Document.validate_workflow: who may move the document to its state, then its state
	on a submit or a cancel."""
	if frappe.flags.in_install == "frappe" or not doc.meta.get_workflow():
		return
	validate_workflow(doc)
	if doc._action != "save":
		set_state_on_action(doc, get_workflow(doc.doctype), doc._action)


def set_state_on_action(doc, workflow, action: str) -> None:
	"""frappe's set_workflow_state_on_action on the given workflow: a state that does not fit the
	document's docstatus becomes the first state of the docstatus of `action`."""
	field = workflow.workflow_state_field
	states = workflow.states
	if any(state.state == doc.get(field) and doc.docstatus == cint(state.doc_status) for state in states):
		return
	docstatus = DOCSTATUS_OF_ACTION[action]
	for state in states:
		if cint(state.doc_status) == docstatus:
			doc.set(field, state.state)
			return

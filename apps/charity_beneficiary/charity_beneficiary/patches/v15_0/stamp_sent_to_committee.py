"""Requests waiting for the research committee since before `sent_to_committee_on` was kept get the day
of the Version that recorded their move to "Pending Committee" (their meeting is not dated before it)."""

import json

import frappe

COMMITTEE_STATE = "Pending Committee"


def execute():
	pending = frappe.get_all(
		"Assistance Request",
		# only a request waiting for the committee is held to the day (a meeting to come)
		filters={
			"docstatus": 1,
			"workflow_state": COMMITTEE_STATE,
			"sent_to_committee_on": ("is", "not set"),
		},
		pluck="name",
	)
	if not pending:
		return
	reached = {}
	for version in frappe.get_all(
		"Version",
		filters={
			"ref_doctype": "Assistance Request",
			"docname": ("in", pending),
			"data": ("like", f"%{COMMITTEE_STATE}%"),
		},
		fields=["docname", "creation", "data"],
	):
		if entered_committee(version.data) and version.creation > reached.get(
			version.docname, version.creation.min
		):
			reached[version.docname] = version.creation
	for name, when in reached.items():
		frappe.db.set_value("Assistance Request", name, "sent_to_committee_on", when, update_modified=False)


def entered_committee(data: str | None) -> bool:
	try:
		changed = json.loads(data or "{}").get("changed") or []
	except (TypeError, ValueError, AttributeError):
		return False
	return any(
		isinstance(change, list)
		and len(change) == 3
		and change[0] == "workflow_state"
		and change[2] == COMMITTEE_STATE
		for change in changed
	)

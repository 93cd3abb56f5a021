"""Service-request calls (R2.4): ERPNext's Call Log, linked to the request and its beneficiary
through its links table, so ERPNext shows the call on both timelines."""

import frappe

# Who logs and reads calls besides ERPNext's own roles.
CALL_LOG_ROLES = ("Beneficiary Relations Officer", "Charity Manager")


def link_request_beneficiary(call_log, method=None) -> None:
	"""doc_event of Call Log: a call about a request is also a call with its beneficiary."""
	linked = {(link.link_doctype, link.link_name) for link in call_log.links}
	for doctype, name in list(linked):
		if doctype != "Assistance Request":
			continue
		beneficiary = frappe.db.get_value("Assistance Request", name, "beneficiary")
		if beneficiary and ("Beneficiary", beneficiary) not in linked:
			call_log.append("links", {"link_doctype": "Beneficiary", "link_name": beneficiary})
			linked.add(("Beneficiary", beneficiary))


def add_call_log_permissions() -> None:
	from frappe.permissions import add_permission, update_permission_property

	for role in CALL_LOG_ROLES:
		# a rule that exists keeps the rights an administrator left it (migrate runs this again)
		if frappe.db.exists("Custom DocPerm", {"parent": "Call Log", "role": role, "permlevel": 0}):
			continue
		add_permission("Call Log", role, 0)
		for ptype in ("write", "create", "report"):
			update_permission_property("Call Log", role, 0, ptype, 1, validate=False)

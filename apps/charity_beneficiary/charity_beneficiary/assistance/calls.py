"""Service-request calls (R2.4): ERPNext's Call Log, linked to the request and its beneficiary
through its links table, so ERPNext shows the call on both timelines.

ERPNext's Call Log is written by a telephony integration: it is named from the provider's call `id`
and its call fields are read-only. Staff without such an integration log their calls by hand, so a
call without an `id` gets one here, and the fields the officer fills are editable (property setters).
ERPNext's timeline template and form put `recording_url` into an HTML attribute unescaped: only a
plain http(s) address is stored."""

import frappe
from frappe import _
from frappe.custom.doctype.property_setter.property_setter import make_property_setter

from charity_beneficiary.verification.web_addresses import is_plain_web_url

# Who logs and reads calls besides ERPNext's own roles.
CALL_LOG_ROLES = ("Beneficiary Relations Officer", "Charity Manager")

# what an officer enters for a call he logs by hand (ERPNext makes them read-only)
MANUAL_CALL_FIELDS = ("type", "status", "from", "to", "duration")


class InvalidRecordingURLError(frappe.ValidationError):
	pass


def set_call_id(call_log, method=None) -> None:
	"""doc_event of Call Log (before_insert, before frappe names it): a call logged by hand gets a
	unique id to be named by, and the staff member who logs it unless he names another. A telephony
	integration's call (its provider's id) is left as it is."""
	if (call_log.id or "").strip():
		return
	call_log.id = frappe.generate_hash(length=12)
	if not call_log.employee_user_id:
		call_log.employee_user_id = frappe.session.user


def validate_recording_url(call_log, method=None) -> None:
	"""doc_event of Call Log: the recording is a plain absolute web address, nothing else."""
	url = call_log.recording_url
	if not url:
		return
	if not is_plain_web_url(url):
		frappe.throw(
			_("The recording link must be a plain web address starting with http:// or https://."),
			exc=InvalidRecordingURLError,
			title=_("Invalid Recording Link"),
		)


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


def allow_manual_call_entry() -> None:
	"""The call fields an officer fills by hand are editable; a property setter that exists (maybe an
	administrator's) is kept (migrate runs this again)."""
	for fieldname in MANUAL_CALL_FIELDS:
		if frappe.db.exists(
			"Property Setter", {"doc_type": "Call Log", "field_name": fieldname, "property": "read_only"}
		):
			continue
		make_property_setter("Call Log", fieldname, "read_only", "0", "Check")


def remove_manual_call_entry() -> None:
	"""Uninstall: ERPNext's Call Log gets its read-only call fields back. Only the property setters
	allow_manual_call_entry made go (system-generated, still as made); an administrator's stay."""
	for fieldname in MANUAL_CALL_FIELDS:
		frappe.db.delete(
			"Property Setter",
			{
				"doc_type": "Call Log",
				"field_name": fieldname,
				"property": "read_only",
				"value": "0",
				"is_system_generated": 1,
			},
		)
	frappe.clear_cache(doctype="Call Log")

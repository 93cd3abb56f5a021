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


# Who may name another staff member as the one on a call: a telephony integration (it posts as Guest or
# as a system user) and the manager, who logs a call for an officer. The calls are the staff's record
# of service (R2.4: "to evaluate performance"): an officer logs his own.
NAMES_THE_STAFF_MEMBER = frozenset(("System Manager", "Charity Manager"))
# A call's duration, in seconds: none is longer than a day (and frappe stores at most a decimal(21,9)).
MAX_CALL_SECONDS = 24 * 60 * 60


class InvalidRecordingURLError(frappe.ValidationError):
	pass


class InvalidCallDurationError(frappe.ValidationError):
	pass


def set_call_id(call_log, method=None) -> None:
	"""doc_event of Call Log (before_insert, before frappe names it): a call logged by hand gets a
	unique id to be named by; a telephony integration's call (its provider's id) keeps its own. The
	staff member is the one who logs it (check_staff_member)."""
	if not (call_log.id or "").strip():
		call_log.id = frappe.generate_hash(length=12)
	if not call_log.employee_user_id and frappe.session.user != "Guest":
		call_log.employee_user_id = frappe.session.user


def names_the_staff_member(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user in ("Administrator", "Guest") or bool(NAMES_THE_STAFF_MEMBER & set(frappe.get_roles(user)))


def check_staff_member(call_log, method=None) -> None:
	"""doc_event of Call Log (validate): an officer's call is his own — he neither credits it to the
	manager nor changes whose a call is (an officer named the manager, or a researcher, as the staff
	member on calls he logged)."""
	if names_the_staff_member():
		return
	before = None if call_log.is_new() else call_log.get_doc_before_save()
	expected = {before.employee_user_id} if before else {frappe.session.user, receiving_staff(call_log)}
	if (call_log.employee_user_id or None) not in expected:
		frappe.throw(
			_("The staff member on a call is the one who logs it"),
			exc=frappe.PermissionError,
			title=_("Not Permitted"),
		)


def receiving_staff(call_log) -> str | None:
	"""Who ERPNext says received an incoming call: the employee whose number it was made to (its
	before_insert sets him, before this check)."""
	if not call_log.is_incoming_call():
		return None
	from erpnext.telephony.doctype.call_log.call_log import get_employees_with_number

	employees = get_employees_with_number(call_log.get("to"))
	return employees[0].get("user_id") if employees else None


def validate_duration(call_log, method=None) -> None:
	"""doc_event of Call Log (validate): a duration in seconds, from none to a day. Text or a huge number
	reached the database and answered with a 500; a negative one was stored."""
	if call_log.duration in (None, ""):
		return
	try:
		seconds = float(call_log.duration)
	except (TypeError, ValueError):
		seconds = -1
	if not 0 <= seconds <= MAX_CALL_SECONDS:
		frappe.throw(
			_("The call's duration is a number of seconds from 0 to {0}").format(MAX_CALL_SECONDS),
			exc=InvalidCallDurationError,
			title=_("Invalid Input"),
		)
	call_log.duration = seconds


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

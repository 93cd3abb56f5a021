"""Fields that only the app's own code writes, and the guard that refuses them from users.

`read_only` in a DocType is a hint to the desk form, not a permission: REST, web forms and
`frappe.client` accept any field the user may write. A decision, a balance, a deadline or a
research outcome is therefore written only by the code path that owns it, which marks its
writes with `owner_writes(...)`; the same field sent by anyone else — whatever his roles — is
refused with `CodeOwnedFieldError` (HTTP 403), and nothing is saved.

The guard compares what arrives with what is stored (or with the field's default for a new
document), so a desk form that sends the unchanged value back still saves. Code that writes with
`frappe.db.set_value` bypasses documents altogether; it goes through `audit.set_values` so that
the change still leaves a Version on the record.
"""

from __future__ import annotations

from contextlib import contextmanager

import frappe
from frappe import _
from frappe.utils import cint, cstr, flt, get_datetime, getdate

# --- the owners --------------------------------------------------------------------------------------
COMMITTEE = "Research Committee Meeting"  # the meeting's submission applies its decisions
DISBURSEMENT = "Aid Disbursement"  # submitting or cancelling a disbursement moves the balance
RESEARCH = "Research Report"  # the submitted report gives the score and recommendation
SLA = "Answer date"  # set at submission from the service's decision period (R3.2)
REFERRAL = "Referral"  # refer_to_researcher / answer_referral
RETURN = "Return for information"  # return_request: the officer's or researcher's reason
RECEIPT = "Receipt"  # the receipt's signature time
REGISTRATION = "Registration"  # the portal account and the declaration
FEEDBACK = "Feedback handling"  # response, closure and escalation of complaints
SURVEY = "Survey"  # invitations and answers are made by the survey code
DUPLICATES = "Duplicate check"  # the fuzzy match that puts a pair on the review list
PROGRAMME = "Aid Programme"  # a seasonal programme's run: its requests, lines and ledger (R6.2)
REMINDERS = "Reminders"  # the daily expiry and review jobs, and the research report's review (R6.2)
SENT_TO_COMMITTEE = "Send to Committee"  # the workflow step stamps when the request reached it

# DocType -> {fieldname: owner or owners}. Child-table fields are listed under the child DocType.
CODE_OWNED: dict[str, dict[str, str | tuple[str, ...]]] = {
	"Assistance Request": {
		# a programme's request carries the committee's decision on the programme (programmes/run.py)
		"decision": (COMMITTEE, RETURN, PROGRAMME),
		"approved_amount": (COMMITTEE, PROGRAMME),
		"approved_items": (COMMITTEE, PROGRAMME),
		"decision_reason": (COMMITTEE, RETURN, PROGRAMME),
		"committee_meeting": (COMMITTEE, PROGRAMME),
		"decided_on": (COMMITTEE, PROGRAMME),
		"sent_to_committee_on": SENT_TO_COMMITTEE,
		"disbursed_amount": (DISBURSEMENT, PROGRAMME),
		"served_amount": (DISBURSEMENT, PROGRAMME),
		"remaining_amount": (DISBURSEMENT, PROGRAMME),
		"fully_disbursed": (DISBURSEMENT, PROGRAMME),
		"expected_decision_date": SLA,
		"expected_decision_date_hijri": SLA,
		"research_report": RESEARCH,
		"need_score": RESEARCH,
		"recommendation": RESEARCH,
		"referral_question": REFERRAL,
		"referred_to": REFERRAL,
		"referred_by": REFERRAL,
		"referred_on": REFERRAL,
		"referral_answer": REFERRAL,
		"answered_by": REFERRAL,
		"answered_on": REFERRAL,
	},
	"Assistance Request Item": {
		"disbursed_qty": (DISBURSEMENT, PROGRAMME),
		"disbursed_stock_qty": (DISBURSEMENT, PROGRAMME),
		# the approval's unit, frozen by the request's own save (balance.freeze_factors)
		"conversion_factor": (COMMITTEE, PROGRAMME),
	},
	"Aid Programme": {
		"approval_status": (COMMITTEE, PROGRAMME),
		"committee_meeting": COMMITTEE,
		"approved_on": COMMITTEE,
		"decision_reason": COMMITTEE,
		"run_status": PROGRAMME,
		"stop_requested": PROGRAMME,
		"paid_count": PROGRAMME,
		"paid_amount": PROGRAMME,
		# computed from the lines on every save (aid_programme.py); never taken from the user
		"eligible_count": PROGRAMME,
		"selected_count": PROGRAMME,
		"total_amount": PROGRAMME,
	},
	"Aid Programme Line": {
		# what a household is and gets: read from its file and the entitlement on every save
		"beneficiary_name": PROGRAMME,
		"branch": PROGRAMME,
		"categories": PROGRAMME,
		"household_size": PROGRAMME,
		"need_score": PROGRAMME,
		"amount": PROGRAMME,
		"items_summary": PROGRAMME,
		"beyond_budget": PROGRAMME,
		# the run's
		"status": PROGRAMME,
		"assistance_request": PROGRAMME,
		"journal_entry": PROGRAMME,
		"stock_entry": PROGRAMME,
		"paid_on": PROGRAMME,
		"notified": PROGRAMME,
		# signed through programmes/receipts.sign_receipt only
		"receiver_type": RECEIPT,
		"received_by": RECEIPT,
		"receiver_relation": RECEIPT,
		"received_on": RECEIPT,
		"receiver_signature": RECEIPT,
	},
	"Aid Disbursement": {
		"journal_entry": DISBURSEMENT,
		"stock_entry": DISBURSEMENT,
		"purchase_invoice": DISBURSEMENT,
		"receiver_relation": RECEIPT,
		"received_on": RECEIPT,
	},
	"Beneficiary": {
		"need_score": RESEARCH,
		"user": REGISTRATION,
		"declaration_on": REGISTRATION,
		"declaration_taken_by": REGISTRATION,
		"due_for_review": REMINDERS,
		"documents_expired": REMINDERS,
	},
	"Beneficiary Duplicate Review": {"similarity": DUPLICATES, "match_reason": DUPLICATES},
	"Beneficiary Feedback": {
		"due_date": FEEDBACK,
		"responded_on": FEEDBACK,
		"responded_by": FEEDBACK,
		"resolution_days": FEEDBACK,
		"closed_on": FEEDBACK,
		"escalated_on": FEEDBACK,
		"resolution_satisfaction": FEEDBACK,
	},
	# the invitation, its token and its answer are the survey code's (service_quality/survey.py); the
	# fetched beneficiary_name is left out: frappe refreshes it from the beneficiary
	"Survey Invitation": {
		field: SURVEY
		for field in (
			"beneficiary",
			"assistance_request",
			"aid_disbursement",
			"survey_template",
			"status",
			"sent_on",
			"expires_on",
			"answered_on",
			"survey_response",
			"aid_service",
			"branch",
			"channel",
			"token",
			"served_by",
		)
	},
	"Survey Response": {
		field: SURVEY
		for field in (
			"survey_template",
			"survey_invitation",
			"beneficiary",
			"assistance_request",
			"aid_disbursement",
			"aid_service",
			"branch",
			"channel",
			"submitted_on",
			"satisfaction_score",
			"average_rating",
			"nps_score",
			"nps_category",
			"served_by",
			"answers",  # a row removed or added (the rows' own fields are listed under Survey Answer)
		)
	},
	"Survey Answer": {
		field: SURVEY for field in ("question", "question_type", "answer", "value", "score", "question_row")
	},
}

# Which roles may change which field of a SUBMITTED document of the app (R3.3, R4.3). Every field
# that frappe lets change after submit (`allow_on_submit`) is listed; a field not listed here cannot
# change after submission at all (frappe refuses it). CODE means: no user, only its owner's code.
# WORKFLOW means: only through a transition of the Assistance Request workflow, by its roles.
CODE = frozenset()
WORKFLOW = "workflow"
RECEIPT_SIGNERS = frozenset(
	{"Charity Accountant", "Charity Storekeeper", "Charity Manager", "System Manager"}
)
AFTER_SUBMIT: dict[str, dict[str, frozenset | str]] = {
	"Assistance Request": {
		"workflow_state": WORKFLOW,
		# assigning the researcher is the officer's step before "Send to Research" (level 1)
		"researcher": frozenset(
			{"Beneficiary Relations Officer", "Social Researcher", "Charity Manager", "System Manager"}
		),
		**{field: CODE for field in CODE_OWNED["Assistance Request"]},
	},
	"Aid Disbursement": {
		# the receipt is signed on the submitted voucher by whoever hands the aid over
		"receiver_type": RECEIPT_SIGNERS,
		"received_by": RECEIPT_SIGNERS,
		"receiver_signature": RECEIPT_SIGNERS,
		"receiver_relation": CODE,
		"received_on": CODE,
	},
	"Research Report": {},
	"Research Committee Meeting": {},
	"Aid Programme": {},
}


class CodeOwnedFieldError(frappe.PermissionError):
	"""A user tried to write a field that only the app's own code writes."""


@contextmanager
def owner_writes(owner: str):
	"""Marks the writes of `owner`'s code path: inside it, that owner's fields may change."""
	owners = frappe.local.flags.setdefault("charity_code_owners", [])
	owners.append(owner)
	try:
		yield
	finally:
		owners.pop()


def writing_as(owner: str | tuple[str, ...]) -> bool:
	active = frappe.local.flags.get("charity_code_owners") or ()
	owners = owner if isinstance(owner, tuple) else (owner,)
	return any(o in active for o in owners)


def refuse_user_changes(doc) -> None:
	"""Raise CodeOwnedFieldError when `doc` changes a code-owned field outside its owner's code.

	Called first thing in the controllers' before_validate / before_update_after_submit, before the
	controller itself computes any of these fields."""
	changed = [
		df.label or df.fieldname
		for row, df in _owned_fields(doc)
		if not writing_as(CODE_OWNED[row.doctype][df.fieldname])
		and _changed(row, df)
		and not _set_by_workflow(row, df.fieldname)
	]
	if changed:
		frappe.throw(
			_("These fields are set by the system and cannot be changed by hand: {0}").format(
				", ".join(_(label) for label in dict.fromkeys(changed))
			),
			exc=CodeOwnedFieldError,
			title=_("Not Permitted"),
		)


def _set_by_workflow(doc, fieldname: str) -> bool:
	"""A workflow state may write a field of its own (`update_field`, e.g. the request's decision
	"Returned"): that write is the workflow's, checked by the workflow's transition rules."""
	from frappe.model.workflow import get_workflow_name

	workflow = get_workflow_name(doc.doctype)
	if not workflow or doc.get("parenttype"):
		return False
	state_field = frappe.get_cached_value("Workflow", workflow, "workflow_state_field")
	before = doc.get_doc_before_save()
	if not before or before.get(state_field) == doc.get(state_field):
		return False
	state = next(
		(s for s in frappe.get_cached_doc("Workflow", workflow).states if s.state == doc.get(state_field)),
		None,
	)
	return bool(
		state and state.update_field == fieldname and cstr(doc.get(fieldname)) == cstr(state.update_value)
	)


def _owned_fields(doc):
	"""(row, docfield) for every code-owned field of the document and of its child rows."""
	for row in [doc, *doc.get_all_children()]:
		for fieldname in CODE_OWNED.get(row.doctype, ()):
			df = row.meta.get_field(fieldname)
			if df:
				yield row, df


def _changed(row, df) -> bool:
	before = _stored_row(row)
	if df.fieldtype == "Table":
		new = _table_value(row.get(df.fieldname))
		old = _table_value(before.get(df.fieldname)) if before else []
		return new != old
	old = before.get(df.fieldname) if before else df.default
	return _normalise(df, row.get(df.fieldname)) != _normalise(df, old)


def _stored_row(row):
	"""The stored version of `row` (a document or a child row), or None when it is new.

	frappe loads the stored document before the before-save methods run (get_doc_before_save)."""
	parent = row.parent_doc if row.get("parenttype") else row
	stored = parent.get_doc_before_save()
	if row is parent or not stored:
		return stored
	if not row.name:
		return None
	return _stored_rows_by_name(stored, row.parentfield).get(row.name)


def _stored_rows_by_name(stored, parentfield: str) -> dict:
	"""The stored rows of a table by name, indexed once per stored document: a programme of 10,000
	lines compares every owned field of every line, and a scan per field made its save quadratic."""
	index = stored.flags.setdefault("charity_rows_by_name", {})
	if parentfield not in index:
		index[parentfield] = {r.name: r for r in stored.get(parentfield) or []}
	return index[parentfield]


def _table_value(rows) -> list:
	"""A child table as comparable data: the user-facing fields of each row, in order."""
	keep = ("item_code", "qty", "uom")
	return [tuple(cstr(_get(r, k)) if k != "qty" else flt(_get(r, k)) for k in keep) for r in rows or []]


def _get(row, key):
	return row.get(key) if hasattr(row, "get") else None


def _normalise(df, value):
	"""Values as the database would store them, so "5" and 5.0, or a date and its string, agree."""
	if value in (None, ""):
		return None if df.fieldtype not in ("Currency", "Float", "Int", "Check", "Percent") else 0
	try:
		if df.fieldtype in ("Currency", "Float", "Percent"):
			return flt(value, 6)
		if df.fieldtype in ("Int", "Check"):
			return cint(value)
		if df.fieldtype == "Date":
			return getdate(value)
		if df.fieldtype == "Datetime":
			return get_datetime(value)
	except (TypeError, ValueError, frappe.ValidationError):
		return ("unparseable", cstr(value))
	return cstr(value)

"""The Research Committee decides a seasonal programme in its meeting, as it decides a request (R3.3,
R6.2): the programme is an agenda row, its votes count towards the same quorum and majority rules
(research_committee_meeting.py), and submitting the meeting applies the decision here.

The decision fields of the programme (approval_status, committee_meeting, approved_on,
decision_reason) are code-owned by the committee: nothing else writes them.
"""

import frappe
from frappe import _
from frappe.utils import flt

from charity_beneficiary.utils import audit, code_owned

PENDING = "Pending Committee"
# the meeting's decision -> the programme's approval_status
DECISIONS = ("Approved", "Rejected", "Returned")


class ProgrammeAgendaError(frappe.ValidationError):
	pass


def check_on_agenda(item) -> None:
	"""The agenda row names a submitted programme waiting for the committee; its figures are copied."""
	programme = frappe.db.get_value(
		"Aid Programme",
		item.aid_programme,
		["docstatus", "approval_status", "title", "aid_service", "total_amount"],
		as_dict=True,
	)
	if not programme or programme.docstatus != 1 or programme.approval_status != PENDING:
		frappe.throw(
			_("Agenda row {0}: programme {1} is not waiting for a committee decision").format(
				item.idx, item.aid_programme
			),
			exc=ProgrammeAgendaError,
		)
	item.beneficiary_name = programme.title
	item.aid_service = programme.aid_service
	item.requested_amount = programme.total_amount


def validate_decision(item) -> None:
	if item.decision not in DECISIONS:
		frappe.throw(
			_(
				"Programme {0} is approved in full, rejected or returned; exclude households before sending it to approve less"
			).format(item.aid_programme),
			exc=ProgrammeAgendaError,
		)
	item.approved_amount = flt(item.requested_amount) if item.decision == "Approved" else 0


def apply_decision(meeting, item) -> None:
	"""On the meeting's submission: the programme takes the decision, under a lock on its row."""
	status = frappe.db.sql(
		"select approval_status from `tabAid Programme` where name = %s for update", item.aid_programme
	)
	if not status or status[0][0] != PENDING:
		frappe.throw(
			_("Programme {0} is no longer waiting for a committee decision").format(item.aid_programme),
			exc=ProgrammeAgendaError,
		)
	with code_owned.owner_writes(code_owned.COMMITTEE):
		audit.set_values(
			"Aid Programme",
			item.aid_programme,
			{
				"approval_status": item.decision,
				"committee_meeting": meeting.name,
				"approved_on": meeting.meeting_date,
				"decision_reason": (item.reason or "").strip() or None,
			},
		)

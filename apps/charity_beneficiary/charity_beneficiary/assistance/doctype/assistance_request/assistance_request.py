# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt, getdate, now_datetime, today

from charity_beneficiary.assistance import decisions, request_numbers, sla
from charity_beneficiary.assistance.eligibility import check_eligibility
from charity_beneficiary.assistance.states import (
	CANCELLED_STATE,
	COMMITTEE_STATE,
	DECISION_STATES,
	DISBURSABLE_STATES,
	REJECTED_STATE,
	RESEARCH_STATE,
	RETURNED_STATE,
	VERIFICATION_STATE,
)
from charity_beneficiary.beneficiaries import portal
from charity_beneficiary.disbursement.balance import (
	check_approval_covers_served,
	conversion_factor,
	freeze_factors,
)
from charity_beneficiary.utils import code_owned, workflows
from charity_beneficiary.utils.input_guard import checked
from charity_beneficiary.verification import hijri_display


class ResearchRequiredError(frappe.ValidationError):
	pass


class NoResearcherError(frappe.ValidationError):
	pass


class DecisionError(frappe.ValidationError):
	pass


class ResearcherChangeError(frappe.ValidationError):
	pass


class CancelOutsideWorkflowError(frappe.ValidationError):
	pass


# a request is assigned (or re-assigned) to a researcher while it is handled before the committee;
# afterwards its researcher is the one whose report the committee decided on
ASSIGNABLE_STATES = (VERIFICATION_STATE, RESEARCH_STATE, RETURNED_STATE)


class AssistanceRequest(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from charity_beneficiary.assistance.doctype.assistance_request_item.assistance_request_item import (
			AssistanceRequestItem,
		)

		aid_service: DF.Link
		amended_from: DF.Link | None
		answered_by: DF.Link | None
		answered_on: DF.Datetime | None
		approved_amount: DF.Currency
		approved_items: DF.Table[AssistanceRequestItem]
		beneficiary: DF.Link
		beneficiary_name: DF.Data | None
		branch: DF.Link | None
		channel: DF.Literal[
			"In-person Interview",
			"Phone Call",
			"Social Media",
			"Letter",
			"Help Request Service",
			"Volunteer Service",
			"Website",
			"Branch Representative",
		]
		committee_meeting: DF.Link | None
		contact_email: DF.Data | None
		contact_mobile: DF.Data | None
		decided_on: DF.Date | None
		decision: DF.Literal["", "Approved", "Partly Approved", "Rejected", "Returned"]
		decision_reason: DF.SmallText | None
		delivery_type: DF.Literal["Cash", "In-Kind", "Provider Service"]
		description: DF.SmallText
		disbursed_amount: DF.Currency
		expected_decision_date: DF.Date | None
		expected_decision_date_hijri: DF.Data | None
		fully_disbursed: DF.Check
		naming_series: DF.Literal["ASR-.YYYY.-.#####"]
		need_score: DF.Float
		received_by: DF.Link | None
		received_on: DF.Date
		recommendation: DF.Data | None
		referral_answer: DF.SmallText | None
		referral_question: DF.SmallText | None
		referred_by: DF.Link | None
		referred_on: DF.Datetime | None
		referred_to: DF.Link | None
		remaining_amount: DF.Currency
		requested_amount: DF.Currency
		requested_items: DF.Table[AssistanceRequestItem]
		requires_research: DF.Check
		research_report: DF.Link | None
		researcher: DF.Link | None
		sent_to_committee_on: DF.Datetime | None
		served_amount: DF.Currency
		service_guidelines: DF.TextEditor | None
		workflow_state: DF.Link | None
	# end: auto-generated types

	def autoname(self):
		# a MariaDB sequence, not frappe's naming series: no lock held until the commit (request_numbers.py)
		self.name = request_numbers.next_name()

	def before_validate(self):
		code_owned.refuse_user_changes(self)
		self.set_received_by()
		if portal.is_portal_user():
			self.set_portal_intake()
		elif self.docstatus == 1 and not self.is_new():
			# frappe fetches name, contact and branch from the beneficiary on a draft's saves, not on
			# the save that submits it: what that save sent would be frozen, and the notices go to it
			portal.set_beneficiary_values(self)

	def validate(self):
		self.set_service_rules()
		self.validate_received_on()
		self.validate_requested()
		freeze_factors(self.approved_items)

	def before_submit(self):
		check_eligibility(self)
		self.set_expected_decision_date()

	def validate_workflow(self):
		# frappe's check, without reloading the workflow uncached on every submit (utils/workflows.py)
		workflows.validate(self)

	def before_update_after_submit(self):
		code_owned.refuse_user_changes(self)
		if self.has_value_changed("researcher"):
			self.validate_researcher_change()
		if self.has_value_changed("workflow_state"):
			self.validate_transition()
		freeze_factors(self.approved_items)
		# an edited approval cannot fall below what was already disbursed
		check_approval_covers_served(self)

	def on_update_after_submit(self):
		self.cancel_superseded_report()

	def before_cancel(self):
		# frappe's cancel skips the workflow: the request would be cancelled still "Pending
		# Committee" (the portal showing it as waiting, the ageing report and the escalations
		# dropping it), without the Cancel transition's roles. apply_workflow sets the state first.
		if self.workflow_state != CANCELLED_STATE:
			frappe.throw(
				_("A request is cancelled through its workflow: please use the Cancel action"),
				exc=CancelOutsideWorkflowError,
			)

	# --- the service's rules ----------------------------------------------------------
	def set_service_rules(self):
		"""Whether research is required and how the aid is delivered are the service's, on every save
		and at submission too: frappe fetches them on a draft's saves only, not on the save that
		submits it, so a request submitted with `requires_research: 0` in the same payload would
		skip the research (R3.1)."""
		if not self.aid_service:
			frappe.throw(_("Please select the aid service"), exc=frappe.MandatoryError)
		service = frappe.get_cached_value(
			"Aid Service", self.aid_service, ["requires_research", "delivery_type"], as_dict=True
		)
		if not service:
			frappe.throw(
				_("The aid service {0} does not exist").format(self.aid_service), exc=frappe.DoesNotExistError
			)
		self.requires_research = service.requires_research
		self.delivery_type = service.delivery_type

	def validate_received_on(self):
		"""A request is received today or was received before: a date to come would push its answer
		date (R3.2) away."""
		if self.received_on and getdate(self.received_on) > getdate(today()):
			frappe.throw(_("The request cannot be received on a date to come"), exc=frappe.ValidationError)

	# --- intake (R2.1) ---------------------------------------------------------------
	def set_received_by(self):
		"""Who received the request is who recorded it, never typed: the satisfaction figures per
		staff member count his requests (R5.3). Administrator's scripts (the demo) may say who."""
		before = self.get_doc_before_save()
		if before:
			self.received_by = before.received_by
		elif frappe.session.user != "Administrator":
			self.received_by = frappe.session.user

	def set_portal_intake(self):
		"""A portal request is the beneficiary's own, through the Website channel."""
		# frappe fetched the linked values before this ran: read them again with the real beneficiary,
		# in the same query (the portal files every request through here)
		fetched = {
			df.fieldname: df.fetch_from.split(".", 1)[1]
			for df in self.meta.get_fields_to_fetch("beneficiary")
		}
		own = portal.own_beneficiary(fields=("name", *dict.fromkeys(fetched.values())))
		if not own:
			frappe.throw(_("Please register as a beneficiary before applying"), exc=frappe.PermissionError)
		if self.beneficiary and self.beneficiary != own.name:
			# refused as file_request refuses it, not silently filed under his own record
			frappe.throw(_("You can only send your own assistance requests"), exc=frappe.PermissionError)
		self.beneficiary = own.name
		for fieldname, source in fetched.items():
			self.set(fieldname, own.get(source))
		self.channel = "Website"
		self.received_by = None
		self.received_on = today()

	def validate_requested(self):
		if flt(self.requested_amount) < 0:
			frappe.throw(_("The requested amount cannot be negative"))
		service = frappe.get_cached_doc("Aid Service", self.aid_service)
		if self.delivery_type == "In-Kind":
			# goods are requested, not money: an amount typed with them would become the approval's
			self.requested_amount = 0
			if not self.requested_items:
				self.set(
					"requested_items",
					[
						{"item_code": row.item_code, "qty": row.qty, "uom": row.uom}
						for row in service.default_items
					],
				)
		elif flt(self.requested_amount) <= 0:
			frappe.throw(_("Please enter the requested amount"), exc=frappe.MandatoryError)
		self.validate_requested_items(service)

	def validate_requested_items(self, service):
		"""Existing items; of a service that lists its items, only those (the approval copies them
		to the storekeeper)."""
		offered = {row.item_code for row in service.default_items}
		codes = {row.item_code for row in self.requested_items}
		existing = set(
			frappe.get_all("Item", filters={"name": ("in", list(codes)), "disabled": 0}, pluck="name")
			if codes
			else []
		)
		for row in self.requested_items:
			if row.item_code not in existing:
				frappe.throw(
					_("Row {0}: the item {1} does not exist").format(row.idx, row.item_code),
					exc=frappe.ValidationError,
				)
			if offered and row.item_code not in offered:
				frappe.throw(
					_("Row {0}: {1} is not an item of the service {2}").format(
						row.idx, row.item_code, self.aid_service
					),
					exc=frappe.ValidationError,
				)
			conversion_factor(row.item_code, row.uom)  # a unit the item has (UnitError otherwise)

	# --- answer date (R3.2) ------------------------------------------------------------
	def set_expected_decision_date(self):
		days = sla.decision_days_or_policy(
			cint(frappe.get_cached_value("Aid Service", self.aid_service, "decision_days"))
		)
		self.expected_decision_date = sla.expected_decision_date(getdate(self.received_on), days)
		self.expected_decision_date_hijri = checked(
			hijri_display, self.expected_decision_date, label=_(self.meta.get_label("received_on"))
		)

	# --- workflow steps (R3.1, R3.3) --------------------------------------------------
	def validate_researcher_change(self):
		before = self.get_doc_before_save()
		if before and before.workflow_state not in ASSIGNABLE_STATES:
			frappe.throw(
				_("The researcher cannot be changed once the request has left research ({0})").format(
					_(before.workflow_state)
				),
				exc=ResearcherChangeError,
			)

	def validate_transition(self):
		state = self.workflow_state
		if state == RESEARCH_STATE and not self.researcher:
			frappe.throw(
				_("Please assign a social researcher before sending the request to research"),
				exc=NoResearcherError,
			)
		if state == COMMITTEE_STATE:
			if self.requires_research:
				self.validate_research_done()
			# the committee's meeting is never dated before this (research_committee_meeting.py)
			self.sent_to_committee_on = now_datetime()
		if state in DECISION_STATES:
			self.validate_decision()
		if state == RETURNED_STATE:
			self.validate_return()
			# the information asked for may change the findings: research starts again, and the
			# report that stood is cancelled once the request is saved (on_update_after_submit)
			self.flags.superseded_report = self.research_report
			self.research_report = None

	def cancel_superseded_report(self):
		"""A returned request's report no longer stands: cancelled as the system (a researcher may
		not cancel), so that the new research can be submitted and the request cancelled if need be.
		The beneficiary keeps its need score until the new report replaces it."""
		name = self.flags.pop("superseded_report", None)
		if not name or frappe.db.get_value("Research Report", name, "docstatus") != 1:
			return
		report = frappe.get_doc("Research Report", name)
		report.flags.ignore_permissions = True
		report.flags.superseded = True
		report.cancel()

	def validate_return(self):
		"""Officers and researchers return a request while they handle it, always with the reason the
		applicant is told (return_request; the desk's Return button asks for it): frappe's plain
		workflow action would return it with none. Once it waits for the committee, returning it is
		one of the committee's decisions, taken in a meeting (R3.3)."""
		before = self.get_doc_before_save()
		if (
			before
			and before.workflow_state == COMMITTEE_STATE
			and not code_owned.writing_as(code_owned.COMMITTEE)
		):
			frappe.throw(_("A decision is taken in a research committee meeting"), exc=DecisionError)
		if not code_owned.writing_as((code_owned.RETURN, code_owned.COMMITTEE)):
			frappe.throw(
				_(
					"A request is returned with the reason the applicant is told: please use Return and give it"
				),
				exc=frappe.MandatoryError,
			)

	def validate_research_done(self):
		# research_report is cleared on return, so a report from before a return does not count
		if not self.research_report or not frappe.db.exists(
			"Research Report", {"name": self.research_report, "docstatus": 1, "researcher": self.researcher}
		):
			frappe.throw(
				_(
					"The service requires social research: the assigned researcher must submit a research report first"
				),
				exc=ResearchRequiredError,
			)

	def validate_decision(self):
		"""Decisions come from a committee meeting, which records the members who took them: only the
		meeting's submission may move a request into a decision (a committee member's workflow
		button alone would bypass the quorum and the votes). A seasonal programme's request carries
		the decision the committee took on the whole programme in its meeting (programmes/run.py)."""
		deciders = (code_owned.COMMITTEE, code_owned.PROGRAMME)
		if not self.committee_meeting or not code_owned.writing_as(deciders):
			frappe.throw(_("A decision is taken in a research committee meeting"), exc=DecisionError)
		if self.workflow_state == REJECTED_STATE and not (self.decision_reason or "").strip():
			frappe.throw(_("Please give the reason for the rejection"), exc=DecisionError)
		if self.workflow_state == "Approved" and not flt(self.approved_amount):
			self.approved_amount = self.requested_amount
			if not self.approved_items:
				# the factor is the approval's, of today (freeze_factors), never one the draft carried
				self.set(
					"approved_items",
					[
						{**row.as_dict(no_default_fields=True), "conversion_factor": 0}
						for row in self.requested_items
					],
				)
		if self.workflow_state == "Partly Approved":
			self.validate_partial_approval()
		self.decided_on = self.decided_on or today()
		# the balance is real from the decision on, not only after the first disbursement
		self.remaining_amount = max(flt(self.approved_amount) - flt(self.served_amount), 0)

	def validate_partial_approval(self):
		"""The committee's rule (assistance/decisions.py), worded for the request's own form."""
		breach = decisions.partial_approval_breach(
			flt(self.approved_amount),
			flt(self.requested_amount),
			flt(frappe.get_cached_value("Aid Service", self.aid_service, "max_amount")),
			self.approved_items,
			self.requested_items,
		)
		if breach:
			frappe.throw(partial_approval_message(breach), exc=DecisionError)

	@property
	def can_be_disbursed(self) -> bool:
		return self.docstatus == 1 and self.workflow_state in DISBURSABLE_STATES


def partial_approval_message(breach: decisions.Breach) -> str:
	if breach.rule == decisions.NEGATIVE_AMOUNT:
		return _("The approved amount cannot be negative")
	if breach.rule == decisions.NOTHING_APPROVED:
		return _("A partial approval needs an approved amount or approved items")
	if breach.rule == decisions.AMOUNT_ABOVE_REQUESTED:
		return _("The approved amount {0} exceeds the requested amount {1}").format(
			breach.value, breach.bound
		)
	if breach.rule == decisions.AMOUNT_ABOVE_LIMIT:
		return _("The approved amount {0} exceeds the service's limit of {1}").format(
			breach.value, breach.bound
		)
	# an item not requested at all, or approved above its requested quantity
	return _("Row {0}: the approved quantity of {1} exceeds the requested quantity").format(
		breach.row, breach.item_code
	)


# --- referral to a social researcher (R2.3) -------------------------------------------
@frappe.whitelist(methods=["POST"])
def refer_to_researcher(request: str, question: str, researcher: str) -> None:
	doc = frappe.get_doc("Assistance Request", request)
	doc.check_permission("write")
	# the referral's fields are above level 0: frappe would drop them silently from a save by a role
	# that may write the request but not them, and answer as if it had referred it
	level = doc.meta.get_field("referral_question").permlevel
	if level not in doc.get_permlevel_access("write"):
		frappe.throw(
			_("You cannot refer a request to a researcher"),
			exc=frappe.PermissionError,
			title=_("Not Permitted"),
		)
	if "Social Researcher" not in frappe.get_roles(researcher):
		frappe.throw(_("{0} is not a social researcher").format(researcher))
	if not (question or "").strip():
		frappe.throw(_("Please write the question to refer"), exc=frappe.MandatoryError)
	keep_earlier_referral(doc)
	doc.update(
		{
			"referral_question": question,
			"referred_to": researcher,
			"referred_by": frappe.session.user,
			"referred_on": now_datetime(),
			"referral_answer": None,
			"answered_by": None,
			"answered_on": None,
		}
	)
	with code_owned.owner_writes(code_owned.REFERRAL):
		doc.save()


def keep_earlier_referral(doc) -> None:
	"""A request referred again keeps the earlier question and its answer on its timeline (R2.3: a
	referral is recorded with its answer): the new referral takes the fields, and the earlier one was
	left only in the document's versions."""
	if not doc.referral_question:
		return
	escape = frappe.utils.escape_html
	lines = [
		_("Earlier referral to {0} by {1} on {2}: {3}").format(
			escape(doc.referred_to or ""),
			escape(doc.referred_by or ""),
			doc.referred_on or "",
			escape(doc.referral_question),
		)
	]
	if doc.referral_answer:
		lines.append(
			_("Answered by {0} on {1}: {2}").format(
				escape(doc.answered_by or ""), doc.answered_on or "", escape(doc.referral_answer)
			)
		)
	doc.add_comment("Info", "<br>".join(lines))


@frappe.whitelist(methods=["POST"])
def answer_referral(request: str, answer: str) -> None:
	doc = frappe.get_doc("Assistance Request", request)
	if frappe.session.user != doc.referred_to:
		frappe.throw(
			_("Only the researcher the question was referred to can answer it"), exc=frappe.PermissionError
		)
	if not (answer or "").strip():
		frappe.throw(_("Please write the answer"), exc=frappe.MandatoryError)
	doc.check_permission("read")
	doc.update({"referral_answer": answer, "answered_by": frappe.session.user, "answered_on": now_datetime()})
	# The researcher answers whatever step the request is at; his answer is the only change.
	doc.flags.ignore_permissions = True
	with code_owned.owner_writes(code_owned.REFERRAL):
		doc.save()


# --- return for information (R3.3) ------------------------------------------------------------
@frappe.whitelist(methods=["POST"])
def return_request(request: str, reason: str) -> None:
	"""Return the request to the applicant with what is missing. The reason is part of the record
	(the applicant's notification quotes it), so it is written only here, with the workflow step."""
	from frappe.model.workflow import apply_workflow, get_transitions

	doc = frappe.get_doc("Assistance Request", request)
	doc.check_permission("read")
	if not (reason or "").strip():
		frappe.throw(_("Please give the reason for returning the request"), exc=frappe.MandatoryError)
	if not any(t.action == "Return" for t in get_transitions(doc)):
		frappe.throw(_("You cannot return this request at its current step"), exc=frappe.PermissionError)
	doc.decision_reason = reason.strip()
	with code_owned.owner_writes(code_owned.RETURN):
		doc.save()
		apply_workflow(doc, "Return")


# The pending requests by answer date, for the ageing report, the daily escalation and the committee's
# agenda. It holds every column their conditions read (the state, the answer date, docstatus, the
# branch of a branch user), so counting 85k open requests by date, or picking the most overdue, reads
# this index alone. The answer date has no index of its own: MariaDB would walk it in date order for
# "the 500 most overdue" and read every decided request on the way (14 s at 500k requests).
PENDING_INDEX = (
	"pending_answer_date_index",
	["workflow_state", "expected_decision_date", "docstatus", "branch"],
)
OLD_PENDING_INDEX = "workflow_state_expected_index"  # its first two columns, before issue 14's sizes


def on_doctype_update():
	"""Lists by state or branch, newest first; the pending requests by answer date."""
	from charity_beneficiary.utils.list_indexes import add_list_indexes

	add_list_indexes("Assistance Request", ("workflow_state", "branch"))
	name, columns = PENDING_INDEX
	frappe.db.add_index("Assistance Request", columns, name)
	if frappe.db.has_index("tabAssistance Request", OLD_PENDING_INDEX):
		frappe.db.sql_ddl("alter table `tabAssistance Request` drop index `workflow_state_expected_index`")

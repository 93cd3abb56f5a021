# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""Research Committee Meeting (R3.3): the committee decides the requests on its agenda.

Rules (checked on every save, and again on submit):

* Members are listed once, hold the Research Committee Member role, and at most one chairs. Who is
  listed, who attended and who chairs are recorded by whoever prepares the minutes: the user who made
  the meeting or its chair; nobody else lists himself or ticks his own attendance, and once a vote is
  recorded nobody joins the meeting.
* Each agenda request is a submitted Assistance Request in "Pending Committee", listed once.
* A vote row belongs to a request on the agenda and a listed member, one row per member and
  request. A member who declares a conflict of interest in a request cannot vote on it, and only
  attending members vote.
* For each decided request the *eligible* members are the attending members without a declared
  conflict for that request; the decision needs at least `quorum` of them to have voted (For,
  Against or Abstain all count as taking part).
* Each vote records what it was cast for (decision_voted, amount_voted, items_voted: set by this
  controller when the member casts or changes it, never by hand). A vote cast while the row is still
  undecided carries the first decision recorded on it; once the decision (its amount or items) changes,
  only the votes cast for the decision now recorded count, so the members vote again (cast_vote).
* votes_for / votes_against are counted, and deciding_members lists the members who voted, from the
  votes that count.
* The decision follows the votes: Approved and Partly Approved need more votes for than against,
  Rejected needs more votes against than for. Returned (for more information) defers the request
  rather than deciding it, so it is allowed whenever the votes do not carry an approval (a tie,
  all abstaining, or a majority against); a majority for the request must approve it, fully or
  partly.
* Rejected and Returned need a reason. Approved approves the requested amount (and items), which
  must be within the service's limit (Aid Service.max_amount); otherwise approve partly.
  Partly Approved needs an approved amount > 0 or approved items: the amount at most the requested
  amount and the service's limit, each item one of the requested items, at most its requested
  quantity.

A meeting is submitted once it took place, and is never dated before any of its requests reached
the committee (the request's `sent_to_committee_on`, stamped by its "Send to Committee"): its date
is the decisions'.

Submitting the meeting (by a Research Committee Member) writes the decision fields onto each request
(committee_meeting, decided_on, approved_amount, decision_reason, approved_items) and then moves it
through the "Assistance Request" workflow (Approve / Partly Approve / Reject / Return).

An agenda row may instead name a seasonal Aid Programme (R6.2): it is decided like a request — quorum,
votes, majority, a reason to reject or return — but only approved in full, rejected or returned (a
programme is trimmed by excluding rows before it is sent); its decision is applied by
programmes/approval.py. Votes name the programme in place of the request.

A submitted meeting cannot be cancelled: its decisions have been applied to the requests and are
the committee's record. A request that must change follows its own workflow (a Returned request is
resubmitted and comes back to a later meeting).
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.model.workflow import apply_workflow
from frappe.utils import cint, flt, formatdate, getdate, today

from charity_beneficiary.assistance import decisions
from charity_beneficiary.assistance.states import APPROVAL_STATES, COMMITTEE_STATE, REASONED_STATES
from charity_beneficiary.programmes import approval as programme_approval
from charity_beneficiary.utils import code_owned
from charity_beneficiary.utils.code_owned import CodeOwnedFieldError
from charity_beneficiary.utils.money import format_money
from charity_beneficiary.verification import VerificationError, hijri_display

COMMITTEE_ROLE = "Research Committee Member"

# decision of the agenda item -> action of the "Assistance Request" workflow in Pending Committee
DECISION_ACTIONS = {
	"Approved": "Approve",
	"Partly Approved": "Partly Approve",
	"Rejected": "Reject",
	"Returned": "Return",
}


class CommitteeError(frappe.ValidationError):
	"""Base of the committee's domain errors."""


class AgendaError(CommitteeError):
	pass


class MemberError(CommitteeError):
	pass


class AttendanceError(MemberError):
	"""Who is listed and who attended is recorded by the meeting's author or chair."""


class VoteError(CommitteeError):
	pass


class StaleVoteError(VoteError):
	"""Votes cast for an earlier decision do not carry the decision now recorded."""


class ConflictOfInterestError(VoteError):
	pass


class QuorumError(CommitteeError):
	pass


class DecisionError(CommitteeError):
	pass


class PartialApprovalError(DecisionError):
	pass


class MeetingDateError(DecisionError):
	"""A meeting dated before it took place could be, or in the future."""


class MeetingCancelError(CommitteeError):
	pass


class CommitteeRoleError(frappe.PermissionError):
	pass


class ResearchCommitteeMeeting(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from charity_beneficiary.assistance.doctype.committee_agenda_item.committee_agenda_item import (
			CommitteeAgendaItem,
		)
		from charity_beneficiary.assistance.doctype.committee_approved_item.committee_approved_item import (
			CommitteeApprovedItem,
		)
		from charity_beneficiary.assistance.doctype.committee_member.committee_member import CommitteeMember
		from charity_beneficiary.assistance.doctype.committee_vote.committee_vote import CommitteeVote

		agenda: DF.Table[CommitteeAgendaItem]
		amended_from: DF.Link | None
		approved_items: DF.Table[CommitteeApprovedItem]
		location: DF.Data | None
		meeting_date: DF.Date
		meeting_date_hijri: DF.Data | None
		members: DF.Table[CommitteeMember]
		minutes: DF.TextEditor | None
		naming_series: DF.Literal["RCM-.YYYY.-.####"]
		quorum: DF.Int
		votes: DF.Table[CommitteeVote]
	# end: auto-generated types

	def validate(self):
		self.set_hijri_date()
		self.validate_quorum_setting()
		self.check_who_records_attendance()
		self.validate_members()
		self.validate_agenda()
		self.validate_votes()
		self.check_own_votes()
		self.check_who_decides()
		self.validate_approved_items()
		self.stamp_votes()
		for item in self.agenda:
			self.count_votes(item)
			if item.decision:
				self.validate_decision(item)

	def before_submit(self):
		if COMMITTEE_ROLE not in frappe.get_roles():
			frappe.throw(
				_("Only a research committee member can submit the meeting and apply its decisions"),
				exc=CommitteeRoleError,
			)
		if frappe.session.user not in {row.member for row in self.members if row.attended}:
			frappe.throw(
				_("Only a member who attended the meeting can submit it and apply its decisions"),
				exc=CommitteeRoleError,
			)
		for item in self.agenda:
			if not item.decision:
				frappe.throw(
					_("Agenda row {0}: please record the committee's decision on request {1}").format(
						item.idx, subject(item)
					),
					exc=DecisionError,
				)
		self.validate_meeting_date()

	def validate_meeting_date(self):
		"""The decisions are dated the meeting's date (the applicant sees it, and the answer date is
		measured against it): a meeting is submitted once it took place, and it cannot decide a request
		before the request was received, nor before it reached the committee. A meeting held yesterday
		and recorded today is dated yesterday."""
		held = getdate(self.meeting_date)
		if held > getdate(today()):
			frappe.throw(
				_("The meeting of {0} has not taken place yet; submit it once it has").format(
					formatdate(held)
				),
				exc=MeetingDateError,
			)
		requests = [item.assistance_request for item in self.agenda if item.assistance_request]
		received = dict(
			frappe.get_all(
				"Assistance Request",
				filters={"name": ("in", requests or [""])},
				fields=["name", "received_on"],
				as_list=True,
			)
		)
		for item in self.agenda:
			if item.assistance_request and held < getdate(received.get(item.assistance_request)):
				frappe.throw(
					_("Agenda row {0}: request {1} was received on {2}, after the meeting").format(
						item.idx, item.assistance_request, formatdate(received[item.assistance_request])
					),
					exc=MeetingDateError,
				)
		reached = reached_committee_on(requests)
		for item in self.agenda:
			day = reached.get(item.assistance_request)
			if day and held < day:
				frappe.throw(
					_(
						"Agenda row {0}: request {1} reached the committee on {2}; the meeting cannot be dated before it"
					).format(item.idx, item.assistance_request, formatdate(day)),
					exc=MeetingDateError,
				)

	def on_submit(self):
		for item in self.agenda:
			if item.aid_programme:
				programme_approval.apply_decision(self, item)
			else:
				self.apply_decision(item)

	def before_cancel(self):
		"""Refused: the decisions are applied to the requests and are the committee's record."""
		moved_on = [
			item.assistance_request
			for item in self.agenda
			if item.assistance_request and self.request_moved_on(item.assistance_request)
		]
		if moved_on:
			frappe.throw(
				_(
					"Committee meeting {0} cannot be cancelled: requests {1} have moved on since its decisions (disbursed, resubmitted or decided again)"
				).format(self.name, ", ".join(moved_on)),
				exc=MeetingCancelError,
			)
		frappe.throw(
			_(
				"Committee meeting {0} cannot be cancelled: its decisions have been applied to the requests and are final. A request that must change follows its own workflow."
			).format(self.name),
			exc=MeetingCancelError,
		)

	# --- header --------------------------------------------------------------------------
	def set_hijri_date(self):
		if not self.meeting_date:
			self.meeting_date_hijri = None
			return
		try:
			self.meeting_date_hijri = hijri_display(
				getdate(self.meeting_date), lang=getattr(frappe.local, "lang", None) or "ar"
			)
		except VerificationError:
			frappe.throw(
				_("The meeting date {0} is outside the supported Hijri calendar range").format(
					self.meeting_date
				)
			)

	def validate_quorum_setting(self):
		"""The association sets the smallest quorum (Charity Settings): whoever prepares a meeting may
		ask for more, never fewer, or one member would decide alone."""
		minimum = minimum_quorum()
		if (self.quorum or 0) < minimum:
			frappe.throw(
				_("The quorum must be at least {0} members (Charity Settings)").format(minimum)
				if minimum > 1
				else _("The quorum must be at least one member"),
				exc=QuorumError,
			)

	# --- members -------------------------------------------------------------------------
	def validate_members(self):
		seen = set()
		chairs = 0
		for row in self.members:
			if row.member in seen:
				frappe.throw(
					_("Members row {0}: {1} is listed more than once").format(
						row.idx, self.member_label(row.member)
					),
					exc=MemberError,
				)
			seen.add(row.member)
			if COMMITTEE_ROLE not in frappe.get_roles(row.member):
				frappe.throw(
					_("Members row {0}: {1} is not a research committee member").format(
						row.idx, self.member_label(row.member)
					),
					exc=MemberError,
				)
			if not row.member_name:
				row.member_name = frappe.db.get_value("User", row.member, "full_name")
			chairs += 1 if row.is_chair else 0
		if chairs > 1:
			frappe.throw(_("Only one member can chair the meeting"), exc=MemberError)

	def check_who_records_attendance(self):
		"""Only attending members vote and make the quorum, so who is listed, who attended and who
		chairs are recorded by whoever prepares the minutes: the user who made the meeting (its owner,
		as stored) or the chair (as stored). A member once listed himself, ticked his attendance and
		voted, and the request was decided without a listed member's vote. Once a vote is recorded,
		nobody joins the meeting (the votes were counted among the members then listed)."""
		before = self.get_doc_before_save()
		if not before:
			return  # whoever makes the meeting lists its members
		stored, sent = member_roll(before), member_roll(self)
		if stored == sent:
			return
		if any(row.vote for row in before.votes):
			for row in self.members:
				if row.member not in stored:
					frappe.throw(
						_(
							"Members row {0}: {1} cannot join the meeting once votes have been recorded"
						).format(row.idx, self.member_label(row.member)),
						exc=AttendanceError,
					)
		user = frappe.session.user
		chair = next((row.member for row in before.members if row.is_chair), None)
		if user in ("Administrator", before.owner, chair):
			return
		for row in self.members:
			if row.member == user and (user not in stored or (row.attended and not stored[user][0])):
				frappe.throw(
					_(
						"Members row {0}: {1} cannot add himself to the meeting or mark his own attendance; the user who prepared the meeting or its chair records who attends"
					).format(row.idx, self.member_label(user)),
					exc=AttendanceError,
				)
		frappe.throw(
			_(
				"Only the user who prepared the meeting or its chair can change its members, their attendance or its chair"
			),
			exc=AttendanceError,
		)

	def member_label(self, user: str) -> str:
		for row in self.members:
			if row.member == user and row.member_name:
				return row.member_name
		return frappe.db.get_value("User", user, "full_name") or user

	def attending_members(self) -> list[str]:
		return [row.member for row in self.members if row.attended]

	# --- agenda --------------------------------------------------------------------------
	def validate_agenda(self):
		seen = set()
		for item in self.agenda:
			if bool(item.assistance_request) == bool(item.aid_programme):
				frappe.throw(
					_("Agenda row {0}: please select either a request or a programme").format(item.idx),
					exc=AgendaError,
				)
			if subject(item) in seen:
				frappe.throw(
					_("Request {0} appears more than once on the agenda").format(subject(item)),
					exc=AgendaError,
				)
			seen.add(subject(item))
			if item.aid_programme:
				programme_approval.check_on_agenda(item)
				continue
			request = frappe.db.get_value(
				"Assistance Request",
				item.assistance_request,
				[
					"docstatus",
					"workflow_state",
					"beneficiary_name",
					"aid_service",
					"requested_amount",
					"recommendation",
				],
				as_dict=True,
			)
			if not request:
				frappe.throw(
					_("Agenda row {0}: request {1} does not exist").format(item.idx, item.assistance_request),
					exc=AgendaError,
				)
			if request.docstatus != 1 or request.workflow_state != COMMITTEE_STATE:
				frappe.throw(
					_(
						"Agenda row {0}: request {1} is not pending a committee decision (its state is {2})"
					).format(item.idx, item.assistance_request, _(request.workflow_state or "Draft")),
					exc=AgendaError,
				)
			item.beneficiary_name = request.beneficiary_name
			item.aid_service = request.aid_service
			item.requested_amount = request.requested_amount
			item.recommendation = request.recommendation

	# --- votes and conflicts of interest ----------------------------------------------------
	def validate_votes(self):
		on_agenda = {subject(item) for item in self.agenda}
		attended = {row.member: row.attended for row in self.members}
		seen = set()
		for row in self.votes:
			if subject(row) not in on_agenda:
				frappe.throw(
					_("Votes row {0}: request {1} is not on the agenda").format(row.idx, subject(row)),
					exc=VoteError,
				)
			if row.member not in attended:
				frappe.throw(
					_("Votes row {0}: {1} is not a member of this meeting").format(
						row.idx, self.member_label(row.member)
					),
					exc=VoteError,
				)
			key = (subject(row), row.member)
			if key in seen:
				frappe.throw(
					_("Votes row {0}: {1} already has a row for request {2}").format(
						row.idx, self.member_label(row.member), subject(row)
					),
					exc=VoteError,
				)
			seen.add(key)
			if row.vote and row.conflict_of_interest:
				frappe.throw(
					_("{0} declared a conflict of interest in request {1} and cannot vote on it").format(
						self.member_label(row.member), subject(row)
					),
					exc=ConflictOfInterestError,
				)
			if row.vote and not attended[row.member]:
				frappe.throw(
					_("{0} did not attend the meeting and cannot vote on request {1}").format(
						self.member_label(row.member), subject(row)
					),
					exc=VoteError,
				)

	def check_own_votes(self):
		"""R3.3: decisions are recorded with the members who took them, so each member records his
		own vote and conflict of interest (in the desk, his row of the votes); nobody records, changes
		or removes another member's."""
		before = self.get_doc_before_save()
		stored = {(subject(row), row.member): ballot(row) for row in (before.votes if before else [])}
		sent = {(subject(row), row.member): ballot(row) for row in self.votes}
		for key in stored.keys() | sent.keys():
			member = key[1]
			if member == frappe.session.user or stored.get(key, NO_BALLOT) == sent.get(key, NO_BALLOT):
				continue
			frappe.throw(
				_("Only {0} can record his own vote on request {1}").format(
					self.member_label(member), key[0]
				),
				exc=VoteError,
			)

	def check_who_decides(self):
		"""R3.3: the committee decides. A decision (with its reason, amount and items) is recorded or
		changed only by a member attending the meeting, not by another user who may edit it (the
		manager prepares meetings): otherwise the decision could be rewritten after the members voted
		on the request, and the votes would still carry it."""
		if frappe.session.user == "Administrator" or frappe.session.user in self.attending_members():
			return
		before = self.get_doc_before_save()
		stored = decisions_of(before) if before else {}
		for request, decided in decisions_of(self).items():
			if decided != stored.get(request, NO_DECISION):
				frappe.throw(
					_("Only a member attending the meeting can record the decision on {0}").format(request),
					exc=CommitteeRoleError,
				)

	def stamp_votes(self):
		"""Each vote records what it was cast for: the row's decision, approved amount and (partly
		approved goods) items. Set here when the member casts or changes his vote (or casts it again,
		cast_vote); a vote cast while the row is undecided carries the first decision recorded on it.
		The snapshot is the controller's: one sent by a user is refused, one left out is kept."""
		before = self.get_doc_before_save()
		stored = {(subject(row), row.member): row for row in (before.votes if before else [])}
		recast = self.flags.recast_votes or set()
		decided = {subject(item): self.decision_voted(item) for item in self.agenda}
		for row in self.votes:
			key = (subject(row), row.member)
			old = stored.get(key)
			kept = snapshot(old) if old else NO_SNAPSHOT
			sent = snapshot(row)
			if sent not in (NO_SNAPSHOT, kept):
				frappe.throw(
					_("These fields are set by the system and cannot be changed by hand: {0}").format(
						", ".join(_(row.meta.get_label(field)) for field in SNAPSHOT_FIELDS)
					),
					exc=CodeOwnedFieldError,
					title=_("Not Permitted"),
				)
			current = decided.get(subject(row), NO_SNAPSHOT)
			if not row.vote:
				voted_for = NO_SNAPSHOT
			elif key in recast or not old or (old.vote or "") != row.vote:
				voted_for = current
			else:
				voted_for = kept
			if row.vote and not voted_for[0]:
				voted_for = current  # cast on the undecided row: it carries the first decision recorded
			row.decision_voted, row.amount_voted, row.items_voted = voted_for

	def decision_voted(self, item) -> tuple[str, float, str]:
		"""What a vote for this agenda row is a vote for, as stored on the vote."""
		decision = item.decision or ""
		amount, items = 0.0, ""
		if decision == "Partly Approved":
			amount = flt(item.approved_amount, 2)
			items = "\n".join(
				sorted(
					# the unit too ("2 Box" is not "2 Nos"), every decimal a quantity is stored with
					f"{row.item_code} × {flt(row.qty, 9)!r} {row.uom or ''}".rstrip()
					for row in self.approved_items_for(subject(item))
				)
			)
		elif decision == "Approved" and item.assistance_request:
			amount = flt(item.requested_amount, 2)
		return (decision, amount, items)

	def counted_votes(self, item) -> list:
		"""The votes cast on the row that count: all of them while it is undecided; once decided, those
		cast for the decision now recorded."""
		cast = [row for row in self.votes_on(subject(item)) if row.vote]
		if not item.decision:
			return cast
		decided = self.decision_voted(item)
		return [row for row in cast if snapshot(row) == decided]

	def stale_votes(self, item) -> list:
		counted = {row.member for row in self.counted_votes(item)}
		return [row for row in self.votes_on(subject(item)) if row.vote and row.member not in counted]

	def votes_on(self, request: str) -> list:
		return [row for row in self.votes if subject(row) == request]

	def eligible_members(self, request: str) -> list[str]:
		"""Attending members who did not declare a conflict of interest in `request`."""
		conflicted = {row.member for row in self.votes_on(request) if row.conflict_of_interest}
		return [member for member in self.attending_members() if member not in conflicted]

	def count_votes(self, item):
		"""votes_for, votes_against and deciding_members (in the order of the members table), from the
		votes that count."""
		cast = {row.member: row.vote for row in self.counted_votes(item)}
		item.votes_for = sum(1 for vote in cast.values() if vote == "For")
		item.votes_against = sum(1 for vote in cast.values() if vote == "Against")
		item.deciding_members = "\n".join(
			row.member_name or row.member for row in self.members if row.member in cast
		)

	# --- decisions -----------------------------------------------------------------------
	def validate_decision(self, item):
		request = subject(item)
		decision = item.decision
		stale = self.stale_votes(item)
		if not stale:
			self.validate_quorum(item)
			self.validate_majority(item)
		elif self._action == "submit" and not self.votes_carry(item):
			# a draft may wait for the members to vote again on a changed decision; its submission may not
			frappe.throw(
				_(
					"Request {0}: the decision was changed after {1} voted, so those votes no longer count; they must vote again on the decision now recorded"
				).format(request, ", ".join(self.member_label(row.member) for row in stale)),
				exc=StaleVoteError,
			)

		if decision in REASONED_STATES and not (item.reason or "").strip():
			message = (
				_("Please give the reason for rejecting request {0}")
				if decision == "Rejected"
				else _("Please give the reason for returning request {0}")
			)
			frappe.throw(message.format(request), exc=DecisionError)

		if item.aid_programme:
			programme_approval.validate_decision(item)
		elif decision == "Approved":
			self.validate_full_approval(item)
		elif decision == "Partly Approved":
			self.validate_partial_approval(item)
		else:
			item.approved_amount = 0
			if decisions.refusal_breach(self.approved_items_for(request)):
				frappe.throw(
					_(
						"Approved items are entered only for a partly approved request; remove those of request {0}"
					).format(request),
					exc=DecisionError,
				)

	def validate_majority(self, item):
		request, decision = subject(item), item.decision
		votes_for, votes_against = item.votes_for or 0, item.votes_against or 0
		if decision in APPROVAL_STATES and votes_for <= votes_against:
			frappe.throw(
				_("Request {0} cannot be {1}: {2} votes for and {3} against").format(
					request, _(decision), votes_for, votes_against
				),
				exc=DecisionError,
			)
		if decision == "Rejected" and votes_against <= votes_for:
			frappe.throw(
				_("Request {0} cannot be rejected: {1} votes against and {2} for").format(
					request, votes_against, votes_for
				),
				exc=DecisionError,
			)
		if decision == "Returned" and votes_for > votes_against:
			frappe.throw(
				_(
					"Request {0} cannot be returned: a majority voted for it ({1} for, {2} against); approve it fully or partly"
				).format(request, votes_for, votes_against),
				exc=DecisionError,
			)

	def votes_carry(self, item) -> bool:
		"""Whether the votes that count reach the quorum and carry the decision."""
		voted = {row.member for row in self.counted_votes(item)} & set(self.eligible_members(subject(item)))
		return len(voted) >= (self.quorum or 0) and not majority_breach(
			item.decision, item.votes_for or 0, item.votes_against or 0
		)

	def validate_quorum(self, item):
		eligible = self.eligible_members(subject(item))
		voted = {row.member for row in self.counted_votes(item)} & set(eligible)
		if len(voted) < (self.quorum or 0):
			frappe.throw(
				_(
					"Quorum not reached for request {0}: {1} of the {2} attending members without a conflict of interest voted, the quorum is {3}"
				).format(subject(item), len(voted), len(eligible), self.quorum),
				exc=QuorumError,
			)

	def service_limit(self, item) -> float:
		service = item.aid_service or frappe.db.get_value(
			"Assistance Request", item.assistance_request, "aid_service"
		)
		return flt(frappe.db.get_value("Aid Service", service, "max_amount")) if service else 0.0

	def validate_full_approval(self, item):
		item.approved_amount = flt(item.requested_amount)
		breach = decisions.full_approval_breach(
			flt(item.requested_amount),
			self.service_limit(item),
			self.approved_items_for(item.assistance_request),
		)
		if not breach:
			return
		if breach.rule == decisions.REQUEST_ABOVE_LIMIT:
			frappe.throw(
				_(
					"Request {0} asks for {1}, above the service's limit of {2}: approve it partly instead"
				).format(item.assistance_request, money(breach.value), money(breach.bound)),
				exc=PartialApprovalError,
			)
		frappe.throw(
			_(
				"Request {0} is approved in full (all requested items); approved items are entered only for a partial approval"
			).format(item.assistance_request),
			exc=DecisionError,
		)

	def validate_partial_approval(self, item):
		"""The committee's rule (assistance/decisions.py), worded with the request and the rows of
		this meeting's approved items."""
		request = item.assistance_request
		breach = decisions.partial_approval_breach(
			flt(item.approved_amount, 2),
			flt(item.requested_amount, 2),
			self.service_limit(item),
			self.approved_items_for(request),
			frappe.get_all(
				"Assistance Request Item",
				filters={
					"parent": request,
					"parenttype": "Assistance Request",
					"parentfield": "requested_items",
				},
				fields=["item_code", "qty"],
			),
		)
		if breach:
			frappe.throw(partial_approval_message(request, breach), exc=PartialApprovalError)

	def validate_approved_items(self):
		decided = {item.assistance_request for item in self.agenda}
		for row in self.approved_items:
			if row.assistance_request not in decided:
				frappe.throw(
					_("Approved items row {0}: request {1} is not on the agenda").format(
						row.idx, row.assistance_request
					),
					exc=PartialApprovalError,
				)
			if flt(row.qty) <= 0:
				frappe.throw(
					_("Approved items row {0}: the quantity must be greater than zero").format(row.idx),
					exc=PartialApprovalError,
				)

	def approved_items_for(self, request: str) -> list:
		return [row for row in self.approved_items if row.assistance_request == request]

	# --- applying the decisions -----------------------------------------------------------
	def apply_decision(self, item):
		"""Persist the decision fields on the request, then move it through its workflow.

		apply_workflow reloads the request from the database, so the fields are saved first; the
		request's own controller validates them again when it enters the decision state."""
		request = frappe.get_doc("Assistance Request", item.assistance_request, for_update=True)
		if request.docstatus != 1 or request.workflow_state != COMMITTEE_STATE:
			frappe.throw(
				_("Request {0} is no longer pending a committee decision (its state is {1})").format(
					request.name, _(request.workflow_state or "Draft")
				),
				exc=AgendaError,
			)
		decision = item.decision
		request.committee_meeting = self.name
		request.decided_on = self.meeting_date
		request.decision_reason = (item.reason or "").strip() or None
		request.approved_amount = flt(item.approved_amount) if decision in APPROVAL_STATES else 0
		if decision == "Approved":
			items = [
				{"item_code": row.item_code, "qty": row.qty, "uom": row.uom}
				for row in request.requested_items
			]
		elif decision == "Partly Approved":
			items = [
				{"item_code": row.item_code, "qty": row.qty, "uom": row.uom}
				for row in self.approved_items_for(request.name)
			]
		else:
			items = []
		request.set("approved_items", items)
		with code_owned.owner_writes(code_owned.COMMITTEE):
			request.save()
			apply_workflow(request, DECISION_ACTIONS[decision])

	def request_moved_on(self, request: str) -> bool:
		"""Whether the request went further than this meeting's decision (disbursed, resubmitted…)."""
		values = frappe.db.get_value(
			"Assistance Request",
			request,
			["workflow_state", "disbursed_amount", "committee_meeting"],
			as_dict=True,
		)
		if not values:
			return False
		decision = next((item.decision for item in self.agenda if item.assistance_request == request), None)
		return (
			flt(values.disbursed_amount) > 0
			or values.committee_meeting != self.name
			or values.workflow_state != decision
		)


NO_BALLOT = ("", 0)


# the smallest quorum when Charity Settings sets none: no member decides alone
DEFAULT_MINIMUM_QUORUM = 2
NO_DECISION = ("", "", 0.0, ())


def minimum_quorum() -> int:
	return cint(frappe.db.get_single_value("Charity Settings", "minimum_committee_quorum")) or (
		DEFAULT_MINIMUM_QUORUM
	)


def decisions_of(meeting) -> dict:
	"""What the meeting decided on each agenda subject: decision, reason, amount, approved items."""
	items: dict[str, list] = {}
	for row in meeting.approved_items:
		items.setdefault(row.assistance_request, []).append(
			(row.item_code or "", flt(row.qty), row.uom or "")
		)
	return {
		subject(item): (
			item.decision or "",
			(item.reason or "").strip(),
			flt(item.approved_amount),
			tuple(sorted(items.get(item.assistance_request, []))),
		)
		for item in meeting.agenda
	}


def ballot(row) -> tuple[str, int]:
	"""What a member recorded on a request: his vote and whether he declared a conflict."""
	return (row.vote or "", int(row.conflict_of_interest or 0))


# what a vote was cast for (Committee Vote), set by ResearchCommitteeMeeting.stamp_votes only
SNAPSHOT_FIELDS = ("decision_voted", "amount_voted", "items_voted")
NO_SNAPSHOT = ("", 0.0, "")


def snapshot(row) -> tuple[str, float, str]:
	"""What a vote row says it was cast for: decision, amount, approved items."""
	return (row.decision_voted or "", flt(row.amount_voted, 2), row.items_voted or "")


def member_roll(meeting) -> dict[str, tuple[int, int]]:
	"""Who is listed, with whether he attended and whether he chairs."""
	return {row.member: (cint(row.attended), cint(row.is_chair)) for row in meeting.members}


def majority_breach(decision: str | None, votes_for: int, votes_against: int) -> bool:
	"""Whether the votes fail to carry the decision (validate_majority words each case)."""
	if decision in APPROVAL_STATES:
		return votes_for <= votes_against
	if decision == "Rejected":
		return votes_against <= votes_for
	if decision == "Returned":
		return votes_for > votes_against
	return False


def reached_committee_on(requests: list[str]) -> dict:
	"""The day each request last reached the committee: its "Send to Committee" stamps it on the
	request (sent_to_committee_on, code-owned; a patch gave earlier requests the day of their Version).
	A request without it is held only to the day it was received (validate_meeting_date)."""
	if not requests:
		return {}
	return {
		row.name: getdate(row.sent_to_committee_on)
		for row in frappe.get_all(
			"Assistance Request",
			filters={"name": ("in", requests), "sent_to_committee_on": ("is", "set")},
			fields=["name", "sent_to_committee_on"],
		)
	}


def subject(row) -> str | None:
	"""What an agenda or vote row is about: its request, or its seasonal programme."""
	return row.assistance_request or row.aid_programme


def partial_approval_message(request: str, breach: decisions.Breach) -> str:
	if breach.rule == decisions.NEGATIVE_AMOUNT:
		return _("The approved amount of request {0} cannot be negative").format(request)
	if breach.rule == decisions.NOTHING_APPROVED:
		return _("Request {0}: a partial approval needs an approved amount or approved items").format(request)
	if breach.rule == decisions.AMOUNT_ABOVE_REQUESTED:
		return _("Request {0}: the approved amount {1} exceeds the requested amount {2}").format(
			request, money(breach.value), money(breach.bound)
		)
	if breach.rule == decisions.AMOUNT_ABOVE_LIMIT:
		return _("Request {0}: the approved amount {1} exceeds the service's limit of {2}").format(
			request, money(breach.value), money(breach.bound)
		)
	if breach.rule == decisions.ITEM_NOT_REQUESTED:
		return _("Approved items row {0}: {1} was not requested in request {2}").format(
			breach.row, breach.item_code, request
		)
	return _(
		"Approved items row {0}: the approved quantity of {1} ({2}) exceeds the quantity requested in request {3} ({4})"
	).format(breach.row, breach.item_code, breach.value, request, breach.bound)


def money(amount) -> str:
	return format_money(amount)


@frappe.whitelist(methods=["POST"])
def cast_vote(
	meeting: str, vote: str, assistance_request: str | None = None, aid_programme: str | None = None
) -> dict:
	"""The signed-in member casts his vote on an agenda row as it is decided now, or casts it again
	after the decision changed (the same vote as before: a changed vote is recorded by saving the
	meeting too). The meeting's own rules apply: his own row, attending, no conflict of interest."""
	doc = frappe.get_doc("Research Committee Meeting", meeting)
	doc.check_permission("write")
	user = frappe.session.user
	on = assistance_request or aid_programme
	row = next((r for r in doc.votes if subject(r) == on and r.member == user), None)
	if not row:
		row = doc.append(
			"votes",
			{"assistance_request": assistance_request, "aid_programme": aid_programme, "member": user},
		)
	row.vote = vote
	doc.flags.recast_votes = {(on, user)}
	doc.save()
	return {"vote": row.vote, "decision_voted": row.decision_voted, "amount_voted": row.amount_voted}


@frappe.whitelist()
def get_pending_requests(aid_service: str | None = None) -> list[dict]:
	"""Submitted Assistance Requests waiting for the committee, oldest decision date first, for
	the agenda ("Get Pending Requests"). Only for users who may prepare a meeting; the list is
	filtered by the user's read permission on Assistance Request."""
	if not frappe.has_permission("Research Committee Meeting", "write"):
		frappe.throw(_("You are not permitted to prepare a committee meeting"), exc=frappe.PermissionError)
	filters = {"docstatus": 1, "workflow_state": COMMITTEE_STATE}
	if aid_service:
		filters["aid_service"] = aid_service
	return frappe.get_list(
		"Assistance Request",
		filters=filters,
		fields=[
			"name",
			"beneficiary_name",
			"aid_service",
			"requested_amount",
			"recommendation",
			"expected_decision_date",
		],
		order_by="expected_decision_date asc, creation asc",
		limit_page_length=0,
	)

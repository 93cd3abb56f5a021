# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""R3.3: the committee decides with a quorum of attending members without a conflict of interest;
conflicted members do not vote; rejection needs a reason; a partial approval stays within the
request and the service's limit; submitting the meeting applies each decision through the workflow."""

import frappe
from frappe import _
from frappe.tests.utils import FrappeTestCase, change_settings
from frappe.utils import add_days, today

from charity_beneficiary.assistance.doctype.research_committee_meeting.research_committee_meeting import (
	AgendaError,
	CommitteeRoleError,
	ConflictOfInterestError,
	DecisionError,
	MeetingCancelError,
	MemberError,
	PartialApprovalError,
	QuorumError,
	StaleVoteError,
	VoteError,
	cast_vote,
	get_pending_requests,
	money,
)
from charity_beneficiary.tests.factories import (
	make_aid_service,
	make_beneficiary,
	make_meeting_as_members,
	make_request,
)
from charity_beneficiary.tests.users import role_email, role_user

COMMITTEE = "Research Committee Member"
MEMBERS = [role_email(COMMITTEE, n) for n in range(1, 5)]  # a quorum of three, and one more
MANAGER = role_email("Charity Manager")
OFFICER = role_email("Beneficiary Relations Officer")
CASH_SERVICE = "إعانة إيجار (اختبار اللجنة)"
IN_KIND_SERVICE = "سلة غذائية (اختبار اللجنة)"
ITEM = "CB-TEST-FOOD-BASKET"
OTHER_ITEM = "CB-TEST-BLANKET"


def make_item(code: str) -> str:
	if not frappe.db.exists("Item", code):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": code,
				"item_name": code,
				"item_group": frappe.db.get_value("Item Group", {"is_group": 0}) or "All Item Groups",
				"stock_uom": "Nos",
				"is_stock_item": 0,
			}
		).insert(ignore_permissions=True)
	return code


def make_members() -> list[str]:
	"""The meeting's members: the shared users of the committee role (tests/users.py)."""
	return [role_user(COMMITTEE, n) for n in range(1, len(MEMBERS) + 1)]


def pending_request(service: str = CASH_SERVICE, amount: float = 2000, **fields) -> str:
	"""A submitted request waiting for the committee, put there directly (not through the
	request's own workflow steps, which are another requirement's)."""
	beneficiary = make_beneficiary().name
	doc = make_request(beneficiary, service, requested_amount=amount, **fields)
	frappe.db.set_value(
		"Assistance Request",
		doc.name,
		{"docstatus": 1, "workflow_state": "Pending Committee"},
		update_modified=False,
	)
	frappe.db.sql("update `tabAssistance Request Item` set docstatus=1 where parent=%s", doc.name)
	return doc.name


def votes(request: str, **by_member) -> list[dict]:
	"""votes(req, m1="For", m2="conflict", m3="conflict+For") with m1… the members' indexes."""
	rows = []
	for key, value in by_member.items():
		member = MEMBERS[int(key[1:]) - 1]
		conflict = value.startswith("conflict")
		vote = value.split("+", 1)[1] if "+" in value else ("" if conflict else value)
		rows.append(
			{
				"assistance_request": request,
				"member": member,
				"conflict_of_interest": int(conflict),
				"vote": vote,
			}
		)
	return rows


def make_meeting(agenda: list[dict], vote_rows: list[dict], quorum: int = 3, **fields):
	"""Prepared by the current user, each member recording his own votes (make_meeting_as_members)."""
	return make_meeting_as_members(
		{
			"doctype": "Research Committee Meeting",
			"meeting_date": today(),
			"quorum": quorum,
			"location": "مقر الجمعية",
			"members": fields.pop("members", None)
			or [
				{"member": member, "attended": 1, "is_chair": int(i == 0)} for i, member in enumerate(MEMBERS)
			],
			"agenda": agenda,
			"votes": vote_rows,
			**fields,
		}
	)


class TestResearchCommitteeMeeting(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		make_members()
		role_user("Charity Manager")
		role_user("Beneficiary Relations Officer")
		make_aid_service(CASH_SERVICE, max_amount=3000)
		make_item(ITEM)
		make_item(OTHER_ITEM)
		make_aid_service(IN_KIND_SERVICE, delivery_type="In-Kind", max_amount=0)
		frappe.db.commit()

	def setUp(self):
		frappe.set_user("Administrator")
		self.request = pending_request(amount=2000)
		frappe.set_user(MEMBERS[0])

	def tearDown(self):
		frappe.set_user("Administrator")

	# --- quorum ---------------------------------------------------------------------------
	def test_quorum_counts_attending_members_without_conflict(self):
		members = [
			{"member": MEMBERS[0], "attended": 1, "is_chair": 1},
			{"member": MEMBERS[1], "attended": 1},
			{"member": MEMBERS[2], "attended": 1},
			{"member": MEMBERS[3], "attended": 0},
		]
		agenda = [{"assistance_request": self.request, "decision": "Approved"}]
		# two votes: below the quorum of three
		with self.assertRaises(QuorumError) as ctx:
			make_meeting(agenda, votes(self.request, m1="For", m2="For"), members=members)
		self.assertIn(self.request, str(ctx.exception))
		# the third attending member is conflicted: still two eligible voters
		with self.assertRaises(QuorumError):
			make_meeting(agenda, votes(self.request, m1="For", m2="For", m3="conflict"), members=members)
		# an absent member cannot vote to make up the quorum
		with self.assertRaises(VoteError):
			make_meeting(agenda, votes(self.request, m1="For", m2="For", m4="For"), members=members)
		# without a decision the meeting can be saved (the agenda is prepared beforehand)
		draft = make_meeting(
			[{"assistance_request": self.request}], votes(self.request, m1="For"), members=members
		)
		self.assertEqual(draft.agenda[0].votes_for, 1)
		# an abstention takes part: quorum reached, decided by the majority of the votes cast
		doc = make_meeting(agenda, votes(self.request, m1="For", m2="For", m3="Abstain"), members=members)
		item = doc.agenda[0]
		self.assertEqual((item.votes_for, item.votes_against), (2, 0))
		self.assertEqual(len(item.deciding_members.splitlines()), 3)
		self.assertEqual(item.approved_amount, 2000)
		self.assertTrue(doc.meeting_date_hijri)

	def test_the_quorum_is_never_below_the_associations_minimum(self):
		"""One member could prepare a meeting with a quorum of one, mark the others present, and
		decide alone; the association's minimum (Charity Settings, default two) holds."""
		agenda = [{"assistance_request": self.request, "decision": "Approved"}]
		for minimum in (0, 2):  # unset (the default) and set
			with (
				self.subTest(minimum=minimum),
				change_settings("Charity Settings", {"minimum_committee_quorum": minimum}),
			):
				with self.assertRaises(QuorumError):
					make_meeting(agenda, votes(self.request, m1="For"), quorum=1)
				doc = make_meeting(agenda, votes(self.request, m1="For", m2="For"), quorum=2)
				self.assertEqual(doc.agenda[0].votes_for, 2)
		with change_settings("Charity Settings", {"minimum_committee_quorum": 1}):
			self.assertEqual(make_meeting(agenda, votes(self.request, m1="For"), quorum=1).quorum, 1)

	def test_quorum_must_be_positive_and_members_unique(self):
		agenda = [{"assistance_request": self.request}]
		with self.assertRaises(QuorumError):
			make_meeting(agenda, [], quorum=0)
		with self.assertRaises(MemberError):
			make_meeting(
				agenda,
				[],
				members=[{"member": MEMBERS[0], "attended": 1}, {"member": MEMBERS[0], "attended": 1}],
			)
		with self.assertRaises(MemberError):
			make_meeting(agenda, [], members=[{"member": OFFICER, "attended": 1}])

	# --- conflict of interest ------------------------------------------------------------------
	def test_conflicted_member_cannot_vote(self):
		agenda = [{"assistance_request": self.request, "decision": "Approved"}]
		with self.assertRaises(ConflictOfInterestError) as ctx:
			make_meeting(agenda, votes(self.request, m1="For", m2="For", m3="For", m4="conflict+For"))
		member = frappe.db.get_value("User", MEMBERS[3], "full_name")
		self.assertEqual(
			str(ctx.exception),
			_("{0} declared a conflict of interest in request {1} and cannot vote on it").format(
				member, self.request
			),
		)
		# declared without voting: recorded, and the member is not among the deciding members
		doc = make_meeting(agenda, votes(self.request, m1="For", m2="For", m3="Against", m4="conflict"))
		item = doc.agenda[0]
		self.assertEqual((item.votes_for, item.votes_against), (2, 1))
		self.assertNotIn(frappe.db.get_value("User", MEMBERS[3], "full_name"), item.deciding_members)

	def test_votes_belong_to_members_and_agenda(self):
		agenda = [{"assistance_request": self.request}]
		# not a member of the meeting
		with self.assertRaises(VoteError):
			make_meeting(agenda, [{"assistance_request": self.request, "member": OFFICER, "vote": "For"}])
		with self.assertRaises(VoteError):
			make_meeting(agenda, votes(self.request, m1="For") + votes(self.request, m1="Against"))
		frappe.set_user("Administrator")
		not_on_agenda = pending_request()
		frappe.set_user(MEMBERS[0])
		with self.assertRaises(VoteError):
			make_meeting(agenda, votes(not_on_agenda, m1="For"))

	def test_each_member_records_only_his_own_vote(self):
		"""R3.3: decisions are recorded with the members who took them; nobody votes for another."""
		agenda = [{"assistance_request": self.request}]
		meeting = frappe.get_doc(
			{
				"doctype": "Research Committee Meeting",
				"meeting_date": today(),
				"quorum": 3,
				"members": [
					{"member": m, "attended": 1, "is_chair": int(i == 0)} for i, m in enumerate(MEMBERS)
				],
				"agenda": agenda,
				"votes": votes(self.request, m1="For", m2="For"),  # m1 enters m2's vote
			}
		)
		with self.assertRaises(VoteError) as ctx:
			meeting.insert()
		self.assertEqual(
			str(ctx.exception),
			_("Only {0} can record his own vote on request {1}").format(
				frappe.db.get_value("User", MEMBERS[1], "full_name"), self.request
			),
		)
		doc = make_meeting(agenda, votes(self.request, m1="For", m2="Against"))  # each his own
		for change in ("vote", "conflict", "remove"):
			with self.subTest(change), self.assertRaises(VoteError):
				doc = frappe.get_doc(doc.doctype, doc.name)
				row = next(row for row in doc.votes if row.member == MEMBERS[1])
				if change == "vote":
					row.vote = "For"
				elif change == "conflict":
					row.conflict_of_interest = 1
				else:
					doc.remove(row)
				doc.save()
		doc = frappe.get_doc(doc.doctype, doc.name)
		next(row for row in doc.votes if row.member == MEMBERS[0]).vote = "Abstain"  # his own: changed
		doc.save()

	def test_only_an_attending_member_submits_the_decisions(self):
		agenda = [{"assistance_request": self.request, "decision": "Approved"}]
		members = [
			{"member": MEMBERS[0], "attended": 0},
			{"member": MEMBERS[1], "attended": 1, "is_chair": 1},
			{"member": MEMBERS[2], "attended": 1},
		]
		# MEMBERS[0] did not attend: he may prepare the meeting, neither record a decision nor submit
		with self.assertRaises(CommitteeRoleError):
			make_meeting(agenda, votes(self.request, m2="For", m3="For"), quorum=2, members=members)
		frappe.set_user(MEMBERS[1])
		doc = make_meeting(agenda, votes(self.request, m2="For", m3="For"), quorum=2, members=members)
		frappe.set_user(MEMBERS[0])
		with self.assertRaises(CommitteeRoleError):
			frappe.get_doc(doc.doctype, doc.name).submit()
		frappe.set_user(MEMBERS[1])
		frappe.get_doc(doc.doctype, doc.name).submit()
		self.assertEqual(
			frappe.db.get_value("Assistance Request", self.request, "workflow_state"), "Approved"
		)

	def test_decisions_are_dated_when_the_meeting_took_place(self):
		agenda = [{"assistance_request": self.request, "decision": "Approved"}]
		rows = votes(self.request, m1="For", m2="For", m3="For")
		for meeting_date in (add_days(today(), 1), add_days(today(), -30)):  # to come; before the request
			with self.subTest(meeting_date), self.assertRaises(DecisionError):
				make_meeting(agenda, rows, meeting_date=meeting_date).submit()
		self.assertEqual(
			frappe.db.get_value("Assistance Request", self.request, "workflow_state"), "Pending Committee"
		)

	# --- agenda -----------------------------------------------------------------------------
	def test_agenda_takes_pending_requests_once(self):
		with self.assertRaises(AgendaError):
			make_meeting([{"assistance_request": self.request}, {"assistance_request": self.request}], [])
		frappe.set_user("Administrator")
		draft_request = make_request(make_beneficiary().name, CASH_SERVICE).name
		frappe.set_user(MEMBERS[0])
		with self.assertRaises(AgendaError):
			make_meeting([{"assistance_request": draft_request}], [])

	def test_get_pending_requests(self):
		pending = {row.name for row in get_pending_requests()}
		self.assertIn(self.request, pending)
		self.assertTrue(all(row.name in pending for row in get_pending_requests(aid_service=CASH_SERVICE)))
		frappe.set_user(OFFICER)  # may read meetings, not prepare them
		with self.assertRaises(frappe.PermissionError):
			get_pending_requests()

	# --- decisions ------------------------------------------------------------------------------
	def test_rejection_and_return_need_a_reason(self):
		against = votes(self.request, m1="Against", m2="Against", m3="For")
		with self.assertRaises(DecisionError) as ctx:
			make_meeting([{"assistance_request": self.request, "decision": "Rejected"}], against)
		self.assertEqual(
			str(ctx.exception), _("Please give the reason for rejecting request {0}").format(self.request)
		)
		with self.assertRaises(DecisionError):
			make_meeting(
				[{"assistance_request": self.request, "decision": "Rejected", "reason": "  "}], against
			)
		with self.assertRaises(DecisionError) as ctx:
			make_meeting([{"assistance_request": self.request, "decision": "Returned"}], against)
		self.assertEqual(
			str(ctx.exception), _("Please give the reason for returning request {0}").format(self.request)
		)
		doc = make_meeting(
			[
				{
					"assistance_request": self.request,
					"decision": "Rejected",
					"reason": "الدخل يتجاوز حد الاستحقاق",
				}
			],
			against,
		)
		self.assertEqual(doc.agenda[0].approved_amount, 0)

	def test_decision_follows_the_votes(self):
		for_majority = votes(self.request, m1="For", m2="For", m3="Against")
		against_majority = votes(self.request, m1="Against", m2="Against", m3="For")
		tie = votes(self.request, m1="For", m2="Against", m3="Abstain")
		reason = "يحتاج إلى تقرير محدث"
		cases = [
			("Approved", against_majority),
			("Approved", tie),
			("Partly Approved", tie),
			("Rejected", for_majority),
			("Rejected", tie),
			("Returned", for_majority),
		]
		for decision, rows in cases:
			with self.subTest(decision=decision), self.assertRaises(DecisionError):
				make_meeting(
					[
						{
							"assistance_request": self.request,
							"decision": decision,
							"reason": reason,
							"approved_amount": 1000,
						}
					],
					rows,
				)
		# a tie (or a majority against) may be returned for more information
		doc = make_meeting(
			[{"assistance_request": self.request, "decision": "Returned", "reason": reason}], tie
		)
		self.assertEqual(doc.agenda[0].decision, "Returned")

	def test_partial_approval_limits(self):
		frappe.set_user("Administrator")
		request = pending_request(amount=5000)  # the service's limit is 3000
		frappe.set_user(MEMBERS[0])
		rows = votes(request, m1="For", m2="For", m3="For")

		def partly(amount):
			return make_meeting(
				[{"assistance_request": request, "decision": "Partly Approved", "approved_amount": amount}],
				rows,
			)

		with self.assertRaises(PartialApprovalError):
			partly(0)
		with self.assertRaises(PartialApprovalError):
			partly(-100)
		with self.assertRaises(PartialApprovalError) as ctx:
			partly(6000)
		self.assertEqual(
			str(ctx.exception),
			_("Request {0}: the approved amount {1} exceeds the requested amount {2}").format(
				request, money(6000), money(5000)
			),
		)
		with self.assertRaises(PartialApprovalError) as ctx:
			partly(4000)
		self.assertEqual(
			str(ctx.exception),
			_("Request {0}: the approved amount {1} exceeds the service's limit of {2}").format(
				request, money(4000), money(3000)
			),
		)
		self.assertEqual(partly(3000).agenda[0].approved_amount, 3000)
		# approving in full is above the service's limit: only a partial approval is possible
		with self.assertRaises(PartialApprovalError):
			make_meeting([{"assistance_request": request, "decision": "Approved"}], rows)

	def test_partial_approval_by_items(self):
		frappe.set_user("Administrator")
		request = pending_request(
			IN_KIND_SERVICE, amount=0, requested_items=[{"item_code": ITEM, "qty": 4, "uom": "Nos"}]
		)
		frappe.set_user(MEMBERS[0])
		rows = votes(request, m1="For", m2="For", m3="For")
		agenda = [{"assistance_request": request, "decision": "Partly Approved"}]

		def items(*pairs):
			return [{"assistance_request": request, "item_code": code, "qty": qty} for code, qty in pairs]

		with self.assertRaises(PartialApprovalError):
			make_meeting(agenda, rows, approved_items=items((ITEM, 3), (ITEM, 2)))  # 5 > 4 requested
		with self.assertRaises(PartialApprovalError):
			make_meeting(agenda, rows, approved_items=items((OTHER_ITEM, 1)))  # not requested
		with self.assertRaises(PartialApprovalError):
			make_meeting(agenda, rows, approved_items=items((ITEM, 0)))
		with self.assertRaises(DecisionError):  # items are only for a partial approval
			make_meeting(
				[{"assistance_request": request, "decision": "Approved"}],
				rows,
				approved_items=items((ITEM, 2)),
			)
		doc = make_meeting(agenda, rows, approved_items=items((ITEM, 2)))
		doc.submit()
		request_doc = frappe.get_doc("Assistance Request", request)
		self.assertEqual(request_doc.workflow_state, "Partly Approved")
		self.assertEqual([(row.item_code, row.qty) for row in request_doc.approved_items], [(ITEM, 2)])

	def test_changed_approved_items_need_the_members_to_vote_again(self):
		"""Each vote records what it was for: the goods a partial approval gives are part of it."""
		frappe.set_user("Administrator")
		request = pending_request(
			IN_KIND_SERVICE, amount=0, requested_items=[{"item_code": ITEM, "qty": 4, "uom": "Nos"}]
		)
		frappe.set_user(MEMBERS[0])
		doc = make_meeting(
			[{"assistance_request": request, "decision": "Partly Approved"}],
			votes(request, m1="For", m2="For", m3="For"),
			approved_items=[{"assistance_request": request, "item_code": ITEM, "qty": 2}],
		)
		self.assertEqual({row.items_voted for row in doc.votes}, {f"{ITEM} × 2.0 Nos"})
		doc = frappe.get_doc(doc.doctype, doc.name)
		doc.approved_items[0].qty = 4  # rewritten after the votes: saved, carried by no vote
		doc.save()
		self.assertEqual((doc.agenda[0].votes_for, doc.agenda[0].deciding_members or ""), (0, ""))
		with self.assertRaises(StaleVoteError):
			frappe.get_doc(doc.doctype, doc.name).submit()
		for member in MEMBERS[:3]:
			frappe.set_user(member)
			cast_vote(doc.name, "For", assistance_request=request)
		frappe.set_user(MEMBERS[0])
		frappe.get_doc(doc.doctype, doc.name).submit()
		approved = frappe.get_all(
			"Assistance Request Item", {"parent": request, "parentfield": "approved_items"}, ["qty"]
		)
		self.assertEqual([row.qty for row in approved], [4])

	# --- submitting applies the decisions ---------------------------------------------------------
	def test_submit_applies_each_decision_through_the_workflow(self):
		frappe.set_user("Administrator")
		approve, partly, reject, give_back = (pending_request(amount=2000) for _ in range(4))
		frappe.set_user(MEMBERS[0])
		rows = (
			votes(approve, m1="For", m2="For", m3="For", m4="conflict")
			+ votes(partly, m1="For", m2="For", m3="Against")
			+ votes(reject, m1="Against", m2="Against", m3="Against", m4="For")
			+ votes(give_back, m1="Abstain", m2="Abstain", m3="Abstain")
		)
		doc = make_meeting(
			[
				{"assistance_request": approve, "decision": "Approved"},
				{"assistance_request": partly, "decision": "Partly Approved", "approved_amount": 1200},
				{"assistance_request": reject, "decision": "Rejected", "reason": "لا تنطبق شروط الخدمة"},
				{"assistance_request": give_back, "decision": "Returned", "reason": "يرجى إرفاق عقد الإيجار"},
			],
			rows,
			minutes="<p>اجتمعت اللجنة وقررت ما يلي.</p>",
		)
		doc.submit()

		expected = {
			approve: ("Approved", 2000, None),
			partly: ("Partly Approved", 1200, None),
			reject: ("Rejected", 0, "لا تنطبق شروط الخدمة"),
			give_back: ("Returned", 0, "يرجى إرفاق عقد الإيجار"),
		}
		for name, (state, amount, reason) in expected.items():
			request = frappe.get_doc("Assistance Request", name)
			with self.subTest(decision=state):
				self.assertEqual(request.workflow_state, state)
				self.assertEqual(request.decision, state)
				self.assertEqual(request.approved_amount, amount)
				self.assertEqual(request.remaining_amount, amount)  # the balance is real from the decision
				self.assertEqual(request.committee_meeting, doc.name)
				self.assertTrue(request.decided_on)
				if reason:
					self.assertEqual(request.decision_reason, reason)
		self.assertEqual(doc.agenda[0].deciding_members.count("\n"), 2)  # the conflicted member is not one

		# a decided request cannot come back on another agenda
		with self.assertRaises(AgendaError):
			make_meeting([{"assistance_request": approve}], [])

		# the minutes print right to left, with the Hijri date
		html = frappe.get_print("Research Committee Meeting", doc.name, print_format="محضر اللجنة", doc=doc)
		self.assertIn('dir="rtl"', html)
		self.assertIn(doc.meeting_date_hijri, html)
		self.assertIn("يرجى إرفاق عقد الإيجار", html)

		# the decisions are final: the meeting is not cancelled
		frappe.set_user("Administrator")
		with self.assertRaises(MeetingCancelError):
			frappe.get_doc("Research Committee Meeting", doc.name).cancel()
		self.assertEqual(frappe.db.get_value("Research Committee Meeting", doc.name, "docstatus"), 1)

	def test_every_agenda_item_needs_a_decision_to_submit(self):
		doc = make_meeting([{"assistance_request": self.request}], votes(self.request, m1="For"))
		with self.assertRaises(DecisionError):
			doc.submit()

	def test_user_without_the_committee_role_cannot_submit(self):
		agenda = [{"assistance_request": self.request, "decision": "Approved"}]
		rows = votes(self.request, m1="For", m2="For", m3="For")
		frappe.set_user(MANAGER)  # may prepare and submit meetings, but takes no committee decision
		with self.assertRaises(CommitteeRoleError):
			make_meeting(agenda, rows)
		frappe.set_user(MEMBERS[0])
		doc = make_meeting(agenda, rows)
		frappe.set_user(MANAGER)
		with self.assertRaises(CommitteeRoleError):
			frappe.get_doc(doc.doctype, doc.name).submit()
		self.assertEqual(
			frappe.db.get_value("Assistance Request", self.request, "workflow_state"), "Pending Committee"
		)
		frappe.set_user(OFFICER)  # may only read meetings
		with self.assertRaises(frappe.PermissionError):
			make_meeting(agenda, rows)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Research Committee Meeting", doc.name).submit()

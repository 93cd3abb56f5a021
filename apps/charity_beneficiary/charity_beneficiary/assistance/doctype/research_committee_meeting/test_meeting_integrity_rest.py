# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""R3.2, R3.3 over HTTP, as the committee members meet them in the desk: a meeting is not dated
before its requests reached the committee; who attends is recorded by whoever prepares the minutes;
a decision changed after the votes needs the members to vote again.

The HTTP server is another process: this class commits what it makes and removes it in a class
clean-up."""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, now_datetime, today

from charity_beneficiary.disbursement.doctype.aid_disbursement.test_aid_disbursement import (
	purge,
	retried,
)
from charity_beneficiary.tests.committed import purge_beneficiary
from charity_beneficiary.tests.factories import (
	TEST_PASSWORD,
	make_active_beneficiary,
	make_aid_service,
	make_request,
)
from charity_beneficiary.tests.users import role_user

COMMITTEE = "Research Committee Member"
SERVICE = "مساعدة مباشرة (اختبار سلامة محضر اللجنة)"
MEETING = "Research Committee Meeting"
CAST_VOTE = (
	"charity_beneficiary.assistance.doctype.research_committee_meeting.research_committee_meeting.cast_vote"
)


class TestMeetingIntegrityOverRest(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		from charity_beneficiary.tests.live_server import live_server

		super().setUpClass()
		frappe.set_user("Administrator")
		cls.meetings = []
		cls.addClassCleanup(retried, cls.remove_committed)
		cls.m1, cls.m2, cls.m3 = (role_user(COMMITTEE, n) for n in (1, 2, 3))
		cls.manager = role_user("Charity Manager")
		make_aid_service(SERVICE, requires_research=0, max_amount=0)
		cls.beneficiary = make_active_beneficiary().name
		frappe.db.commit()  # the HTTP server is another process
		cls.server = live_server()
		cls.sessions = {}

	@classmethod
	def remove_committed(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		purge(MEETING, cls.meetings)
		purge_beneficiary(cls.beneficiary)
		frappe.db.commit()

	def setUp(self):
		frappe.set_user("Administrator")

	# --- helpers -------------------------------------------------------------------------------
	def session(self, user):
		if user not in self.sessions:
			self.sessions[user] = self.server.session(user, TEST_PASSWORD)
		return self.sessions[user]

	@property
	def url(self) -> str:
		return f"{self.server.url}/api/resource/{MEETING}"

	def pending_request(self, received_days_ago: int = 14, amount: float = 2000) -> str:
		"""A request received `received_days_ago` days ago and sent to the committee today, through
		the workflow (which stamps when it reached the committee)."""
		request = make_request(
			self.beneficiary,
			SERVICE,
			submit=True,
			requested_amount=amount,
			received_on=add_days(today(), -received_days_ago),
		)
		apply_workflow(frappe.get_doc("Assistance Request", request.name), "Send to Committee")
		frappe.db.commit()
		return request.name

	def sent_to_committee_days_ago(self, request: str, days: int) -> None:
		"""As if the request had been sent to the committee `days` days ago."""
		earlier = add_days(now_datetime(), -days)
		frappe.db.set_value(
			"Assistance Request", request, "sent_to_committee_on", earlier, update_modified=False
		)
		frappe.db.commit()

	def prepare(self, user, request, members, quorum=2, **fields) -> str:
		response = self.session(user).post(
			self.url,
			json={
				"meeting_date": today(),
				"quorum": quorum,
				"members": members,
				"agenda": [{"assistance_request": request}],
				**fields,
			},
		)
		self.assertEqual(response.status_code, 200, response.text[:500])
		name = response.json()["data"]["name"]
		self.meetings.append(name)
		return name

	def put(self, user, name, payload):
		return self.session(user).put(f"{self.url}/{name}", json=payload)

	def vote(self, user, name, request, vote="For"):
		"""The member adds his own vote row, as the desk saves it (the whole table)."""
		rows = self.session(user).get(f"{self.url}/{name}").json()["data"]["votes"]
		rows.append({"assistance_request": request, "member": user, "vote": vote})
		response = self.put(user, name, {"votes": rows})
		self.assertEqual(response.status_code, 200, response.text[:500])

	def refused(self, response, exc_type, status=417):
		self.assertEqual(response.status_code, status, response.text[:500])
		self.assertEqual(response.json()["exc_type"], exc_type, response.text[:500])

	def state(self, request) -> str:
		frappe.db.rollback()  # a fresh snapshot
		return frappe.db.get_value("Assistance Request", request, "workflow_state")

	# --- 1. the meeting's date -----------------------------------------------------------------
	def test_a_meeting_is_not_dated_before_its_requests_reached_the_committee(self):
		"""Received 30 days ago, overdue, sent to the committee today: a meeting dated 28 days ago
		would have decided it in time, before it even reached the committee."""
		request = self.pending_request(received_days_ago=30)
		members = [{"member": self.m1, "attended": 1, "is_chair": 1}, {"member": self.m2, "attended": 1}]
		name = self.prepare(self.m1, request, members, meeting_date=add_days(today(), -28))
		self.vote(self.m1, name, request)
		self.vote(self.m2, name, request)
		decided = {"assistance_request": request, "decision": "Approved"}
		self.assertEqual(self.put(self.m1, name, {"agenda": [decided]}).status_code, 200)
		self.refused(self.put(self.m1, name, {"docstatus": 1}), "MeetingDateError")
		self.assertEqual(self.state(request), "Pending Committee")

		# held yesterday, recorded today: possible once the request reached the committee before
		self.assertEqual(self.put(self.m1, name, {"meeting_date": add_days(today(), -1)}).status_code, 200)
		self.refused(self.put(self.m1, name, {"docstatus": 1}), "MeetingDateError")  # reached today
		frappe.db.rollback()
		self.sent_to_committee_days_ago(request, 3)
		response = self.put(self.m1, name, {"docstatus": 1})
		self.assertEqual(response.status_code, 200, response.text[:500])
		self.assertEqual(self.state(request), "Approved")
		self.assertEqual(
			getdate(frappe.db.get_value("Assistance Request", request, "decided_on")),
			getdate(add_days(today(), -1)),
		)

	# --- 2. who attends --------------------------------------------------------------------------
	def test_a_member_does_not_invite_himself_nor_tick_his_own_attendance(self):
		request = self.pending_request()
		members = [{"member": self.m1, "attended": 1, "is_chair": 1}, {"member": self.m2, "attended": 0}]
		name = self.prepare(self.m1, request, members)

		# m3, not listed, adds himself as attending (or as chair), votes and decides
		for m3 in ({"member": self.m3, "attended": 1}, {"member": self.m3, "attended": 1, "is_chair": 1}):
			with self.subTest(m3=m3):
				response = self.put(
					self.m3,
					name,
					{
						"members": [*members, m3],
						"votes": [{"assistance_request": request, "member": self.m3, "vote": "For"}],
					},
				)
				self.refused(response, "AttendanceError")
		# m2, listed as absent, ticks his own attendance, or adds another member, or takes the chair
		for changed in (
			[members[0], {"member": self.m2, "attended": 1}],
			[*members, {"member": self.m3, "attended": 1}],
			[{"member": self.m1, "attended": 1}, {"member": self.m2, "attended": 0, "is_chair": 1}],
		):
			with self.subTest(changed=changed):
				self.refused(self.put(self.m2, name, {"members": changed}), "AttendanceError")
		frappe.db.rollback()
		self.assertEqual(
			sorted(frappe.get_all("Committee Member", {"parent": name}, pluck="member")),
			sorted([self.m1, self.m2]),
		)

		# the chair who prepared the meeting records it; once a vote is recorded nobody joins
		present = [members[0], {"member": self.m2, "attended": 1}]
		self.assertEqual(self.put(self.m1, name, {"members": present}).status_code, 200)
		self.vote(self.m1, name, request)
		self.refused(
			self.put(self.m1, name, {"members": [*present, {"member": self.m3, "attended": 1}]}),
			"AttendanceError",
		)

	def test_the_chair_records_attendance_in_a_meeting_the_manager_prepared(self):
		request = self.pending_request()
		members = [{"member": self.m1, "attended": 1, "is_chair": 1}, {"member": self.m2, "attended": 0}]
		name = self.prepare(self.manager, request, members)
		present = [members[0], {"member": self.m2, "attended": 1}]
		self.refused(self.put(self.m2, name, {"members": present}), "AttendanceError")
		self.assertEqual(self.put(self.m1, name, {"members": present}).status_code, 200)  # the chair
		self.assertEqual(self.put(self.manager, name, {"members": members}).status_code, 200)  # preparer

	# --- 3. a decision changed after the votes ---------------------------------------------------
	def test_a_decision_changed_after_the_votes_needs_the_members_to_vote_again(self):
		request = self.pending_request(amount=2000)
		members = [{"member": self.m1, "attended": 1, "is_chair": 1}, {"member": self.m2, "attended": 1}]
		name = self.prepare(self.m1, request, members)
		self.vote(self.m1, name, request)
		self.vote(self.m2, name, request)
		partly = {"assistance_request": request, "decision": "Partly Approved", "approved_amount": 500}
		self.assertEqual(self.put(self.m1, name, {"agenda": [partly]}).status_code, 200)
		frappe.db.rollback()
		self.assertEqual(
			{
				tuple(row)
				for row in frappe.get_all(
					"Committee Vote",
					{"parent": name},
					["member", "decision_voted", "amount_voted"],
					as_list=True,
				)
			},
			{(self.m1, "Partly Approved", 500), (self.m2, "Partly Approved", 500)},
		)

		# rewritten into a full approval: the draft saves, the votes for 500 no longer carry it
		full = {**partly, "decision": "Approved", "approved_amount": 0}
		response = self.put(self.m1, name, {"agenda": [full]})
		self.assertEqual(response.status_code, 200, response.text[:500])
		item = response.json()["data"]["agenda"][0]
		self.assertEqual((item["votes_for"], item["deciding_members"] or ""), (0, ""))
		self.refused(self.put(self.m1, name, {"docstatus": 1}), "StaleVoteError")
		self.assertEqual(self.state(request), "Pending Committee")

		# nobody writes what a vote was for by hand
		votes = self.session(self.m2).get(f"{self.url}/{name}").json()["data"]["votes"]
		for row in votes:
			if row["member"] == self.m2:
				row.update(decision_voted="Approved", amount_voted=2000)
		self.refused(self.put(self.m2, name, {"votes": votes}), "CodeOwnedFieldError", status=403)

		# one member voting again is not a quorum of two; both are
		cast = f"{self.server.url}/api/method/{CAST_VOTE}"
		ballot = {"meeting": name, "assistance_request": request, "vote": "For"}
		response = self.session(self.m1).post(cast, data=ballot)
		self.assertEqual(response.status_code, 200, response.text[:500])
		self.assertEqual(response.json()["message"]["decision_voted"], "Approved")
		self.refused(self.put(self.m1, name, {"docstatus": 1}), "StaleVoteError")
		self.assertEqual(self.session(self.m2).post(cast, data=ballot).status_code, 200)
		response = self.put(self.m1, name, {"docstatus": 1})
		self.assertEqual(response.status_code, 200, response.text[:500])
		self.assertEqual(len(response.json()["data"]["agenda"][0]["deciding_members"].splitlines()), 2)
		self.assertEqual(self.state(request), "Approved")
		self.assertEqual(frappe.db.get_value("Assistance Request", request, "approved_amount"), 2000)

	def test_a_member_may_not_vote_again_for_another(self):
		request = self.pending_request()
		members = [{"member": self.m1, "attended": 1, "is_chair": 1}, {"member": self.m2, "attended": 1}]
		name = self.prepare(self.m1, request, members)
		self.vote(self.m2, name, request, "Against")
		response = self.session(self.m3).post(
			f"{self.server.url}/api/method/{CAST_VOTE}",
			data={"meeting": name, "assistance_request": request, "vote": "For"},
		)
		self.refused(response, "VoteError")  # not a member of this meeting

"""R8.1 with R3.1, R3.3 over HTTP: the workflow offers an action only when it can succeed.

The desk shows the actions frappe's `get_transitions` returns for the user; an action the request's
controller would refuse (sending to research before a researcher is chosen, to the committee before
the report, a committee member's decision outside a meeting, a cancellation that linked records
forbid) is not offered. The meeting still applies its decisions through the same transitions."""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.assistance.doctype.research_committee_meeting.test_research_committee_meeting import (
	MEMBERS,
	make_meeting,
	make_members,
	votes,
)
from charity_beneficiary.disbursement.doctype.aid_disbursement.test_aid_disbursement import (
	purge,
	purge_requests,
	retried,
)
from charity_beneficiary.tests.committed import purge_beneficiary
from charity_beneficiary.tests.factories import (
	TEST_PASSWORD,
	make_active_beneficiary,
	make_aid_service,
	make_approved_request,
	make_request,
)
from charity_beneficiary.tests.users import role_user

RESEARCH_SERVICE = "مساعدة بعد بحث (اختبار إجراءات سير العمل)"
DIRECT_SERVICE = "مساعدة مباشرة (اختبار إجراءات سير العمل)"
DECISIONS = {"Approve", "Partly Approve", "Reject", "Return"}


class TestWorkflowOffersOnlyWhatSucceeds(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		from charity_beneficiary.tests.live_server import live_server

		super().setUpClass()
		frappe.set_user("Administrator")
		cls.meetings = []
		cls.addClassCleanup(retried, cls.remove_committed)
		cls.users = {
			role: role_user(role)
			for role in (
				"Beneficiary Relations Officer",
				"Social Researcher",
				"Research Committee Member",
				"Charity Manager",
			)
		}
		make_members()  # the meeting's quorum needs several members: the meeting tests' own
		make_aid_service(RESEARCH_SERVICE, requires_research=1)
		make_aid_service(DIRECT_SERVICE, requires_research=0)
		cls.beneficiary = make_active_beneficiary().name
		frappe.db.commit()  # the HTTP server is another process
		cls.server = live_server()
		cls.sessions = {}

	@classmethod
	def remove_committed(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		purge("Research Committee Meeting", cls.meetings)
		purge_beneficiary(cls.beneficiary)
		frappe.db.commit()

	def setUp(self):
		frappe.set_user("Administrator")  # this class commits: the steps are taken by Administrator

	def offered(self, role: str, request: str) -> set[str]:
		"""The actions the desk would show `role` on the request, asked of the real server."""
		frappe.db.commit()
		if role not in self.sessions:
			self.sessions[role] = self.server.session(self.users[role], TEST_PASSWORD)
		response = self.sessions[role].post(
			f"{self.server.url}/api/method/frappe.model.workflow.get_transitions",
			data={"doc": frappe.as_json({"doctype": "Assistance Request", "name": request})},
		)
		self.assertEqual(response.status_code, 200, response.text[:500])
		return {row["action"] for row in response.json()["message"]}

	def step(self, request: str, action: str) -> None:
		apply_workflow(frappe.get_doc("Assistance Request", request), action)

	def test_research_cannot_be_skipped_by_the_submitting_save(self):
		"""frappe fetches `requires_research` on a draft's saves, not on the save that submits it: the
		officer sent it as 0 with the submission (and, once, with another service); the service's rule
		is kept and the committee is not offered before the research."""
		officer = "Beneficiary Relations Officer"
		session = self.sessions.get(officer) or self.server.session(self.users[officer], TEST_PASSWORD)
		self.sessions[officer] = session
		direct = make_request(self.beneficiary, DIRECT_SERVICE).name
		for payload in (
			{"docstatus": 1, "requires_research": 0},
			{"docstatus": 1, "requires_research": 0, "aid_service": RESEARCH_SERVICE, "name": direct},
		):
			with self.subTest(payload):
				name = payload.pop("name", None) or make_request(self.beneficiary, RESEARCH_SERVICE).name
				frappe.db.commit()
				response = session.put(
					f"{self.server.url}/api/resource/Assistance Request/{name}", json=payload
				)
				self.assertEqual(response.status_code, 200, response.text[:500])
				frappe.db.rollback()  # a fresh snapshot
				self.assertEqual(
					frappe.db.get_value("Assistance Request", name, ["docstatus", "requires_research"]),
					(1, 1),
				)
				self.assertNotIn("Send to Committee", self.offered(officer, name))

	def test_research_is_offered_once_a_researcher_is_chosen(self):
		request = make_request(self.beneficiary, RESEARCH_SERVICE, submit=True).name
		officer = "Beneficiary Relations Officer"
		self.assertNotIn("Send to Research", self.offered(officer, request))
		self.assertNotIn("Send to Committee", self.offered(officer, request))  # research comes first
		frappe.db.set_value("Assistance Request", request, "researcher", self.users["Social Researcher"])
		self.assertIn("Send to Research", self.offered(officer, request))

		self.step(request, "Send to Research")
		offered = self.offered("Social Researcher", request)
		self.assertNotIn("Send to Committee", offered)  # no submitted research report yet
		self.assertIn("Return", offered)

	def test_a_return_carries_its_reason(self):
		"""R3.3: frappe's plain Return returned the request with no reason for the applicant; the
		officer returns it with return_request (the desk's Return button asks for the reason)."""
		officer = "Beneficiary Relations Officer"
		session = self.sessions.get(officer) or self.server.session(self.users[officer], TEST_PASSWORD)
		self.sessions[officer] = session
		request = make_request(self.beneficiary, DIRECT_SERVICE, submit=True).name
		frappe.db.commit()
		self.assertIn("Return", self.offered(officer, request))
		response = session.post(
			f"{self.server.url}/api/method/frappe.model.workflow.apply_workflow",
			data={
				"doc": frappe.as_json({"doctype": "Assistance Request", "name": request}),
				"action": "Return",
			},
		)
		self.assertEqual(response.status_code, 417, response.text[:500])
		frappe.db.rollback()  # a fresh snapshot
		self.assertEqual(
			frappe.db.get_value("Assistance Request", request, "workflow_state"), "Pending Verification"
		)
		response = session.post(
			f"{self.server.url}/api/method/charity_beneficiary.assistance.doctype.assistance_request.assistance_request.return_request",
			data={"request": request, "reason": "يرجى إرفاق صورة الهوية"},
		)
		self.assertEqual(response.status_code, 200, response.text[:500])
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.get_value("Assistance Request", request, ["workflow_state", "decision_reason"]),
			("Returned", "يرجى إرفاق صورة الهوية"),
		)

	def test_a_committee_member_alone_is_offered_no_decision(self):
		request = make_request(self.beneficiary, DIRECT_SERVICE, submit=True).name
		self.step(request, "Send to Committee")
		self.assertFalse(self.offered("Research Committee Member", request) & DECISIONS)
		self.assertEqual(self.offered("Charity Manager", request), {"Cancel"})

	def test_over_rest_each_member_records_only_his_own_vote(self):
		"""R3.3 where the members meet it: the desk saves the meeting over REST."""
		request = make_request(self.beneficiary, DIRECT_SERVICE, submit=True).name
		self.step(request, "Send to Committee")
		frappe.db.commit()
		first, second = (self.server.session(member, TEST_PASSWORD) for member in MEMBERS[:2])
		url = f"{self.server.url}/api/resource/Research Committee Meeting"
		meeting = {
			"quorum": 2,
			"members": [{"member": m, "attended": 1} for m in MEMBERS[:2]],
			"agenda": [{"assistance_request": request}],
		}
		for_another = {"assistance_request": request, "member": MEMBERS[1], "vote": "For"}
		response = first.post(url, json={**meeting, "votes": [for_another]})
		self.assertEqual(response.status_code, 417, response.text[:300])
		self.assertEqual(response.json()["exc_type"], "VoteError")
		own = {"assistance_request": request, "member": MEMBERS[0], "vote": "For"}
		response = first.post(url, json={**meeting, "votes": [own]})
		self.assertEqual(response.status_code, 200, response.text[:300])
		name = response.json()["data"]["name"]
		self.meetings.append(name)
		response = second.put(f"{url}/{name}", json={"votes": [own, {**for_another, "vote": "Against"}]})
		self.assertEqual(response.status_code, 200, response.text[:300])
		# his vote is his: the first member can neither change nor remove it
		for rows in ([own, for_another], [own]):
			response = first.put(f"{url}/{name}", json={"votes": rows})
			self.assertEqual(response.status_code, 417, response.text[:300])
		frappe.db.rollback()  # a fresh snapshot
		self.assertEqual(
			frappe.db.get_value("Committee Vote", {"parent": name, "member": MEMBERS[1]}, "vote"),
			"Against",
		)

	def test_over_rest_only_an_attending_member_records_the_decision(self):
		"""R3.3: the manager prepares meetings but does not decide: after the members voted, he could
		rewrite a partial approval into a full one and the votes carried it."""
		request = make_request(self.beneficiary, DIRECT_SERVICE, submit=True, requested_amount=2000).name
		self.step(request, "Send to Committee")
		frappe.db.commit()
		first, second = (self.server.session(member, TEST_PASSWORD) for member in MEMBERS[:2])
		manager = self.server.session(self.users["Charity Manager"], TEST_PASSWORD)
		url = f"{self.server.url}/api/resource/Research Committee Meeting"
		own = [{"assistance_request": request, "member": m, "vote": "For"} for m in MEMBERS[:2]]
		response = first.post(
			url,
			json={
				"quorum": 2,
				"members": [{"member": m, "attended": 1} for m in MEMBERS[:2]],
				"agenda": [{"assistance_request": request}],
				"votes": own[:1],
			},
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		name = response.json()["data"]["name"]
		self.meetings.append(name)
		self.assertEqual(second.put(f"{url}/{name}", json={"votes": own}).status_code, 200)
		partly = {"assistance_request": request, "decision": "Partly Approved", "approved_amount": 500}
		response = first.put(f"{url}/{name}", json={"agenda": [partly]})
		self.assertEqual(response.status_code, 200, response.text[:300])
		for agenda in (
			[{**partly, "decision": "Approved", "approved_amount": 0}],
			[{**partly, "approved_amount": 900}],
		):
			with self.subTest(agenda=agenda):
				response = manager.put(f"{url}/{name}", json={"agenda": agenda})
				self.assertEqual(response.status_code, 403, response.text[:300])
		# what he may still do: the meeting's other details
		self.assertEqual(manager.put(f"{url}/{name}", json={"location": "قاعة الاجتماعات"}).status_code, 200)
		frappe.db.rollback()  # a fresh snapshot
		self.assertEqual(
			frappe.db.get_value("Committee Agenda Item", {"parent": name}, ["decision", "approved_amount"]),
			("Partly Approved", 500),
		)

	def test_the_meeting_still_decides_and_its_return_is_not_offered_again(self):
		request = make_request(self.beneficiary, DIRECT_SERVICE, submit=True).name
		self.step(request, "Send to Committee")
		frappe.set_user(MEMBERS[0])  # the meeting is its members' (each records his own vote)
		meeting = make_meeting(
			[{"assistance_request": request, "decision": "Returned", "reason": "يرجى إرفاق عقد الإيجار"}],
			votes(request, m1="Abstain", m2="Abstain", m3="Abstain"),
		)
		self.meetings.append(meeting.name)
		meeting.submit()  # applies "Return" through the workflow, as the committee's transition
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Assistance Request", request, "workflow_state"), "Returned")

		# back before the committee: the earlier meeting's decision is not offered as a button
		self.step(request, "Resubmit")
		self.step(request, "Send to Committee")
		self.assertFalse(self.offered("Research Committee Member", request) & DECISIONS)
		# the submitted meeting links the request, which therefore cannot be cancelled
		self.assertNotIn("Cancel", self.offered("Charity Manager", request))

	def session(self, role: str):
		if role not in self.sessions:
			self.sessions[role] = self.server.session(self.users[role], TEST_PASSWORD)
		return self.sessions[role]

	def test_a_request_is_cancelled_only_through_its_workflow(self):
		"""frappe's plain cancel skipped the workflow: the request stayed "Pending Committee" while
		cancelled (the portal showed it waiting; the ageing report and the escalations dropped it)."""
		request = make_request(self.beneficiary, DIRECT_SERVICE, submit=True).name
		self.step(request, "Send to Committee")
		frappe.db.commit()
		manager = self.session("Charity Manager")
		for method, data in (
			("frappe.client.cancel", {"doctype": "Assistance Request", "name": request}),
			(
				"frappe.client.set_value",
				{"doctype": "Assistance Request", "name": request, "fieldname": '{"docstatus": 2}'},
			),
		):
			with self.subTest(method):
				response = manager.post(f"{self.server.url}/api/method/{method}", data=data)
				self.assertEqual(response.status_code, 417, response.text[:300])
				frappe.db.rollback()  # a fresh snapshot
				self.assertEqual(
					frappe.db.get_value("Assistance Request", request, ["docstatus", "workflow_state"]),
					(1, "Pending Committee"),
				)
		response = manager.post(
			f"{self.server.url}/api/method/frappe.model.workflow.apply_workflow",
			data={
				"doc": frappe.as_json({"doctype": "Assistance Request", "name": request}),
				"action": "Cancel",
			},
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.get_value("Assistance Request", request, ["docstatus", "workflow_state"]),
			(2, "Cancelled"),
		)

	def test_the_researcher_stays_once_the_request_left_research(self):
		"""R3.1, R8.2: re-assigned after the research, the request named a researcher whose report it
		was not, and opened the beneficiary's file to him."""
		other = role_user("Social Researcher", 2)
		waiting = make_request(self.beneficiary, DIRECT_SERVICE, submit=True).name
		self.step(waiting, "Send to Committee")
		approved = make_approved_request(self.beneficiary, DIRECT_SERVICE, approved_amount=500).name
		frappe.db.commit()
		officer = self.session("Beneficiary Relations Officer")
		for request in (waiting, approved):
			with self.subTest(request):
				response = officer.post(
					f"{self.server.url}/api/method/frappe.client.set_value",
					data={
						"doctype": "Assistance Request",
						"name": request,
						"fieldname": "researcher",
						"value": other,
					},
				)
				self.assertEqual(response.status_code, 417, response.text[:300])
				self.assertEqual(response.json()["exc_type"], "ResearcherChangeError")
				frappe.db.rollback()
				self.assertFalse(frappe.db.get_value("Assistance Request", request, "researcher"))
		# before the research it is the officer's to assign (and to change)
		pending = make_request(self.beneficiary, RESEARCH_SERVICE, submit=True).name
		frappe.db.commit()
		for researcher in (self.users["Social Researcher"], other):
			response = officer.put(
				f"{self.server.url}/api/resource/Assistance Request/{pending}",
				json={"researcher": researcher},
			)
			self.assertEqual(response.status_code, 200, response.text[:300])

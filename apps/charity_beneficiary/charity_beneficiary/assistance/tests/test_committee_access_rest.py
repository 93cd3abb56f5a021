"""R3.3, R8.2 over HTTP: a research committee member reads the requests brought before the committee
(waiting for it, or on a meeting's agenda), their research reports and their beneficiaries' files —
not the register, nor requests still being verified or researched (assistance/committee_access.py).

The HTTP server is another process: this class commits what it makes and removes it in a class
clean-up.
"""

import json

import frappe
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.assistance import committee_access
from charity_beneficiary.disbursement.doctype.aid_disbursement.test_aid_disbursement import (
	purge,
	purge_requests,
	retried,
)
from charity_beneficiary.tests.factories import (
	TEST_PASSWORD,
	committee_decides,
	make_active_beneficiary,
	make_aid_service,
	make_request,
)
from charity_beneficiary.tests.live_server import live_server
from charity_beneficiary.tests.users import role_user, roles_user

SERVICE = "مساعدة نقدية (اختبار اللجنة)"
COMMITTEE_STATE = "Pending Committee"


class TestCommitteeReadsWhatIsBeforeIt(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.made = {"Beneficiary": [], "Assistance Request": [], "Research Committee Meeting": []}
		cls.addClassCleanup(retried, cls.remove_committed)
		cls.committee = role_user("Research Committee Member")
		cls.officer = role_user("Beneficiary Relations Officer")
		cls.committee_officer = roles_user("Research Committee Member", "Beneficiary Relations Officer")
		# narrowed roles together: each work's records, not the register
		cls.narrowed_pairs = [
			roles_user("Research Committee Member", "Social Researcher"),
			roles_user("Research Committee Member", "Charity Accountant"),
		]
		make_aid_service(SERVICE, max_amount=0)
		cls.pending = cls.request(COMMITTEE_STATE)  # waits for the committee
		cls.verifying = cls.request(None)  # just received: Pending Verification
		cls.decided = cls.request(COMMITTEE_STATE)
		committee_decides(
			{"assistance_request": cls.decided.name, "decision": "Approved", "approved_amount": 500},
			made=cls.made["Research Committee Meeting"],
		)
		frappe.set_user("Administrator")
		cls.report = cls.research_report(cls.pending.name)
		cls.unseen_report = cls.research_report(cls.verifying.name)
		frappe.db.commit()
		cls.server = live_server()
		cls.sessions = {}

	@classmethod
	def request(cls, state):
		beneficiary = make_active_beneficiary().name
		cls.made["Beneficiary"].append(beneficiary)
		request = make_request(beneficiary, SERVICE, submit=True, contact_mobile="0551234567")
		cls.made["Assistance Request"].append(request.name)
		if state:
			frappe.db.set_value("Assistance Request", request.name, "workflow_state", state)
		return frappe.get_doc("Assistance Request", request.name)

	@classmethod
	def research_report(cls, request) -> str:
		"""A draft report row, written directly: what is read, not how it is written (its own tests)."""
		report = frappe.get_doc(
			{
				"doctype": "Research Report",
				"assistance_request": request,
				"beneficiary": frappe.db.get_value("Assistance Request", request, "beneficiary"),
				"aid_service": SERVICE,
				"visit_type": "Home Visit",
				"findings": "<p>زيارة منزلية</p>",
			}
		)
		report.set_new_name()
		report.db_insert()
		return report.name

	@classmethod
	def remove_committed(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		purge("Research Report", [getattr(cls, n, None) for n in ("report", "unseen_report")])
		purge("Research Committee Meeting", cls.made["Research Committee Meeting"])
		requests = cls.made["Assistance Request"]
		for doctype in ("Workflow Action", "Comment"):
			frappe.db.delete(
				doctype,
				{"reference_doctype": "Assistance Request", "reference_name": ("in", requests or [""])},
			)
		purge_requests(requests)
		purge("Beneficiary", cls.made["Beneficiary"])
		purge("Aid Service", [SERVICE])
		frappe.db.commit()

	def session(self, user):
		if user not in self.sessions:
			self.sessions[user] = self.server.session(user, TEST_PASSWORD)
		return self.sessions[user]

	def status(self, user, doctype, name) -> int:
		return self.session(user).get(f"{self.server.url}/api/resource/{doctype}/{name}").status_code

	def listed(self, user, doctype) -> set[str]:
		response = self.session(user).get(
			f"{self.server.url}/api/resource/{doctype}", params={"limit_page_length": 0}
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		return {row["name"] for row in response.json()["data"]}

	# --- the member ----------------------------------------------------------------------------------
	def test_reads_the_requests_before_the_committee_and_its_decided_ones(self):
		for request in (self.pending, self.decided):
			self.assertEqual(self.status(self.committee, "Assistance Request", request.name), 200)
		self.assertEqual(self.status(self.committee, "Assistance Request", self.verifying.name), 403)
		listed = self.listed(self.committee, "Assistance Request")
		self.assertTrue({self.pending.name, self.decided.name} <= listed)
		self.assertNotIn(self.verifying.name, listed)

	def test_reads_only_the_files_of_those_beneficiaries(self):
		for request in (self.pending, self.decided):
			self.assertEqual(self.status(self.committee, "Beneficiary", request.beneficiary), 200)
		self.assertEqual(self.status(self.committee, "Beneficiary", self.verifying.beneficiary), 403)
		listed = self.listed(self.committee, "Beneficiary")
		self.assertIn(self.pending.beneficiary, listed)
		self.assertNotIn(self.verifying.beneficiary, listed)
		# frappe.client.get_value reads through the list query: the ID number does not come back
		response = self.session(self.committee).get(
			f"{self.server.url}/api/method/frappe.client.get_value",
			params={
				"doctype": "Beneficiary",
				"filters": json.dumps({"name": self.verifying.beneficiary}),
				"fieldname": "id_number",
			},
		)
		self.assertIn(response.status_code, (200, 403), response.text[:300])
		self.assertFalse(response.json().get("message"), response.text[:300])

	def test_reads_only_the_research_reports_of_those_requests(self):
		self.assertEqual(self.status(self.committee, "Research Report", self.report), 200)
		self.assertEqual(self.status(self.committee, "Research Report", self.unseen_report), 403)
		listed = self.listed(self.committee, "Research Report")
		self.assertIn(self.report, listed)
		self.assertNotIn(self.unseen_report, listed)

	def test_cannot_change_a_request_not_before_the_committee(self):
		response = self.session(self.committee).put(
			f"{self.server.url}/api/resource/Assistance Request/{self.verifying.name}",
			json={"description": "تعديل"},
		)
		self.assertEqual(response.status_code, 403, response.text[:300])
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.get_value("Assistance Request", self.verifying.name, "description"),
			self.verifying.description,
		)

	# --- who is not narrowed -------------------------------------------------------------------------
	def test_a_member_who_is_also_an_officer_and_the_officer_read_the_register(self):
		for user in (self.officer, self.committee_officer):
			with self.subTest(user=user):
				self.assertEqual(self.status(user, "Assistance Request", self.verifying.name), 200)
				self.assertEqual(self.status(user, "Beneficiary", self.verifying.beneficiary), 200)
				self.assertIn(self.verifying.beneficiary, self.listed(user, "Beneficiary"))

	def test_a_member_who_also_researches_or_pays_reads_both_works_not_the_register(self):
		"""Each narrowed role alone read less than two together: the researcher's and the accountant's
		rules left a committee member alone, and the committee's rules left them alone."""
		for user in self.narrowed_pairs:
			with self.subTest(user=user):
				self.assertEqual(self.status(user, "Assistance Request", self.pending.name), 200)
				self.assertEqual(self.status(user, "Beneficiary", self.pending.beneficiary), 200)
				self.assertEqual(self.status(user, "Research Report", self.report), 200)
				self.assertEqual(self.status(user, "Assistance Request", self.verifying.name), 403)
				self.assertEqual(self.status(user, "Beneficiary", self.verifying.beneficiary), 403)
				self.assertEqual(self.status(user, "Research Report", self.unseen_report), 403)
				listed = self.listed(user, "Beneficiary")
				self.assertIn(self.pending.beneficiary, listed)
				self.assertNotIn(self.verifying.beneficiary, listed)
				self.assertNotIn(self.verifying.name, self.listed(user, "Assistance Request"))

	def test_who_is_narrowed(self):
		self.assertTrue(committee_access.is_committee_only(self.committee))
		self.assertFalse(committee_access.is_committee_only(self.committee_officer))
		self.assertFalse(committee_access.is_committee_only(self.officer))
		self.assertFalse(committee_access.is_committee_only("Administrator"))
		for condition in (
			committee_access.request_query_conditions(self.officer),
			committee_access.beneficiary_query_conditions(self.committee_officer),
			committee_access.report_query_conditions("Administrator"),
		):
			self.assertIsNone(condition)

# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""R2.1–R2.4, R3.2: intake on every channel, eligibility at submission, the answer date,
workflow steps bound to roles, referral to research and call logs."""

import frappe
from frappe import _
from frappe.model.workflow import (
	WorkflowTransitionError,
	apply_workflow,
	get_workflow,
	set_workflow_state_on_action,
)
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, flt, getdate, today

from charity_beneficiary.assistance.doctype.assistance_request.assistance_request import (
	DecisionError,
	NoResearcherError,
	ResearchRequiredError,
	answer_referral,
	refer_to_researcher,
)
from charity_beneficiary.assistance.eligibility import NotEligibleError
from charity_beneficiary.tests.factories import (
	make_active_beneficiary,
	make_aid_service,
	make_beneficiary,
	make_branch,
	make_document_type,
	make_item,
	make_request,
)
from charity_beneficiary.tests.queries import recorded_queries
from charity_beneficiary.tests.users import branch_email, branch_user, role_email, role_user
from charity_beneficiary.utils.input_guard import InvalidInputError
from charity_beneficiary.utils.workflows import DOCSTATUS_OF_ACTION, set_state_on_action

ROLES = ("Beneficiary Relations Officer", "Social Researcher", "Research Committee Member")
OFFICER, RESEARCHER, COMMITTEE = (role_email(role) for role in ROLES)


class AssistanceTestCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		for role in ROLES:
			role_user(role)

	def setUp(self):
		frappe.set_user("Administrator")
		self.service = make_aid_service().name
		self.beneficiary = make_active_beneficiary().name

	def tearDown(self):
		frappe.set_user("Administrator")


class TestIntakeAndAnswerDate(AssistanceTestCase):
	def test_every_channel_is_recorded(self):
		channels = frappe.get_meta("Assistance Request").get_field("channel").options.split("\n")
		self.assertEqual(len(channels), 8)
		frappe.set_user(OFFICER)
		for channel in channels:
			doc = make_request(self.beneficiary, self.service, channel=channel)
			self.assertEqual(doc.channel, channel)
			self.assertEqual(doc.received_by, OFFICER)

	def test_answer_date_is_set_on_submission_per_service(self):
		make_aid_service("خدمة عشرة أيام (اختبار)", decision_days=10)
		frappe.set_user(OFFICER)
		doc = make_request(
			self.beneficiary, "خدمة عشرة أيام (اختبار)", received_on=add_days(today(), -1), submit=True
		)
		self.assertEqual(doc.workflow_state, "Pending Verification")
		self.assertEqual(getdate(doc.expected_decision_date), getdate(add_days(today(), 9)))
		self.assertTrue(doc.expected_decision_date_hijri)

	def test_a_request_is_not_received_on_a_date_to_come(self):
		"""A date to come would push the answer date (R3.2) away; one outside the Hijri calendar is a
		clear refusal, not a server error."""
		frappe.set_user(OFFICER)
		with self.assertRaises(frappe.ValidationError) as ctx:
			make_request(self.beneficiary, self.service, received_on=add_days(today(), 1))
		self.assertEqual(str(ctx.exception), _("The request cannot be received on a date to come"))
		with self.assertRaises(InvalidInputError):
			make_request(self.beneficiary, self.service, received_on="1900-01-01", submit=True)

	def test_goods_requested_are_the_services_items(self):
		frappe.set_user("Administrator")
		basket, blanket = make_item("CB-TEST-REQ-BASKET"), make_item("CB-TEST-REQ-BLANKET")
		service = make_aid_service(
			"سلة (اختبار أصناف الطلب)",
			delivery_type="In-Kind",
			max_amount=0,
			default_items=[{"item_code": basket, "qty": 1}],
		).name
		frappe.set_user(OFFICER)
		for item_code in (blanket, "NO-SUCH-ITEM"):
			with self.subTest(item_code), self.assertRaises(frappe.ValidationError):
				make_request(self.beneficiary, service, requested_items=[{"item_code": item_code, "qty": 1}])
		doc = make_request(self.beneficiary, service, requested_items=[{"item_code": basket, "qty": 2}])
		self.assertEqual((doc.requested_items[0].item_code, flt(doc.requested_amount)), (basket, 0))

	def test_default_policy_is_two_weeks(self):
		frappe.set_user(OFFICER)
		doc = make_request(self.beneficiary, self.service, submit=True)
		self.assertEqual(getdate(doc.expected_decision_date), getdate(add_days(today(), 14)))

	def test_a_period_saved_before_it_was_checked_falls_back_to_two_weeks(self):
		for legacy in (-3, 3000000):  # as legacy records
			frappe.db.set_value("Aid Service", self.service, "decision_days", legacy)
			frappe.clear_document_cache("Aid Service", self.service)
			frappe.set_user(OFFICER)
			doc = make_request(self.beneficiary, self.service, submit=True)
			frappe.set_user("Administrator")
			self.assertEqual(getdate(doc.expected_decision_date), getdate(add_days(today(), 14)))


def not_active(beneficiary: str) -> str:
	status = frappe.db.get_value("Beneficiary", beneficiary, "status")
	return _("the beneficiary is not active (status {0})").format(_(status))


def below_minimum(beneficiary: str, minimum: float) -> str:
	score = flt(frappe.db.get_value("Beneficiary", beneficiary, "need_score"))
	return _("the need score {0} is below the service's minimum of {1}").format(score, flt(minimum))


def above_limit(amount: float, limit: float = 5000) -> str:  # the test service's limit per request
	return _("the requested amount {0} exceeds the service's limit of {1} per request").format(
		flt(amount), flt(limit)
	)


class TestEligibility(AssistanceTestCase):
	"""Each refusal is compared with the reason in the test's language (assistance/eligibility.py)."""

	def assertRefused(self, reason, **request_fields):
		with self.assertRaises(NotEligibleError) as ctx:
			make_request(self.beneficiary, self.service, submit=True, **request_fields)
		self.assertIn(reason, str(ctx.exception))
		return str(ctx.exception)

	def test_beneficiary_must_be_active(self):
		self.beneficiary = make_beneficiary().name
		self.assertRefused(not_active(self.beneficiary))

	def test_category_must_be_allowed(self):
		make_aid_service(eligible_categories=[{"category": "أيتام"}])
		self.assertRefused(_("the service is only for the categories: {0}").format(_("أيتام")))
		beneficiary = frappe.get_doc("Beneficiary", self.beneficiary)
		beneficiary.append("categories", {"category": "أيتام"})
		beneficiary.save()
		make_request(self.beneficiary, self.service, submit=True)

	def test_need_score_minimum(self):
		make_aid_service(min_need_score=50)
		self.assertRefused(below_minimum(self.beneficiary, 50))

	def test_amount_per_request(self):
		self.assertRefused(above_limit(6000), requested_amount=6000)

	def test_frequency_per_year(self):
		make_aid_service(max_times_per_year=1)
		make_request(self.beneficiary, self.service, submit=True)
		self.assertRefused(
			_("the beneficiary already has {0} requests for this service this year; the limit is {1}").format(
				1, 1
			)
		)

	def test_amount_per_year(self):
		make_aid_service(max_amount_per_year=3000)
		make_request(self.beneficiary, self.service, submit=True, requested_amount=2000)
		self.assertRefused(
			_("this year's requests for this service would total {0}, above the yearly limit of {1}").format(
				3500.0, 3000.0
			),
			requested_amount=1500,
		)

	def test_documents_present_and_unexpired(self):
		lease = make_document_type("عقد إيجار (اختبار)")
		make_aid_service(required_document_types=[{"document_type": lease}])
		self.assertRefused(_("the document {0} is missing").format(_(lease)))
		doc = frappe.get_doc("Beneficiary", self.beneficiary)
		doc.append(
			"documents",
			{"document_type": lease, "attachment": "/files/lease.pdf", "expiry_date": add_days(today(), -3)},
		)
		doc.save()
		self.assertRefused(_("the document {0} has expired").format(_(lease)))
		# a current copy counts once the officer has verified it (R1.1), beside the expired one
		doc.append("documents", {"document_type": lease, "attachment": "/files/lease-2.pdf"})
		doc.save()
		self.assertRefused(_("the document {0} is not verified").format(_(lease)))
		doc.documents[-1].verified = 1
		doc.append(  # a later copy, expired, hides nothing
			"documents",
			{"document_type": lease, "attachment": "/files/old.pdf", "expiry_date": add_days(today(), -30)},
		)
		doc.save()
		make_request(self.beneficiary, self.service, submit=True)

	def test_all_reasons_are_given_at_once(self):
		make_aid_service(min_need_score=50)
		self.beneficiary = make_beneficiary().name
		message = self.assertRefused(not_active(self.beneficiary), requested_amount=9000)
		for reason in (below_minimum(self.beneficiary, 50), above_limit(9000)):
			self.assertIn(reason, message)


class TestWorkflowRoles(AssistanceTestCase):
	def test_each_step_belongs_to_its_role(self):
		make_aid_service(requires_research=1)
		frappe.set_user(RESEARCHER)
		with self.assertRaises(frappe.PermissionError):
			make_request(self.beneficiary, self.service)
		frappe.set_user(OFFICER)
		doc = make_request(self.beneficiary, self.service)
		frappe.set_user(COMMITTEE)
		# the officer's step; the committee does not even read a draft (committee_access.py)
		with self.assertRaises((WorkflowTransitionError, frappe.PermissionError)):
			apply_workflow(doc, "Submit")
		frappe.set_user(OFFICER)
		doc = apply_workflow(doc, "Submit")
		with self.assertRaises(WorkflowTransitionError):  # not offered: no researcher assigned yet
			apply_workflow(doc, "Send to Research")
		doc.workflow_state = "Under Research"
		with self.assertRaises(NoResearcherError):  # and the controller refuses it too
			doc.validate_transition()
		doc.reload()
		frappe.db.set_value("Assistance Request", doc.name, "researcher", RESEARCHER)
		frappe.set_user(RESEARCHER)
		with self.assertRaises(WorkflowTransitionError):  # the officer's step
			apply_workflow(doc, "Send to Research")
		frappe.set_user(OFFICER)
		doc = apply_workflow(doc, "Send to Research")
		self.assertEqual(doc.workflow_state, "Under Research")
		with self.assertRaises(WorkflowTransitionError):  # the researcher's step
			apply_workflow(doc, "Send to Committee")
		frappe.set_user(RESEARCHER)
		with self.assertRaises(WorkflowTransitionError):  # not offered: no research report yet
			apply_workflow(doc, "Send to Committee")
		doc.workflow_state = "Pending Committee"
		with self.assertRaises(ResearchRequiredError):  # and the controller refuses it too
			doc.validate_transition()

	def test_decisions_come_from_a_committee_meeting(self):
		frappe.set_user(OFFICER)
		doc = make_request(self.beneficiary, self.service, submit=True)
		doc = apply_workflow(doc, "Send to Committee")
		self.assertEqual(doc.workflow_state, "Pending Committee")
		frappe.set_user(OFFICER)
		with self.assertRaises(WorkflowTransitionError):  # the committee's step
			apply_workflow(doc, "Approve")
		frappe.set_user(COMMITTEE)
		with self.assertRaises(WorkflowTransitionError):  # not offered to a member alone, outside a meeting
			apply_workflow(doc, "Approve")
		doc.workflow_state = "Approved"
		with self.assertRaises(DecisionError):  # and the controller refuses it too
			doc.validate_transition()

	def test_a_partial_approval_follows_the_committees_rule(self):
		"""The request applies the meeting's rule again when a decision reaches it (decisions.py)."""
		from charity_beneficiary.tests.factories import make_item
		from charity_beneficiary.utils import code_owned

		item = make_item("ASR-TEST-PARTIAL-ITEM")
		doc = make_request(self.beneficiary, self.service, submit=True)  # 2000 requested, no items
		doc.update({"workflow_state": "Partly Approved", "committee_meeting": "RCM-TEST"})
		cases = [
			(-100, [], _("The approved amount cannot be negative")),
			(0, [], _("A partial approval needs an approved amount or approved items")),
			(2500, [], _("The approved amount {0} exceeds the requested amount {1}").format(2500.0, 2000.0)),
			(
				1500,
				[{"item_code": item, "qty": 1}],
				_("Row {0}: the approved quantity of {1} exceeds the requested quantity").format(1, item),
			),
		]
		with code_owned.owner_writes(code_owned.COMMITTEE):
			for amount, items, message in cases:
				with self.subTest(message), self.assertRaises(DecisionError) as ctx:
					doc.approved_amount = amount
					doc.set("approved_items", items)
					doc.validate_decision()
				self.assertIn(message, str(ctx.exception))
			doc.approved_amount = 1500
			doc.set("approved_items", [])
			doc.validate_decision()
		self.assertEqual(doc.remaining_amount, 1500)


class TestReferralAndCalls(AssistanceTestCase):
	REFERRAL_BRANCH = "فرع الإحالة (اختبار)"

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_branch(cls.REFERRAL_BRANCH)
		branch_user(cls.REFERRAL_BRANCH)  # commits: before any test makes its records

	def test_referral_records_question_answer_and_people(self):
		frappe.set_user(OFFICER)
		doc = make_request(self.beneficiary, self.service, submit=True)
		refer_to_researcher(doc.name, "هل تنطبق شروط الخدمة على أسرة لديها دخل ضمان؟", RESEARCHER)
		frappe.set_user(COMMITTEE)
		with self.assertRaises(frappe.PermissionError):
			answer_referral(doc.name, "نعم")
		frappe.set_user(RESEARCHER)
		answer_referral(doc.name, "نعم، إذا كان دخل الفرد أقل من الحد المعتمد")
		doc.reload()
		self.assertEqual(
			(doc.referred_by, doc.referred_to, doc.answered_by), (OFFICER, RESEARCHER, RESEARCHER)
		)
		self.assertTrue(doc.referral_question and doc.referral_answer and doc.referred_on and doc.answered_on)

	def test_a_second_referral_keeps_the_first_with_its_answer(self):
		"""R2.3: the earlier question and its answer stay on the request's timeline, as text."""
		frappe.set_user(OFFICER)
		doc = make_request(self.beneficiary, self.service, submit=True)
		refer_to_researcher(doc.name, "سؤال أول <b>x</b>", RESEARCHER)
		frappe.set_user(RESEARCHER)
		answer_referral(doc.name, "جواب أول")
		frappe.set_user(OFFICER)
		refer_to_researcher(doc.name, "سؤال ثان", RESEARCHER)
		frappe.set_user("Administrator")
		doc.reload()
		self.assertEqual((doc.referral_question, doc.referral_answer), ("سؤال ثان", None))
		kept = frappe.get_all(
			"Comment",
			{"reference_doctype": "Assistance Request", "reference_name": doc.name, "comment_type": "Info"},
			pluck="content",
		)
		earlier = [content for content in kept if "جواب أول" in content]
		self.assertEqual(len(earlier), 1, kept)
		self.assertIn("سؤال أول", earlier[0])
		self.assertNotIn("<b>x</b>", earlier[0])  # what he typed is shown as text

	def test_a_referral_is_made_only_by_who_may_write_it(self):
		"""A branch representative may edit his branch's requests but not the referral's fields:
		refused, not answered "done" with nothing referred."""
		branch = self.REFERRAL_BRANCH
		frappe.db.set_value("Beneficiary", self.beneficiary, "branch", branch)
		frappe.set_user(OFFICER)
		doc = make_request(self.beneficiary, self.service, submit=True)
		self.assertEqual(doc.branch, branch)
		frappe.set_user(branch_email())
		self.assertTrue(frappe.has_permission("Assistance Request", "write", doc.name))
		with self.assertRaises(frappe.PermissionError):
			refer_to_researcher(doc.name, "سؤال", RESEARCHER)
		self.assertFalse(frappe.db.get_value("Assistance Request", doc.name, "referred_to"))

	def test_an_answer_too_long_is_refused_clearly(self):
		frappe.set_user(OFFICER)
		doc = make_request(self.beneficiary, self.service, submit=True)
		refer_to_researcher(doc.name, "سؤال", RESEARCHER)
		frappe.set_user(RESEARCHER)
		with self.assertRaises(InvalidInputError):
			answer_referral(doc.name, "ن" * 40000)  # 80 KB: more than the column holds
		self.assertFalse(frappe.db.get_value("Assistance Request", doc.name, "referral_answer"))

	def test_call_log_shows_on_request_and_beneficiary_timelines(self):
		frappe.set_user(OFFICER)
		doc = make_request(self.beneficiary, self.service, channel="Phone Call")
		frappe.set_user("Administrator")
		call = frappe.get_doc(
			{
				"doctype": "Call Log",
				"id": frappe.generate_hash(length=12),
				"from": "+966501234567",
				"to": "+966138000000",
				"type": "Incoming",
				"status": "Completed",
				"duration": 185,
				"recording_url": "https://pbx.example.org/recordings/1.mp3",
				"employee_user_id": OFFICER,
				"links": [{"link_doctype": "Assistance Request", "link_name": doc.name}],
			}
		).insert()
		call.reload()
		linked = {(link.link_doctype, link.link_name) for link in call.links}
		self.assertIn(("Beneficiary", self.beneficiary), linked)  # added from the request

		from frappe.desk.form.load import get_docinfo

		for doctype, name in (("Assistance Request", doc.name), ("Beneficiary", self.beneficiary)):
			get_docinfo(frappe.get_doc(doctype, name))
			timeline = frappe.response["docinfo"]["additional_timeline_content"]
			self.assertIn(call.name, [entry["template_data"]["name"] for entry in timeline], doctype)


class TestWorkflowFromCache(AssistanceTestCase):
	"""utils/workflows.py: frappe's workflow rules, on the workflow frappe caches (issue 14)."""

	def test_a_submission_does_not_reload_the_workflow(self):
		frappe.set_user(OFFICER)
		make_request(self.beneficiary, self.service, submit=True)  # the cache holds the workflow now
		doc = make_request(self.beneficiary, self.service)
		with recorded_queries() as queries:
			doc = apply_workflow(doc, "Submit")
		self.assertEqual(doc.workflow_state, "Pending Verification")
		self.assertFalse([query for query in queries if "`tabWorkflow`" in query])

	def test_the_state_follows_the_action_as_frappe_sets_it(self):
		# frappe's own function on the same document, for every state of the workflow and every action
		workflow = get_workflow("Assistance Request")
		changed = []
		for row in workflow.states:
			for action, docstatus in DOCSTATUS_OF_ACTION.items():
				ours, frappes = (frappe.new_doc("Assistance Request", workflow_state=row.state) for _ in "12")
				ours.docstatus = frappes.docstatus = docstatus
				set_state_on_action(ours, workflow, action)
				set_workflow_state_on_action(frappes, workflow.name, action)
				self.assertEqual(ours.workflow_state, frappes.workflow_state, (row.state, action))
				if ours.workflow_state != row.state:
					changed.append((row.state, action, ours.workflow_state))
		# not a comparison of two no-ops: a draft state on submit is moved to the first submitted one
		self.assertIn(("Draft", "submit", "Pending Verification"), changed)

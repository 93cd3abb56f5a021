# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""R3.1: the social researcher's report — the need score from the configurable rubric, explained;
verified income and expenses; only the assigned researcher, only under research, one report per
request; submission puts the result on the request; researchers see only their own work."""

import json

import frappe
from frappe.model.workflow import WorkflowTransitionError, apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, flt, getdate, today

from charity_beneficiary.assistance import research_access
from charity_beneficiary.assistance.doctype.research_report.research_report import (
	DuplicateResearchReportError,
	FinancialLineError,
	InvalidNeedScoreError,
	NotTheResearcherError,
	RecommendationError,
	ResearcherNotAssignedError,
	ResearchReportLockedError,
	ResearchStateError,
	VisitDateError,
	get_rubric,
	make_research_report,
)
from charity_beneficiary.tests.factories import (
	TEST_PASSWORD,
	audited_changes,
	make_active_beneficiary,
	make_aid_service,
	make_request,
)
from charity_beneficiary.tests.users import QUOTED_EMAIL, quoted_user, role_email, role_user, roles_user
from charity_beneficiary.verification import hijri_display

OFFICER = role_email("Beneficiary Relations Officer")
RESEARCHER = role_email("Social Researcher")
OTHER_RESEARCHER = role_email("Social Researcher", 2)
MANAGER = role_email("Charity Manager")
COMMITTEE = role_email("Research Committee Member")
QUOTED_RESEARCHER = QUOTED_EMAIL  # an apostrophe is valid in an email address
SERVICE = "مساعدة إيجار بعد بحث (اختبار)"
INCOME = "دخل الفرد (اختبار)"
HOUSING = "السكن (اختبار)"


def make_users():
	"""The shared users of tests/users.py (committed once, before any record of a class)."""
	for role in (
		"Beneficiary Relations Officer",
		"Social Researcher",
		"Charity Manager",
		"Research Committee Member",
	):
		role_user(role)
	role_user("Social Researcher", 2)
	quoted_user("Social Researcher")
	return roles_user("Social Researcher", "Beneficiary Relations Officer")


def make_criterion(name: str, weight: float, english: str, active: int = 1) -> str:
	values = {"weight": weight, "criterion_name_en": english, "is_active": active}
	if frappe.db.exists("Need Criterion", name):
		frappe.get_doc("Need Criterion", name).update(values).save(ignore_permissions=True)
	else:
		frappe.get_doc({"doctype": "Need Criterion", "criterion_name": name, **values}).insert(
			ignore_permissions=True
		)
	return name


def request_under_research(beneficiary: str, researcher: str | None = RESEARCHER, **fields):
	"""A submitted request sent to research through the workflow, as the officer does it."""
	user = frappe.session.user
	frappe.set_user(OFFICER)
	request = make_request(beneficiary, SERVICE, submit=True, **fields)
	frappe.db.set_value("Assistance Request", request.name, "researcher", researcher)
	request.reload()
	request = apply_workflow(request, "Send to Research")
	frappe.set_user(user)
	return request


def review_task(beneficiary: str, researcher: str) -> str:
	"""The open task of a periodic review, as beneficiaries/reminders.py gives it."""
	return (
		frappe.get_doc(
			{
				"doctype": "ToDo",
				"allocated_to": researcher,
				"role": "Social Researcher",
				"reference_type": "Beneficiary",
				"reference_name": beneficiary,
				"description": "Periodic review",
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def report_doc(request: str, scores: dict | None = None, **fields):
	"""A report scoring every active criterion (0 unless given in `scores`)."""
	scores = scores or {}
	return frappe.get_doc(
		{
			"doctype": "Research Report",
			"assistance_request": request,
			"researcher": RESEARCHER,
			"visit_type": "Home Visit",
			"visit_date": today(),
			"findings": "<p>أسرة من خمسة أفراد تسكن شقة مستأجرة، والأب عاطل عن العمل.</p>",
			"housing_condition": "Poor",
			"recommendation": "Approve",
			"scores": [{"criterion": c.name, "score": scores.get(c.name, 0)} for c in get_rubric()],
			**fields,
		}
	)


class ResearchTestCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.researcher_officer = make_users()

	def setUp(self):
		frappe.set_user("Administrator")
		make_aid_service(SERVICE, requires_research=1)
		make_criterion(INCOME, 3, "Test income per person")
		make_criterion(HOUSING, 1, "Test housing")
		self.beneficiary = make_active_beneficiary().name

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()


class TestNeedScore(ResearchTestCase):
	def test_weights_come_from_the_rubric_and_the_score_is_explained(self):
		request = request_under_research(self.beneficiary)
		frappe.set_user(RESEARCHER)
		report = report_doc(request.name, {INCOME: 8, HOUSING: 5}).insert()
		total_weight = sum(c.weight for c in get_rubric())
		rows = {row.criterion: row for row in report.scores}
		self.assertEqual((rows[INCOME].weight, rows[HOUSING].weight), (3, 1))
		self.assertEqual(rows[INCOME].contribution, flt(3 * 8 / 10 / total_weight * 100, 2))
		self.assertEqual(report.need_score, flt((3 * 8 + 1 * 5) / 10 / total_weight * 100, 2))
		self.assertIn("Test income per person: 8/10 × weight 3 = 24.0 of 30", report.score_explanation)
		self.assertIn("Test housing: 5/10 × weight 1 = 5.0 of 10", report.score_explanation)
		self.assertIn(f"= {report.need_score:.2f}".rstrip("0").rstrip("."), report.score_explanation)

		# the manager reweighs the rubric: the draft follows at its next save
		frappe.set_user("Administrator")
		make_criterion(INCOME, 6, "Test income per person")
		frappe.set_user(RESEARCHER)
		report.reload()
		report.save()
		rows = {row.criterion: row for row in report.scores}
		self.assertEqual(rows[INCOME].weight, 6)
		self.assertEqual(report.need_score, flt((6 * 8 + 1 * 5) / 10 / (total_weight + 3) * 100, 2))
		self.assertIn("8/10 × weight 6 = 48.0 of 60", report.score_explanation)

	def test_every_active_criterion_scored_within_0_to_10(self):
		request = request_under_research(self.beneficiary)
		report = report_doc(request.name)
		report.scores = [row for row in report.scores if row.criterion != HOUSING]
		with self.assertRaises(InvalidNeedScoreError) as ctx:
			report.insert()
		self.assertIn(HOUSING, str(ctx.exception))

		with self.assertRaises(InvalidNeedScoreError):  # every criterion scored, one out of range
			report_doc(request.name, {INCOME: 11}).insert()

		with self.assertRaises(InvalidNeedScoreError):
			report_doc(request.name, {INCOME: -1}).insert()

		make_criterion("معيار موقوف (اختبار)", 2, "Retired criterion", active=0)
		report = report_doc(request.name)
		report.append("scores", {"criterion": "معيار موقوف (اختبار)", "score": 5})
		with self.assertRaises(InvalidNeedScoreError) as ctx:
			report.insert()
		self.assertIn("معيار موقوف (اختبار)", str(ctx.exception))  # the retired criterion is named

	def test_new_report_lists_the_whole_active_rubric(self):
		names = [c.name for c in get_rubric()]
		self.assertIn(INCOME, names)
		self.assertIn(HOUSING, names)
		request = request_under_research(self.beneficiary)
		frappe.set_user(RESEARCHER)
		new = make_research_report(request.name)
		self.assertEqual((new.assistance_request, new.researcher), (request.name, RESEARCHER))
		self.assertEqual([row.criterion for row in new.scores], names)
		new.update({"findings": "<p>زيارة</p>", "recommendation": "Reject", "visit_type": "Phone"})
		new.insert()
		frappe.set_user("Administrator")
		make_criterion(HOUSING, 1, "Test housing", active=0)
		self.assertNotIn(HOUSING, [c.name for c in get_rubric()])


class TestReportContents(ResearchTestCase):
	def test_verified_income_and_expenses(self):
		request = request_under_research(self.beneficiary)
		frappe.set_user(RESEARCHER)
		report = report_doc(
			request.name,
			financials=[
				{"line_type": "Income", "description": "راتب تقاعدي", "monthly_amount": 3000, "verified": 1},
				{"line_type": "Income", "description": "عمل حر (غير موثّق)", "monthly_amount": 1000},
				{"line_type": "Expense", "description": "إيجار", "monthly_amount": 1500, "verified": 1},
				{"line_type": "Expense", "description": "فواتير (بلا إثبات)", "monthly_amount": 200},
			],
		).insert()
		self.assertEqual(
			(report.verified_monthly_income, report.monthly_expenses, report.monthly_balance),
			(3000, 1500, 1500),
		)
		report.financials[1].verified = 1
		report.save()
		self.assertEqual((report.verified_monthly_income, report.monthly_balance), (4000, 2500))

		report.append("financials", {"line_type": "Expense", "description": "خطأ", "monthly_amount": -5})
		with self.assertRaises(FinancialLineError):
			report.save()

	def test_visit_date_in_hijri_and_not_in_the_future(self):
		request = request_under_research(self.beneficiary, received_on=add_days(today(), -3))
		report = report_doc(request.name, visit_date=add_days(today(), -2)).insert()
		self.assertEqual(
			report.visit_date_hijri, hijri_display(getdate(add_days(today(), -2)), frappe.local.lang or "ar")
		)
		report.visit_date = add_days(today(), 1)
		with self.assertRaises(VisitDateError):
			report.save()

	def test_the_visit_is_not_before_the_request(self):
		"""A visit dated before the request was received is not this request's research (R3.1)."""
		request = request_under_research(self.beneficiary, received_on=add_days(today(), -3))
		report = report_doc(request.name, visit_date=add_days(today(), -4))
		with self.assertRaises(VisitDateError):
			report.insert()
		report.visit_date = add_days(today(), -3)
		report.insert()

	def test_recommended_amount(self):
		request = request_under_research(self.beneficiary, requested_amount=2000)
		with self.assertRaises(frappe.MandatoryError):
			report_doc(request.name, recommendation="Partly Approve").insert()
		with self.assertRaises(RecommendationError):
			report_doc(request.name, recommendation="Partly Approve", recommended_amount=2500).insert()
		with self.assertRaises(RecommendationError):
			report_doc(request.name, recommendation="Approve", recommended_amount=2001).insert()
		partly = report_doc(request.name, recommendation="Partly Approve", recommended_amount=1200).insert()
		self.assertEqual(partly.recommended_amount, 1200)
		self.assertEqual(report_doc(request.name).insert().recommended_amount, 2000)  # Approve: all of it
		self.assertEqual(
			report_doc(request.name, recommendation="Reject", recommended_amount=500)
			.insert()
			.recommended_amount,
			0,
		)

	def test_beneficiary_and_service_come_from_the_request(self):
		request = request_under_research(self.beneficiary)
		other = make_active_beneficiary().name
		report = report_doc(request.name, beneficiary=other, aid_service=None).insert()
		self.assertEqual((report.beneficiary, report.aid_service), (self.beneficiary, SERVICE))
		self.assertEqual(report.requested_amount, request.requested_amount)


class TestResearchRules(ResearchTestCase):
	def test_request_must_be_under_research(self):
		frappe.set_user(OFFICER)
		pending = make_request(self.beneficiary, SERVICE, submit=True, researcher=RESEARCHER)
		self.assertEqual(pending.workflow_state, "Pending Verification")
		frappe.set_user("Administrator")
		with self.assertRaises(ResearchStateError):
			report_doc(pending.name).insert()
		frappe.set_user(OFFICER)
		draft = make_request(self.beneficiary, SERVICE, researcher=RESEARCHER)
		frappe.set_user("Administrator")
		with self.assertRaises(ResearchStateError):
			report_doc(draft.name).insert()

	def test_researcher_must_be_the_assigned_one(self):
		request = request_under_research(self.beneficiary)
		with self.assertRaises(ResearcherNotAssignedError):
			report_doc(request.name, researcher=OTHER_RESEARCHER).insert()
		# another researcher cannot write it in the assigned researcher's name
		frappe.set_user(OTHER_RESEARCHER)
		with self.assertRaises(frappe.PermissionError):
			report_doc(request.name).insert()
		# the assigned researcher writes it; the researcher defaults to him
		frappe.set_user(RESEARCHER)
		mine = report_doc(request.name, researcher=None).insert()
		self.assertEqual(mine.researcher, RESEARCHER)
		# nobody else edits it, not even another researcher who could read it
		frappe.set_user(OTHER_RESEARCHER)
		mine.reload()
		mine.findings = "<p>تعديل</p>"
		with self.assertRaises(frappe.PermissionError):
			mine.save(ignore_permissions=True)

	def test_manager_writes_on_behalf_of_the_assigned_researcher(self):
		request = request_under_research(self.beneficiary)
		frappe.set_user(MANAGER)
		report = report_doc(request.name, researcher=None).insert()  # the default would be the manager
		self.assertEqual(report.researcher, RESEARCHER)
		report.submit()
		self.assertEqual(
			frappe.db.get_value("Assistance Request", request.name, "research_report"), report.name
		)

	def test_request_without_assigned_researcher(self):
		request = request_under_research(self.beneficiary)
		frappe.db.set_value("Assistance Request", request.name, "researcher", None)
		with self.assertRaises(ResearcherNotAssignedError):
			report_doc(request.name).insert()

	def test_one_submitted_report_per_request(self):
		request = request_under_research(self.beneficiary)
		frappe.set_user(RESEARCHER)
		first = report_doc(request.name).insert()
		second = report_doc(request.name, recommendation="Reject").insert()  # drafts may coexist
		first.submit()
		with self.assertRaises(DuplicateResearchReportError):
			second.submit()
		with self.assertRaises(DuplicateResearchReportError):
			report_doc(request.name).insert()
		# replacing it: cancel, then amend (or submit the other draft)
		frappe.set_user(MANAGER)
		first.reload()
		first.cancel()
		frappe.set_user(RESEARCHER)
		second.reload()
		second.submit()
		self.assertEqual(
			frappe.db.get_value("Assistance Request", request.name, "research_report"), second.name
		)


class TestSubmission(ResearchTestCase):
	def test_submit_writes_onto_the_request_and_the_beneficiary(self):
		request = request_under_research(self.beneficiary)
		frappe.set_user(RESEARCHER)
		report = report_doc(
			request.name, {INCOME: 9, HOUSING: 7}, recommendation="Partly Approve", recommended_amount=1500
		)
		report.insert()
		report.submit()
		research_report, need_score, recommendation = frappe.db.get_value(
			"Assistance Request", request.name, ["research_report", "need_score", "recommendation"]
		)
		self.assertEqual(
			(research_report, need_score, recommendation), (report.name, report.need_score, "Partly Approve")
		)
		self.assertGreater(report.need_score, 0)
		self.assertEqual(
			frappe.db.get_value("Beneficiary", self.beneficiary, "need_score"), report.need_score
		)
		# written past the request's save, and still audited: who, and the new values
		audit = audited_changes("Assistance Request", request.name)
		self.assertEqual(audit["need_score"], (RESEARCHER, report.need_score))
		self.assertEqual(audit["research_report"], (RESEARCHER, report.name))
		self.assertEqual(audited_changes("Beneficiary", self.beneficiary)["need_score"][0], RESEARCHER)
		self.assertTrue(
			frappe.db.exists(
				"Comment",
				{
					"reference_doctype": "Assistance Request",
					"reference_name": request.name,
					"comment_type": "Info",
				},
			)
		)

		# now the researcher may send the request to the committee; its report then stands
		request.reload()
		request = apply_workflow(request, "Send to Committee")
		self.assertEqual(request.workflow_state, "Pending Committee")
		frappe.set_user(MANAGER)
		report.reload()
		with self.assertRaises(ResearchReportLockedError):
			report.cancel()

	def test_cancel_clears_the_request(self):
		request = request_under_research(self.beneficiary)
		frappe.set_user(RESEARCHER)
		report = report_doc(request.name, {INCOME: 10}).insert()
		report.submit()
		frappe.set_user(MANAGER)
		report.reload()
		report.cancel()  # the request links to it, but it is not cancelled with it
		values = frappe.db.get_value(
			"Assistance Request",
			request.name,
			["research_report", "need_score", "recommendation", "docstatus"],
		)
		self.assertEqual(tuple(values), (None, 0, None, 1))
		self.assertEqual(frappe.db.get_value("Beneficiary", self.beneficiary, "need_score"), 0)

		frappe.set_user(RESEARCHER)
		with self.assertRaises(WorkflowTransitionError):  # back to "no report yet": not offered
			request.reload()
			apply_workflow(request, "Send to Committee")
		amended = frappe.copy_doc(report)
		amended.update({"docstatus": 0, "amended_from": report.name})
		amended.insert()
		amended.submit()
		self.assertEqual(
			frappe.db.get_value("Assistance Request", request.name, "research_report"), amended.name
		)

	def test_a_returned_request_is_researched_again(self):
		"""The information asked for may change the findings: the report that stood is cancelled by
		the return, the researcher submits a new one and the request goes on to the committee. The
		beneficiary keeps his score until the new report replaces it."""
		from charity_beneficiary.assistance.doctype.assistance_request.assistance_request import (
			return_request,
		)

		request = request_under_research(self.beneficiary)
		frappe.set_user(RESEARCHER)
		first = report_doc(request.name, {INCOME: 10}).insert()
		first.submit()
		score = frappe.db.get_value("Beneficiary", self.beneficiary, "need_score")
		return_request(request.name, "يرجى إرفاق صك الإعالة")
		self.assertEqual(frappe.db.get_value("Research Report", first.name, "docstatus"), 2)
		self.assertEqual(frappe.db.get_value("Beneficiary", self.beneficiary, "need_score"), score)
		frappe.set_user(OFFICER)
		request = apply_workflow(frappe.get_doc("Assistance Request", request.name), "Resubmit")
		request = apply_workflow(request, "Send to Research")
		frappe.set_user(RESEARCHER)
		second = report_doc(request.name, {INCOME: 4}).insert()
		second.submit()
		request = apply_workflow(frappe.get_doc("Assistance Request", request.name), "Send to Committee")
		self.assertEqual(
			(request.workflow_state, request.research_report), ("Pending Committee", second.name)
		)
		self.assertEqual(
			frappe.db.get_value("Beneficiary", self.beneficiary, "need_score"), second.need_score
		)


class TestPrintFormat(ResearchTestCase):
	def test_arabic_right_to_left_with_hijri_and_gregorian_dates(self):
		request = request_under_research(self.beneficiary, received_on="2026-10-28")
		report = report_doc(
			request.name,
			{INCOME: 8},
			visit_date="2026-11-01",
			financials=[
				{"line_type": "Income", "description": "ضمان اجتماعي", "monthly_amount": 1800, "verified": 1}
			],
			photos=[{"photo": "/files/home.jpg", "caption": "المطبخ"}],
		).insert()
		html = frappe.get_print("Research Report", report.name, print_format="Research Report", doc=report)
		self.assertIn('dir="rtl"', html)
		self.assertIn(frappe.format(getdate("2026-11-01"), {"fieldtype": "Date"}), html)
		hijri = {hijri_display(getdate("2026-11-01"), lang) for lang in ("ar", "en")}
		self.assertTrue(any(h in html for h in hijri), html)
		self.assertIn("ضمان اجتماعي", html)
		self.assertIn("/files/home.jpg", html)
		self.assertIn(INCOME, html)
		self.assertIn("24.0", html)  # 8/10 × weight 3


class TestResearcherVisibility(ResearchTestCase):
	"""The permission functions themselves; their REST behaviour is tested below."""

	def test_researcher_only_sees_requests_assigned_or_referred_to_him(self):
		mine = request_under_research(self.beneficiary, researcher=RESEARCHER)
		theirs = request_under_research(make_active_beneficiary().name, researcher=OTHER_RESEARCHER)
		referred = frappe.get_doc("Assistance Request", theirs.name)
		referred.referred_to = RESEARCHER
		self.assertIsNone(research_access.request_has_permission(mine, "read", RESEARCHER))
		self.assertFalse(research_access.request_has_permission(theirs, "read", RESEARCHER))
		self.assertFalse(research_access.request_has_permission(theirs, "write", RESEARCHER))
		self.assertIsNone(research_access.request_has_permission(referred, "read", RESEARCHER))
		for user in (OFFICER, MANAGER, COMMITTEE, "Administrator"):
			self.assertIsNone(research_access.request_has_permission(theirs, "read", user))
			self.assertIsNone(research_access.request_query_conditions(user))

		condition = research_access.request_query_conditions(RESEARCHER)
		# sql-ok: runs the permission condition itself, as frappe's list query does
		names = frappe.db.sql_list(f"select name from `tabAssistance Request` where {condition}")
		self.assertIn(mine.name, names)
		self.assertNotIn(theirs.name, names)

	def test_researcher_with_a_wider_role_is_not_narrowed(self):
		self.assertFalse(research_access.is_researcher_only(self.researcher_officer))
		theirs = request_under_research(self.beneficiary, researcher=OTHER_RESEARCHER)
		self.assertIsNone(research_access.request_has_permission(theirs, "read", self.researcher_officer))
		self.assertIsNone(research_access.request_query_conditions(self.researcher_officer))
		self.assertTrue(research_access.is_researcher_only(RESEARCHER))
		self.assertFalse(research_access.is_researcher_only("Administrator"))

	def test_researcher_only_sees_his_own_reports(self):
		mine = request_under_research(self.beneficiary, researcher=RESEARCHER)
		theirs = request_under_research(make_active_beneficiary().name, researcher=OTHER_RESEARCHER)
		my_report = report_doc(mine.name).insert()
		their_report = report_doc(theirs.name, researcher=OTHER_RESEARCHER).insert()
		self.assertIsNone(research_access.report_has_permission(my_report, "read", RESEARCHER))
		self.assertFalse(research_access.report_has_permission(their_report, "read", RESEARCHER))
		self.assertIsNone(research_access.report_has_permission(their_report, "read", COMMITTEE))
		condition = research_access.report_query_conditions(RESEARCHER)
		# sql-ok: runs the permission condition itself, as frappe's list query does
		names = frappe.db.sql_list(f"select name from `tabResearch Report` where {condition}")
		self.assertIn(my_report.name, names)
		self.assertNotIn(their_report.name, names)

	def test_researcher_only_reads_the_files_he_researches_or_reviews(self):
		mine = request_under_research(self.beneficiary, researcher=RESEARCHER)
		theirs = request_under_research(make_active_beneficiary().name, researcher=OTHER_RESEARCHER)
		referred = request_under_research(make_active_beneficiary().name, researcher=OTHER_RESEARCHER)
		frappe.db.set_value("Assistance Request", referred.name, "referred_to", RESEARCHER)
		reviewed = make_active_beneficiary().name
		review_task(reviewed, RESEARCHER)
		allowed = {mine.beneficiary, referred.beneficiary, reviewed}
		for name in allowed:
			doc = frappe.get_doc("Beneficiary", name)
			self.assertIsNone(research_access.beneficiary_has_permission(doc, "read", RESEARCHER), name)
		doc = frappe.get_doc("Beneficiary", theirs.beneficiary)
		self.assertFalse(research_access.beneficiary_has_permission(doc, "read", RESEARCHER))
		for user in (OFFICER, MANAGER, COMMITTEE, self.researcher_officer, "Administrator"):
			self.assertIsNone(research_access.beneficiary_has_permission(doc, "read", user))
			self.assertIsNone(research_access.beneficiary_query_conditions(user))

		condition = research_access.beneficiary_query_conditions(RESEARCHER)
		# sql-ok: runs the permission condition itself, as frappe's list query does
		names = set(frappe.db.sql_list(f"select name from `tabBeneficiary` where {condition}"))
		self.assertTrue(allowed <= names)
		self.assertNotIn(theirs.beneficiary, names)

	def test_a_closed_review_task_no_longer_opens_the_file(self):
		reviewed = make_active_beneficiary().name
		task = review_task(reviewed, RESEARCHER)
		frappe.db.set_value("ToDo", task, "status", "Closed")
		doc = frappe.get_doc("Beneficiary", reviewed)
		self.assertFalse(research_access.beneficiary_has_permission(doc, "read", RESEARCHER))

	def test_values_are_escaped(self):
		request_under_research(self.beneficiary, researcher=RESEARCHER)
		for condition, table in (
			(research_access.request_query_conditions(QUOTED_RESEARCHER), "Assistance Request"),
			(research_access.report_query_conditions(QUOTED_RESEARCHER), "Research Report"),
			(research_access.beneficiary_query_conditions(QUOTED_RESEARCHER), "Beneficiary"),
		):
			self.assertIn(frappe.db.escape(QUOTED_RESEARCHER), condition)
			# sql-ok: the condition must be valid SQL whatever the user's name holds
			self.assertEqual(frappe.db.sql(f"select count(*) from `tab{table}` where {condition}")[0][0], 0)


class TestResearcherVisibilityOverREST(FrappeTestCase):
	"""Through the whole HTTP stack, as the researcher: what is committed here is removed in tearDownClass."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		from charity_beneficiary.tests.live_server import live_server

		make_users()
		frappe.set_user("Administrator")
		cls.created_service = not frappe.db.exists("Aid Service", SERVICE)
		cls.created_criterion = not frappe.db.exists("Need Criterion", INCOME)
		make_aid_service(SERVICE, requires_research=1)
		make_criterion(INCOME, 3, "Test income per person")
		cls.beneficiaries = [make_active_beneficiary().name for _i in range(4)]
		cls.review = review_task(cls.beneficiaries[3], RESEARCHER)
		cls.mine = request_under_research(cls.beneficiaries[0], researcher=RESEARCHER).name
		cls.theirs = request_under_research(cls.beneficiaries[1], researcher=OTHER_RESEARCHER).name
		cls.referred = request_under_research(cls.beneficiaries[2], researcher=OTHER_RESEARCHER).name
		frappe.db.set_value("Assistance Request", cls.referred, "referred_to", RESEARCHER)
		cls.my_report = report_doc(cls.mine).insert().name
		cls.their_report = report_doc(cls.theirs, researcher=OTHER_RESEARCHER).insert().name
		frappe.db.commit()  # the HTTP server is another process
		cls.server = live_server()

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		requests = [getattr(cls, n) for n in ("mine", "theirs", "referred") if hasattr(cls, n)]
		if requests:
			reports = frappe.get_all(
				"Research Report", filters={"assistance_request": ("in", requests)}, pluck="name"
			)
			for child in ("Research Score", "Research Financial Line", "Research Photo"):
				if reports:
					frappe.db.delete(child, {"parenttype": "Research Report", "parent": ("in", reports)})
			frappe.db.delete(
				"Assistance Request Item", {"parenttype": "Assistance Request", "parent": ("in", requests)}
			)
			for doctype, names in (("Research Report", reports), ("Assistance Request", requests)):
				if not names:
					continue
				frappe.db.delete("Comment", {"reference_doctype": doctype, "reference_name": ("in", names)})
				frappe.db.delete("Version", {"ref_doctype": doctype, "docname": ("in", names)})
				frappe.db.delete(
					"Workflow Action", {"reference_doctype": doctype, "reference_name": ("in", names)}
				)
				frappe.db.delete(doctype, {"name": ("in", names)})
		if hasattr(cls, "review"):
			frappe.delete_doc("ToDo", cls.review, force=True, ignore_permissions=True)
		for name in getattr(cls, "beneficiaries", []):
			frappe.delete_doc("Beneficiary", name, force=True, ignore_permissions=True)
		if getattr(cls, "created_criterion", False):
			frappe.delete_doc("Need Criterion", INCOME, force=True, ignore_permissions=True)
		if getattr(cls, "created_service", False):
			frappe.delete_doc("Aid Service", SERVICE, force=True, ignore_permissions=True)
		frappe.db.commit()
		super().tearDownClass()

	def get(self, session, doctype, name=""):
		return session.get("/".join((self.server.url, "api/resource", doctype, name)).rstrip("/"))

	def listed(self, session, doctype) -> set[str]:
		response = session.get(f"{self.server.url}/api/resource/{doctype}", params={"limit_page_length": 0})
		self.assertEqual(response.status_code, 200, response.text)
		return {row["name"] for row in response.json()["data"]}

	def test_researcher_reads_only_requests_assigned_or_referred_to_him(self):
		session = self.server.session(RESEARCHER, TEST_PASSWORD)
		self.assertEqual(self.get(session, "Assistance Request", self.mine).status_code, 200)
		self.assertEqual(self.get(session, "Assistance Request", self.referred).status_code, 200)
		self.assertEqual(self.get(session, "Assistance Request", self.theirs).status_code, 403)
		names = self.listed(session, "Assistance Request")
		self.assertIn(self.mine, names)
		self.assertIn(self.referred, names)
		self.assertNotIn(self.theirs, names)

	def test_researcher_reads_only_his_reports(self):
		session = self.server.session(RESEARCHER, TEST_PASSWORD)
		self.assertEqual(self.get(session, "Research Report", self.my_report).status_code, 200)
		self.assertEqual(self.get(session, "Research Report", self.their_report).status_code, 403)
		names = self.listed(session, "Research Report")
		self.assertIn(self.my_report, names)
		self.assertNotIn(self.their_report, names)

	def test_researcher_reads_only_the_files_he_researches_or_reviews(self):
		"""R8.2: the researcher does not browse the register; he reads the file of a beneficiary
		whose request he researches or was asked about, or whose periodic review he was given."""
		session = self.server.session(RESEARCHER, TEST_PASSWORD)
		mine, theirs, referred, reviewed = self.beneficiaries
		for name in (mine, referred, reviewed):
			self.assertEqual(self.get(session, "Beneficiary", name).status_code, 200, name)
		self.assertEqual(self.get(session, "Beneficiary", theirs).status_code, 403)
		names = self.listed(session, "Beneficiary")
		self.assertTrue({mine, referred, reviewed} <= names)
		self.assertNotIn(theirs, names)
		response = session.get(
			f"{self.server.url}/api/method/frappe.client.get_value",
			params={
				"doctype": "Beneficiary",
				"filters": json.dumps({"name": theirs}),
				"fieldname": "id_number",
			},
		)
		# frappe reads it through the list query: nothing comes back
		self.assertIn(response.status_code, (200, 403), response.text[:300])
		self.assertFalse(response.json().get("message"), response.text[:300])

	def test_researcher_cannot_change_a_request_not_his(self):
		session = self.server.session(RESEARCHER, TEST_PASSWORD)
		response = session.put(
			f"{self.server.url}/api/resource/Assistance Request/{self.theirs}", json={"referral_answer": "لا"}
		)
		self.assertEqual(response.status_code, 403, response.text)

	def test_officers_see_every_request(self):
		session = self.server.session(OFFICER, TEST_PASSWORD)
		self.assertEqual(self.get(session, "Assistance Request", self.theirs).status_code, 200)
		self.assertTrue({self.mine, self.theirs, self.referred} <= self.listed(session, "Assistance Request"))
		self.assertEqual(self.get(session, "Research Report", self.their_report).status_code, 200)
		self.assertEqual(self.get(session, "Beneficiary", self.beneficiaries[1]).status_code, 200)

	def test_the_committee_sees_no_request_still_under_research(self):
		"""It reads what is brought before it (committee_access.py, tests/test_committee_access_rest.py)."""
		session = self.server.session(COMMITTEE, TEST_PASSWORD)
		self.assertEqual(self.get(session, "Assistance Request", self.theirs).status_code, 403)
		self.assertFalse({self.mine, self.theirs, self.referred} & self.listed(session, "Assistance Request"))
		self.assertEqual(self.get(session, "Research Report", self.their_report).status_code, 403)
		self.assertEqual(self.get(session, "Beneficiary", self.beneficiaries[1]).status_code, 403)

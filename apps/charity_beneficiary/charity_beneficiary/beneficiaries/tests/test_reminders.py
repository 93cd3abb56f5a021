"""R6.2 on the real test site: expiry reminders told once, the expiry flag and the service refused,
the periodic review given to the branch's researcher and completed by a research report, and the
officer's list of expiring documents."""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today

from charity_beneficiary.assistance.doctype.research_report.research_report import get_rubric
from charity_beneficiary.assistance.doctype.research_report.test_research_report import make_criterion
from charity_beneficiary.assistance.eligibility import NotEligibleError
from charity_beneficiary.beneficiaries import reminders, reminders_rules
from charity_beneficiary.beneficiaries.report.expiring_beneficiary_documents import (
	expiring_beneficiary_documents as report,
)
from charity_beneficiary.tests.factories import (
	audited_changes,
	make_active_beneficiary,
	make_aid_service,
	make_beneficiary,
	make_branch,
	make_document_type,
	make_request,
)
from charity_beneficiary.tests.mail import mail_text, queued_mails, use_test_mail_server
from charity_beneficiary.tests.users import role_user
from charity_beneficiary.utils.code_owned import CodeOwnedFieldError
from charity_beneficiary.verification import hijri_display

EMAIL = "beneficiary.reminders@example.com"
LEASE = "عقد إيجار (اختبار التذكير)"
SERVICE = "مساعدة إيجار (اختبار التذكير)"
BRANCH = "فرع اختبار التذكير"
EMPTY_BRANCH = "فرع بلا باحث (اختبار التذكير)"
CATEGORY = "أسر الأيتام (اختبار التذكير)"


def days_ahead(days: int):
	return getdate(add_days(today(), days))


class RemindersTestCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		# role users commit on first use: before the tests' own records, which are rolled back
		cls.officer = role_user("Beneficiary Relations Officer")
		cls.researcher = role_user("Social Researcher")
		use_test_mail_server(cls)

	def setUp(self):
		frappe.set_user("Administrator")
		frappe.db.set_single_value("Charity Settings", "document_reminder_days", 30)
		frappe.db.set_single_value("Charity Settings", "default_review_interval_months", 12)
		make_document_type(LEASE)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def comments(self, beneficiary: str) -> list[str]:
		return frappe.get_all(
			"Comment",
			filters={
				"reference_doctype": "Beneficiary",
				"reference_name": beneficiary,
				"comment_type": "Info",
			},
			pluck="content",
		)


class TestExpiryReminders(RemindersTestCase):
	def test_identity_and_document_are_told_once_in_arabic_with_the_hijri_date(self):
		lease_expiry = days_ahead(20)
		beneficiary = make_active_beneficiary(
			email_id=EMAIL,
			id_expiry_date=days_ahead(10),
			documents=[
				{"document_type": LEASE, "attachment": "/files/lease.pdf", "expiry_date": lease_expiry},
				{"document_type": LEASE, "attachment": "/files/old.pdf", "expiry_date": days_ahead(-100)},
			],
		).name
		before = len(queued_mails(EMAIL))

		first = [row for row in reminders.remind_expiring_documents() if row.name == beneficiary]
		second = [row for row in reminders.remind_expiring_documents() if row.name == beneficiary]

		self.assertEqual(sorted(getdate(row.expiry_date) for row in first), [days_ahead(10), lease_expiry])
		self.assertEqual(second, [])  # run twice a day, told once
		mails = queued_mails(EMAIL)
		self.assertEqual(len(mails), before + 2)
		texts = [mail_text(mail) for mail in mails[before:]]
		self.assertTrue(any(hijri_display(lease_expiry, lang="ar") in text for text in texts))
		self.assertTrue(all('dir="rtl"' in text for text in texts))
		self.assertEqual(len(self.comments(beneficiary)), 2)

	def test_one_no_channel_reached_is_told_once_one_does(self):
		"""Not remembered as told when nothing reached him: once he has an address (or the
		association a mail account), the next day's run tells him."""
		doc = make_active_beneficiary(email_id=None, mobile_no=None, id_expiry_date=days_ahead(10))
		self.assertFalse([row for row in reminders.remind_expiring_documents() if row.name == doc.name])
		self.assertEqual(self.comments(doc.name), [])
		frappe.db.set_value("Beneficiary", doc.name, "email_id", EMAIL)
		told = [row for row in reminders.remind_expiring_documents() if row.name == doc.name]
		self.assertEqual([getdate(row.expiry_date) for row in told], [days_ahead(10)])
		self.assertEqual(len(self.comments(doc.name)), 1)

	def test_a_renewed_document_is_told_again_before_its_new_date(self):
		doc = make_active_beneficiary(
			email_id=EMAIL,
			documents=[
				{"document_type": LEASE, "attachment": "/files/lease.pdf", "expiry_date": days_ahead(5)}
			],
		)
		reminders.remind_expiring_documents()
		doc.reload()
		doc.documents[0].expiry_date = days_ahead(25)
		doc.save()
		told = [row for row in reminders.remind_expiring_documents() if row.name == doc.name]
		self.assertEqual([getdate(row.expiry_date) for row in told], [days_ahead(25)])

	def test_a_document_renewed_early_is_not_told(self):
		"""The renewal is added beside the old copy (the portal's upload): he is not asked to renew
		what he renewed."""
		doc = make_active_beneficiary(
			email_id=EMAIL,
			documents=[
				{"document_type": LEASE, "attachment": "/files/lease.pdf", "expiry_date": days_ahead(10)},
				{"document_type": LEASE, "attachment": "/files/new.pdf", "expiry_date": days_ahead(375)},
			],
		)
		self.assertNotIn(doc.name, [row.name for row in reminders.remind_expiring_documents()])

	def test_nobody_is_told_when_reminders_are_off(self):
		frappe.db.set_single_value("Charity Settings", "document_reminder_days", 0)
		make_active_beneficiary(email_id=EMAIL, id_expiry_date=days_ahead(3))
		self.assertEqual(reminders.remind_expiring_documents(), [])

	def test_a_reminder_on_a_later_day_sees_the_day_window(self):
		beneficiary = make_active_beneficiary(email_id=EMAIL, id_expiry_date=days_ahead(40)).name
		self.assertNotIn(beneficiary, [row.name for row in reminders.remind_expiring_documents()])
		later = [row.name for row in reminders.remind_expiring_documents(on=days_ahead(10))]
		self.assertIn(beneficiary, later)


class TestExpiryFlag(RemindersTestCase):
	def test_an_expired_document_flags_the_beneficiary_and_the_service_refuses_him(self):
		make_aid_service(SERVICE, required_document_types=[{"document_type": LEASE}])
		doc = make_active_beneficiary(
			documents=[
				{"document_type": LEASE, "attachment": "/files/lease.pdf", "expiry_date": days_ahead(-2)}
			]
		)

		self.assertIn(doc.name, reminders.flag_expired_documents()["flagged"])
		self.assertEqual(frappe.db.get_value("Beneficiary", doc.name, "documents_expired"), 1)
		self.assertEqual(audited_changes("Beneficiary", doc.name)["documents_expired"][1], 1)
		self.assertNotIn(doc.name, reminders.flag_expired_documents()["flagged"])  # once

		frappe.set_user(self.officer)
		with self.assertRaises(NotEligibleError):
			make_request(doc.name, SERVICE, submit=True)

		# renewed: a new copy beside the expired one clears the flag at the next run
		frappe.set_user("Administrator")
		doc.reload()
		doc.append(
			"documents",
			{"document_type": LEASE, "attachment": "/files/new.pdf", "expiry_date": days_ahead(300)},
		)
		doc.save()
		self.assertIn(doc.name, reminders.flag_expired_documents()["cleared"])
		self.assertEqual(frappe.db.get_value("Beneficiary", doc.name, "documents_expired"), 0)

	def test_another_beneficiarys_valid_copy_renews_nothing(self):
		"""Only a copy on his own record renews his document (the renewal's subquery once compared
		each row with itself, so any valid document anywhere counted)."""
		make_active_beneficiary(
			documents=[{"document_type": LEASE, "attachment": "/files/b.pdf", "expiry_date": days_ahead(300)}]
		)
		doc = make_active_beneficiary(
			documents=[{"document_type": LEASE, "attachment": "/files/a.pdf", "expiry_date": days_ahead(-2)}]
		)
		self.assertIn(doc.name, reminders.flag_expired_documents()["flagged"])

	def test_an_expired_identity_flags_the_applicant(self):
		name = make_beneficiary(id_expiry_date=days_ahead(-1)).name
		self.assertIn(name, reminders.flag_expired_documents()["flagged"])

	def test_the_flags_cannot_be_set_by_hand(self):
		frappe.set_user(self.officer)
		doc = make_beneficiary()
		doc.documents_expired = 1
		with self.assertRaises(CodeOwnedFieldError):
			doc.save()
		doc.reload()
		doc.due_for_review = 1
		with self.assertRaises(CodeOwnedFieldError):
			doc.save()

	def test_the_officer_lists_what_expires_within_the_days(self):
		soon = make_active_beneficiary(
			documents=[
				{"document_type": LEASE, "attachment": "/files/lease.pdf", "expiry_date": days_ahead(7)}
			]
		).name
		expired = make_beneficiary(id_expiry_date=days_ahead(-3)).name
		later = make_active_beneficiary(id_expiry_date=days_ahead(90)).name
		frappe.set_user(self.officer)

		_columns, rows = report.execute({"days": 30, "include_expired": 1})
		listed = {row.beneficiary: row for row in rows}
		self.assertEqual((listed[soon].days_left, listed[soon].document_type), (7, LEASE))
		self.assertLess(listed[expired].days_left, 0)
		self.assertNotIn(later, listed)
		_columns, rows = report.execute({"days": 30, "include_expired": 0})
		self.assertNotIn(expired, {row.beneficiary for row in rows})
		with self.assertRaises(report.NegativeDaysError):
			report.execute({"days": -1})


class TestPeriodicReview(RemindersTestCase):
	def setUp(self):
		super().setUp()
		make_branch(BRANCH)
		make_branch(EMPTY_BRANCH)
		# the shared researcher works for the test branch (rolled back with the test)
		frappe.db.set_value("User", self.researcher, "charity_branch", BRANCH)

	def test_a_due_review_goes_to_the_branch_researcher_once(self):
		beneficiary = make_active_beneficiary(email_id=EMAIL, branch=BRANCH, next_review_date=today()).name
		before = len(queued_mails(EMAIL))

		self.assertIn(beneficiary, reminders.flag_due_reviews())
		self.assertNotIn(beneficiary, reminders.flag_due_reviews())  # run twice a day, told once

		self.assertEqual(frappe.db.get_value("Beneficiary", beneficiary, "due_for_review"), 1)
		todos = frappe.get_all(
			"ToDo",
			filters={"reference_type": "Beneficiary", "reference_name": beneficiary, "status": "Open"},
			pluck="allocated_to",
		)
		self.assertEqual(todos, [self.researcher])
		self.assertEqual(len(queued_mails(EMAIL)), before + 1)

	def test_a_branch_without_researcher_gives_the_review_to_any_researcher(self):
		beneficiary = make_active_beneficiary(branch=EMPTY_BRANCH, next_review_date=today()).name
		reminders.flag_due_reviews()
		allocated = frappe.db.get_value(
			"ToDo", {"reference_type": "Beneficiary", "reference_name": beneficiary}, "allocated_to"
		)
		self.assertIn("Social Researcher", frappe.get_roles(allocated))

	def test_a_future_review_is_not_due(self):
		beneficiary = make_active_beneficiary(next_review_date=add_days(today(), 1)).name
		self.assertNotIn(beneficiary, reminders.flag_due_reviews())

	def test_the_research_report_completes_the_review_and_sets_the_next_date(self):
		make_criterion("الدخل (اختبار التذكير)", 1, "Test income (reminders)")
		category = self.category(review_interval_months=6)
		make_aid_service(SERVICE, requires_research=1)
		beneficiary = make_active_beneficiary(
			branch=BRANCH, next_review_date=today(), categories=[{"category": category}]
		).name
		reminders.flag_due_reviews()

		self.research_report(beneficiary).submit()

		values = frappe.db.get_value(
			"Beneficiary", beneficiary, ["due_for_review", "next_review_date"], as_dict=True
		)
		self.assertEqual(values.due_for_review, 0)
		self.assertEqual(getdate(values.next_review_date), reminders_rules.add_months(getdate(today()), 6))
		self.assertFalse(
			frappe.db.exists(
				"ToDo", {"reference_type": "Beneficiary", "reference_name": beneficiary, "status": "Open"}
			)
		)

	def test_without_category_interval_the_settings_default_applies(self):
		self.assertEqual(reminders.review_interval(make_active_beneficiary().name), 12)

	def category(self, **fields) -> str:
		if not frappe.db.exists("Beneficiary Category", CATEGORY):
			frappe.get_doc({"doctype": "Beneficiary Category", "category_name": CATEGORY}).insert()
		frappe.db.set_value("Beneficiary Category", CATEGORY, fields)
		return CATEGORY

	def research_report(self, beneficiary: str):
		"""A report by the assigned researcher on a request sent to research, as the officer does it."""
		frappe.set_user(self.officer)
		request = make_request(beneficiary, SERVICE, submit=True)
		frappe.db.set_value("Assistance Request", request.name, "researcher", self.researcher)
		request.reload()
		request = apply_workflow(request, "Send to Research")
		frappe.set_user(self.researcher)
		return frappe.get_doc(
			{
				"doctype": "Research Report",
				"assistance_request": request.name,
				"researcher": self.researcher,
				"visit_type": "Home Visit",
				"visit_date": today(),
				"findings": "<p>زيارة المراجعة الدورية للأسرة.</p>",
				"recommendation": "Approve",
				"scores": [{"criterion": c.name, "score": 5} for c in get_rubric()],
			}
		).insert()

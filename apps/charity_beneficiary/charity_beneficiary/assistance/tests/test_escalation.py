"""R3.4: the daily escalation warns the association's managers, in one digest e-mail, of the pending
requests two days before their answer date and every day once it has passed, comments each request,
and never escalates the same request twice the same day."""

import frappe
from frappe import _
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from charity_beneficiary.assistance.escalation import escalate_due_requests, escalation_subject
from charity_beneficiary.tests.factories import (
	make_active_beneficiary,
	make_aid_service,
	make_request,
)
from charity_beneficiary.tests.mail import mail_text, no_outgoing_email, queued_mails, use_test_mail_server
from charity_beneficiary.tests.users import disabled_email, disabled_user, role_email, role_user
from charity_beneficiary.utils import channels
from charity_beneficiary.utils.recipients import manager_emails

OFFICER = role_email("Beneficiary Relations Officer")
MANAGER = role_email("Charity Manager")
DISABLED_MANAGER = disabled_email("Charity Manager")
SERVICE = "سداد إيجار (اختبار التصعيد)"
NO_MAIL_SENT = (  # the escalation's own words (assistance/escalation.py), in the test's language
	"No e-mail was sent: no enabled user has the role Charity Manager, or no outgoing e-mail account is set up."
)


def escalation_comments(request: str) -> list[frappe._dict]:
	return frappe.get_all(
		"Comment",
		filters={
			"reference_doctype": "Assistance Request",
			"reference_name": request,
			"subject": ["like", "SLA escalation %"],
		},
		fields=["subject", "content", "comment_type"],
	)


class TestEscalation(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		role_user("Beneficiary Relations Officer")
		role_user("Charity Manager")
		disabled_user("Charity Manager")
		# The test site has no outgoing e-mail account: one from the (in-memory) site config, as on a
		# bench with mail_server set. Mails are only queued, never sent, and rolled back at the end.
		use_test_mail_server(cls)

	def setUp(self):
		frappe.set_user("Administrator")
		make_aid_service(SERVICE)
		self.beneficiary = make_active_beneficiary().name

	def tearDown(self):
		frappe.set_user("Administrator")

	def submitted_request(self, days_from_today: int, state: str | None = None) -> str:
		frappe.set_user(OFFICER)
		doc = make_request(self.beneficiary, SERVICE, submit=True)
		frappe.set_user("Administrator")
		values = {"expected_decision_date": add_days(today(), days_from_today)}
		if state:
			values["workflow_state"] = state
		frappe.db.set_value("Assistance Request", doc.name, values)
		return doc.name

	def test_managers_are_the_enabled_charity_managers(self):
		managers = manager_emails()
		self.assertIn(MANAGER, managers)
		self.assertNotIn(DISABLED_MANAGER, managers)
		self.assertNotIn(OFFICER, managers)

	def test_overdue_and_due_soon_requests_are_mailed_once_a_day(self):
		overdue = self.submitted_request(-3)
		due_soon = self.submitted_request(2)
		ahead = self.submitted_request(5)
		due_today = self.submitted_request(0)
		decided = self.submitted_request(-3, state="Approved")
		before = len(queued_mails(MANAGER))
		disabled_before = len(queued_mails(DISABLED_MANAGER))

		escalated = escalate_due_requests()
		self.assertIn(overdue, escalated)
		self.assertIn(due_soon, escalated)
		for name in (ahead, due_today, decided):
			self.assertNotIn(name, escalated)

		# one digest for all the requests, not one mail per request
		mails = queued_mails(MANAGER)
		self.assertEqual(len(mails), before + 1)
		body = mail_text(mails[-1])
		self.assertIn(overdue, body)
		self.assertIn(due_soon, body)
		self.assertNotIn(ahead, body)
		self.assertNotIn(decided, body)
		self.assertEqual(len(queued_mails(DISABLED_MANAGER)), disabled_before)

		# running again the same day sends and comments nothing new
		self.assertEqual(escalate_due_requests(), [])
		self.assertEqual(len(queued_mails(MANAGER)), before + 1)
		self.assertEqual(len(escalation_comments(overdue)), 1)

	def test_each_escalated_request_gets_a_comment(self):
		overdue = self.submitted_request(-3)
		due_soon = self.submitted_request(2)
		ahead = self.submitted_request(5)
		escalate_due_requests()

		[comment] = escalation_comments(overdue)
		self.assertEqual(comment.subject, escalation_subject(today()))
		self.assertEqual(comment.comment_type, "Comment")
		passed = _("The answer date {0} has passed by {1} day(s) without a decision.")
		self.assertIn(passed.format(frappe.format(add_days(today(), -3), "Date"), 3), comment.content)
		self.assertIn(MANAGER, comment.content)
		self.assertEqual(len(escalation_comments(due_soon)), 1)
		self.assertEqual(escalation_comments(ahead), [])

	def test_overdue_requests_are_escalated_again_the_next_day(self):
		overdue = self.submitted_request(-3)
		due_soon = self.submitted_request(2)
		escalate_due_requests()
		before = len(queued_mails(MANAGER))

		tomorrow = add_days(today(), 1)
		escalated = escalate_due_requests(on=tomorrow)
		self.assertIn(overdue, escalated)
		# tomorrow the other one is due in one day: it was warned two days before, not again
		self.assertNotIn(due_soon, escalated)
		self.assertEqual(len(queued_mails(MANAGER)), before + 1)
		self.assertEqual(len(escalation_comments(overdue)), 2)
		self.assertEqual(escalate_due_requests(on=tomorrow), [])

	def test_without_an_email_account_the_requests_are_still_commented(self):
		before = set(frappe.get_all("Error Log", filters={"method": channels.NO_EMAIL_ACCOUNT}, pluck="name"))
		try:
			with no_outgoing_email():
				overdue = self.submitted_request(-4)
				mails_before = len(queued_mails(MANAGER))
				# the missing account is logged once a day: forget today's log, which any committed test
				# that mailed without an account may have left (an Error Log outlives the rollback)
				frappe.db.delete(
					"Error Log", {"method": channels.NO_EMAIL_ACCOUNT, "creation": (">=", today())}
				)
				self.assertIn(overdue, escalate_due_requests())
				self.assertEqual(len(queued_mails(MANAGER)), mails_before)
				[comment] = escalation_comments(overdue)
				self.assertIn(_(NO_MAIL_SENT), comment.content)
				self.assertNotIn(MANAGER, comment.content)
				self.assertEqual(escalate_due_requests(), [])
			logged = frappe.get_all(
				"Error Log", filters={"method": channels.NO_EMAIL_ACCOUNT, "creation": (">=", today())}
			)
			self.assertEqual(len(logged), 1)  # once, for the manager
		finally:
			added = (
				set(frappe.get_all("Error Log", filters={"method": channels.NO_EMAIL_ACCOUNT}, pluck="name"))
				- before
			)
			frappe.db.delete("Error Log", {"name": ("in", list(added) or [""])})

"""R3.4: the daily escalation warns the association's managers, in one digest e-mail, of the pending
requests two days before their answer date and every day once it has passed, comments each request,
and never escalates the same request twice the same day."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from charity_beneficiary.assistance.escalation import escalate_due_requests, escalation_subject
from charity_beneficiary.tests.factories import (
	make_active_beneficiary,
	make_aid_service,
	make_request,
	make_user,
)
from charity_beneficiary.tests.mail import mail_text, queued_mails, use_test_mail_server
from charity_beneficiary.utils import channels
from charity_beneficiary.utils.recipients import manager_emails

OFFICER = "officer.escalation@test.localhost"
MANAGER = "manager.escalation@test.localhost"
DISABLED_MANAGER = "manager.disabled.escalation@test.localhost"
SERVICE = "سداد إيجار (اختبار التصعيد)"


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


def forget_email_accounts():
	"""Drop the outgoing e-mail account frappe caches for the request (the process, under pytest)."""
	frappe.local.outgoing_email_account = {}


class TestEscalation(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(OFFICER, ["Beneficiary Relations Officer"])
		make_user(MANAGER, ["Charity Manager"])
		make_user(DISABLED_MANAGER, ["Charity Manager"])
		frappe.db.set_value("User", DISABLED_MANAGER, "enabled", 0)
		frappe.db.commit()
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
		self.assertIn("3", comment.content)
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
		from frappe.email.doctype.email_account.email_account import EmailAccount

		mail_server = frappe.local.conf.pop("mail_server")
		forget_email_accounts()
		try:
			if EmailAccount.find_default_outgoing():
				self.skipTest("the site has an outgoing e-mail account")
			overdue = self.submitted_request(-4)
			before = len(queued_mails(MANAGER))
			# the missing account is logged once a day: forget (until the rollback) today's log, which
			# any committed test that mailed without an account may have left
			frappe.db.delete("Error Log", {"method": channels.NO_EMAIL_ACCOUNT})
			# (an Error Log outlives the test's rollback: check the call instead of leaving one behind)
			with patch("frappe.log_error") as log_error:
				self.assertIn(overdue, escalate_due_requests())
			log_error.assert_called_once()
			self.assertEqual(len(queued_mails(MANAGER)), before)
			[comment] = escalation_comments(overdue)
			self.assertIn("No e-mail was sent", comment.content)
			self.assertEqual(escalate_due_requests(), [])
		finally:
			frappe.local.conf["mail_server"] = mail_server
			forget_email_accounts()

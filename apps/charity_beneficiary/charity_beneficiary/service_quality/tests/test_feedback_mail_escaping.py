"""R8.2: what people type into a complaint reaches the mails about it as text, never as markup.

The managers' daily mail of overdue feedback shows its subject (or the start of its description when
there is none) and the beneficiary's name; the beneficiary's mail shows the officer's response. A
`<script>` typed into any of them arrives escaped."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from charity_beneficiary.service_quality import feedback
from charity_beneficiary.tests.factories import make_active_beneficiary
from charity_beneficiary.tests.mail import mail_text, queued_mails, use_test_mail_server
from charity_beneficiary.tests.users import role_email, role_user

MANAGER = role_email("Charity Manager")
OFFICER = role_email("Beneficiary Relations Officer")
EMAIL = "beneficiary.escaping@example.com"


def script(where: str) -> str:
	return f'<script>alert("{where}")</script>'


class TestFeedbackMailsEscapeWhatPeopleTyped(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		role_user("Charity Manager")  # committed: first, so the tests' own records are rolled back
		role_user("Beneficiary Relations Officer")
		use_test_mail_server(cls)

	def setUp(self):
		frappe.set_user("Administrator")
		self.beneficiary = make_active_beneficiary(email_id=EMAIL).name

	def complaint(self, **fields):
		frappe.set_user(OFFICER)
		try:
			return frappe.get_doc(
				{
					"doctype": "Beneficiary Feedback",
					"feedback_type": "Complaint",
					"beneficiary": self.beneficiary,
					"channel": "Phone Call",
					**fields,
				}
			).insert()
		finally:
			frappe.set_user("Administrator")

	def assert_escaped(self, text: str, where: str) -> None:
		self.assertNotIn(script(where), text)
		quote = '(&#34;|&quot;|")'
		self.assertRegex(text, rf"&lt;script&gt;alert\({quote}{where}{quote}\)&lt;/script&gt;")

	def test_the_overdue_mail_escapes_the_subject_and_the_description(self):
		with_subject = self.complaint(subject=script("subject"), description="تأخر صرف المساعدة")
		without_subject = self.complaint(description=script("description"))
		for doc in (with_subject, without_subject):
			frappe.db.set_value("Beneficiary Feedback", doc.name, "due_date", add_days(today(), -1))
		before = len(queued_mails(MANAGER))

		escalated = feedback.escalate_overdue_feedback()

		self.assertTrue({with_subject.name, without_subject.name} <= set(escalated))
		mails = queued_mails(MANAGER)
		self.assertEqual(len(mails), before + 1)
		text = mail_text(mails[-1])
		self.assertIn(with_subject.name, text)
		self.assertIn(without_subject.name, text)
		self.assert_escaped(text, "subject")
		self.assert_escaped(text, "description")
		self.assertNotIn("<script", text)

	def test_the_response_mail_escapes_the_response(self):
		doc = self.complaint(subject="تأخر", description="تأخر صرف المساعدة")
		before = len(queued_mails(EMAIL))
		frappe.set_user(OFFICER)
		doc.reload()
		doc.response = script("response")
		doc.save()
		frappe.set_user("Administrator")
		mails = queued_mails(EMAIL)
		self.assertEqual(len(mails), before + 1)
		text = mail_text(mails[-1])
		self.assert_escaped(text, "response")
		self.assertNotIn("<script", text)

"""R6.1, R6.2: the manager opens the portal accounts of many beneficiaries at once — through frappe's
import path (past the hourly sign-up throttle), each a Website User with the role Beneficiary linked
to his record and invited in Arabic, never twice; nobody but the manager may ask for it.

The job commits each account (a stopped job resumes where it was), so this class commits its records
and removes them, and the users it opened, in its clean-up."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils.background_jobs import get_job

from charity_beneficiary.portal import bulk_accounts
from charity_beneficiary.portal.signup import PORTAL_ROLE
from charity_beneficiary.tests.committed import purge_beneficiary
from charity_beneficiary.tests.factories import make_beneficiary, make_id
from charity_beneficiary.tests.mail import mail_text, queued_mails, use_test_mail_server
from charity_beneficiary.tests.users import role_user

RUN = frappe.generate_hash(length=6)


class TestBulkPortalAccounts(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		use_test_mail_server(cls)
		frappe.set_user("Administrator")
		cls.manager = role_user("Charity Manager")
		cls.officer = role_user("Beneficiary Relations Officer")
		cls.beneficiaries, cls.emails = [], []
		cls.addClassCleanup(cls.remove_committed)
		cls.invited = cls.beneficiary(
			f"bulk-{RUN}@portal.test.localhost", "خالد سعيد عمر البقمي", "1971-02-03"
		)
		cls.without_email = cls.beneficiary(None, "وليد حمد صالح الشهري", "1982-06-07")
		# the e-mail of someone's account already
		cls.taken = cls.beneficiary(cls.officer, "ثامر عادل يوسف العنزي", "1993-10-11")
		frappe.db.commit()

	@classmethod
	def beneficiary(cls, email, full_name, born):
		name = make_beneficiary(email_id=email, beneficiary_name=full_name, date_of_birth=born).name
		cls.beneficiaries.append(name)
		return name

	@classmethod
	def remove_committed(cls):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		opened = [
			user
			for user in frappe.get_all(
				"Beneficiary", filters={"name": ("in", cls.beneficiaries)}, pluck="user"
			)
			if user and user != cls.officer
		]
		for name in cls.beneficiaries:
			purge_beneficiary(name)
		for user in opened:
			frappe.delete_doc("User", user, force=True, ignore_permissions=True)
		frappe.db.commit()

	def setUp(self):
		frappe.set_user("Administrator")

	def test_accounts_are_opened_past_the_throttle_once_and_invited_in_arabic(self):
		conf = frappe.local.conf
		saved = conf.pop("throttle_user_limit", None)
		conf.throttle_user_limit = -1  # the sign-up path would now refuse every user
		self.addCleanup(
			lambda: conf.pop("throttle_user_limit")
			if saved is None
			else conf.update(throttle_user_limit=saved)
		)
		with self.assertRaises(frappe.ValidationError):  # "Throttled"
			frappe.get_doc(
				{"doctype": "User", "email": f"throttled-{RUN}@portal.test.localhost", "first_name": "x"}
			).insert(ignore_permissions=True)
		frappe.db.rollback()
		names = [self.invited, self.without_email, self.taken]
		counts = bulk_accounts.execute(names)
		self.assertEqual(
			(counts["created"], counts["no_email"], counts["user_exists"], counts["failed"]), (1, 1, 1, 0)
		)
		frappe.db.rollback()
		email = f"bulk-{RUN}@portal.test.localhost"
		user = frappe.get_doc("User", frappe.db.get_value("Beneficiary", self.invited, "user"))
		self.assertEqual((user.email, user.user_type), (email, "Website User"))
		self.assertIn(PORTAL_ROLE, [row.role for row in user.roles])
		self.assertEqual(user.username, frappe.db.get_value("Beneficiary", self.invited, "id_number"))
		self.assertIsNone(frappe.db.get_value("Beneficiary", self.without_email, "user"))
		self.assertIsNone(frappe.db.get_value("Beneficiary", self.taken, "user"))  # not taken over
		mails = queued_mails(email)
		self.assertEqual(len(mails), 1)
		text = mail_text(mails[0])
		self.assertIn("/update-password?key=", text)
		self.assertIn('dir="rtl"', text)  # the invitation is in Arabic
		# re-run: nobody gets a second account or a second mail
		again = bulk_accounts.execute(names)
		self.assertEqual((again["created"], again["has_account"]), (0, 1))
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("User", {"email": email}), 1)
		self.assertEqual(len(queued_mails(email)), 1)

	def test_only_the_manager_opens_accounts_in_bulk(self):
		frappe.set_user(self.officer)
		with self.assertRaises(frappe.PermissionError):
			bulk_accounts.create_portal_accounts(beneficiaries=[self.invited])
		frappe.set_user(self.manager)
		queued = bulk_accounts.create_portal_accounts(beneficiaries=[self.invited, make_id()])
		self.assertEqual(queued["beneficiaries"], 1)  # only the records he may read
		job = get_job(queued["job_id"])
		if job:  # the job itself is tested above; it is not left for a worker
			job.delete()

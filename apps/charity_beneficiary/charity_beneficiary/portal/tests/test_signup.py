"""R6.1 over HTTP: a guest opens his own portal account, proves his e-mail, and is tied to his record.

The sign-up endpoint is called on the real server as a guest (rate limit, language and errors are the
server's); the activation mail is read where the test process can see it (an in-process call with an
outgoing mail server in the configuration), and its link is then followed on the real server."""

import re

import frappe
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.portal import signup
from charity_beneficiary.tests.factories import TEST_PASSWORD, make_beneficiary, make_id
from charity_beneficiary.tests.mail import MAIL_CONF, mail_text, queued_mails
from charity_beneficiary.tests.users import portal_user, role_user

METHOD = "/api/method/charity_beneficiary.portal.signup.sign_up"
PASSWORD = "Portal-Activ8-Secret!"


def clear_rate_limit() -> None:
	frappe.cache.delete_keys("rl:charity_beneficiary.portal.signup")


class TestSignUp(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		from charity_beneficiary.tests.live_server import live_server

		super().setUpClass()
		cls.server = live_server()
		cls.emails, cls.beneficiaries = [], []
		cls.addClassCleanup(cls.remove_committed)
		clear_rate_limit()

	@classmethod
	def remove_committed(cls):
		frappe.db.rollback()
		for email in cls.emails:
			if frappe.db.exists("User", email):
				frappe.delete_doc("User", email, force=True, ignore_permissions=True)
		for name in cls.beneficiaries:
			frappe.delete_doc("Beneficiary", name, force=True, ignore_permissions=True)
		frappe.db.commit()
		clear_rate_limit()

	def details(self, **overrides) -> dict:
		id_number = make_id("1")
		email = f"signup-{id_number}@portal.test.localhost"
		self.emails.append(email)
		return {
			"full_name": "سعد محمد الغامدي",
			"id_type": "National ID",
			"id_number": id_number,
			"mobile_no": "0501234567",
			"email": email,
			**overrides,
		}

	def post(self, data: dict):
		guest = self.server.session()
		guest.headers["Accept-Language"] = "ar"
		return guest.post(self.server.url + METHOD, data=data)

	def committed_beneficiary(self, **fields) -> str:
		name = make_beneficiary(**fields).name
		frappe.db.commit()
		self.beneficiaries.append(name)
		return name

	def test_a_guest_opens_an_account_that_works_only_after_its_link(self):
		data = self.details()
		response = self.post(data)
		self.assertEqual(response.status_code, 200, response.text)
		user = frappe.get_doc("User", data["email"])
		self.assertEqual(user.user_type, "Website User")
		self.assertEqual(user.username, data["id_number"])
		self.assertEqual(user.language, "ar")
		self.assertEqual([r.role for r in user.roles], [signup.PORTAL_ROLE])
		# no password he knows: the account does not work yet
		login = self.server.session().post(
			self.server.url + "/api/method/login", data={"usr": data["email"], "pwd": PASSWORD}
		)
		self.assertEqual(login.status_code, 401)

		link = self.activation_link(user)
		key = re.search(r"key=([0-9a-f]+)", link).group(1)
		guest = self.server.session()
		done = guest.post(
			self.server.url + "/api/method/frappe.core.doctype.user.user.update_password",
			data={"key": key, "new_password": PASSWORD},
		)
		self.assertEqual(done.status_code, 200, done.text)
		login = self.server.session(data["email"], PASSWORD)
		self.assertEqual(
			login.get(self.server.url + "/api/method/frappe.auth.get_logged_user").json()["message"],
			data["email"],
		)

	def activation_link(self, user) -> str:
		"""Sends the activation mail again in this process, where an outgoing server is configured."""
		saved = {key: frappe.conf.get(key) for key in MAIL_CONF}
		frappe.local.conf.update(MAIL_CONF)
		try:
			self.assertTrue(signup.send_activation(user, user.first_name))
		finally:
			frappe.local.conf.update(saved)
		frappe.db.commit()
		text = mail_text(queued_mails(user.email)[-1])
		return re.search(r"https?://\S+/update-password\?key=[0-9a-f]+", text).group(0)

	def test_an_existing_beneficiary_is_linked_not_duplicated(self):
		data = self.details()
		name = self.committed_beneficiary(id_number=data["id_number"], email_id=data["email"])
		response = self.post(data)
		self.assertEqual(response.status_code, 200, response.text)
		self.assertEqual(frappe.db.get_value("Beneficiary", name, "user"), data["email"])
		self.assertEqual(frappe.db.count("Beneficiary", {"id_number": data["id_number"]}), 1)

	def test_an_existing_beneficiary_with_another_email_is_not_handed_over(self):
		data = self.details()
		name = self.committed_beneficiary(id_number=data["id_number"], email_id="someone-else@example.com")
		response = self.post(data)
		self.assertEqual(response.status_code, 200, response.text)  # told nothing (test_signup_enumeration)
		self.assertFalse(frappe.db.exists("User", data["email"]))
		self.assertIsNone(frappe.db.get_value("Beneficiary", name, "user"))

	def test_one_account_per_id_number(self):
		data = self.details()
		self.assertEqual(self.post(data).status_code, 200)
		again = self.details(id_number=data["id_number"])
		response = self.post(again)
		self.assertEqual(response.status_code, 200, response.text)  # told nothing (test_signup_enumeration)
		self.assertFalse(frappe.db.exists("User", again["email"]))

	def test_bad_input_gets_a_clear_error_not_a_server_error(self):
		for bad in (
			{"id_number": "123"},
			{"mobile_no": "12"},
			{"email": "not-an-email"},
			{"id_type": "Visa"},
		):
			with self.subTest(bad=bad):
				response = self.post(self.details(**bad))
				self.assertEqual(response.json().get("exc_type"), "SignUpError", response.text)
				self.assertLess(response.status_code, 500)

	def test_sign_up_is_open_on_a_site_that_never_saved_the_switch(self):
		"""A site migrated from before the switch existed has no stored value: it is open."""
		frappe.db.delete("Singles", {"doctype": "Charity Settings", "field": "portal_sign_up"})
		self.assertTrue(signup.sign_up_open())
		frappe.db.rollback()

	def test_a_charity_can_close_self_registration(self):
		frappe.db.set_single_value("Charity Settings", "portal_sign_up", 0)
		frappe.db.commit()
		try:
			data = self.details()
			response = self.post(data)
			self.assertEqual(response.json().get("exc_type"), "SignUpError", response.text)
			self.assertFalse(frappe.db.exists("User", data["email"]))
			page = self.server.session().get(self.server.url + "/sign-up")
			self.assertIn("sign-up-closed", page.text)
			self.assertNotIn('<form class="sign-up-form"', page.text)
		finally:
			frappe.db.set_single_value("Charity Settings", "portal_sign_up", 1)
			frappe.db.commit()

	def test_sign_up_is_rate_limited_per_client(self):
		clear_rate_limit()
		data = self.details(full_name="")
		codes = [self.post(data).status_code for _ in range(signup.SIGNUPS_PER_HOUR + 1)]
		self.assertEqual(codes[-1], 429)
		self.assertNotIn(429, codes[:-1])
		clear_rate_limit()

	def test_guests_on_member_pages_are_sent_to_the_arabic_sign_up_page(self):
		guest = self.server.session()
		guest.headers["Accept-Language"] = "ar"
		for route in ("/beneficiary-registration/new", "/feedback/new", "/my-requests", "/portal"):
			with self.subTest(route=route):
				response = guest.get(self.server.url + route, allow_redirects=False)
				self.assertEqual(response.status_code, 302)
				self.assertTrue(response.headers["Location"].split("?")[0].endswith("/sign-up"))
		page = guest.get(self.server.url + "/sign-up")
		self.assertEqual(page.status_code, 200)
		frappe.local.lang = "ar"
		try:
			self.assertIn(frappe._("Open your account"), page.text)
		finally:
			frappe.local.lang = "en"

	def test_the_page_sends_back_only_to_a_path_on_this_site(self):
		# a browser reads `/\\host` as `//host`: another site, which frappe's sanitize_redirect lets through
		query = {"redirect-to": "/\\evil.example/portal"}
		page = self.server.session().get(self.server.url + "/sign-up", params=query)
		self.assertEqual(page.status_code, 200)
		self.assertNotIn("evil.example", page.text)
		self.assertIn("/login?redirect-to=%2Fportal", page.text)

		user = role_user("Beneficiary Relations Officer")
		frappe.db.commit()
		logged_in = self.server.session(user, TEST_PASSWORD)
		for target, expected in (("/\\evil.example", signup.HOME_ROUTE), ("/my-requests", "/my-requests")):
			with self.subTest(target=target):
				response = logged_in.get(
					self.server.url + "/sign-up", params={"redirect-to": target}, allow_redirects=False
				)
				self.assertEqual(response.status_code, 301)  # frappe.redirect's status
				self.assertEqual(response.headers["Location"].removeprefix(self.server.url), expected)


class TestRegistrationUnderOwnId(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.user = portal_user(5)  # committed: before the class's own records

	def test_a_portal_user_registers_only_under_the_id_number_of_his_account(self):
		# an account opened by the sign-up: its username is the ID number (in this test's transaction)
		frappe.db.set_value("User", self.user, "username", make_id("1"))
		frappe.set_user(self.user)
		try:
			with self.assertRaises(signup.OtherIdNumberError):
				# as the web form inserts it
				make_beneficiary(insert=False, id_number=make_id("1")).insert(ignore_permissions=True)
		finally:
			frappe.set_user("Administrator")

"""R8.1 over HTTP: on an Arabic site a guest's pages are Arabic, whatever his browser asks for, until
he chooses another language himself; on a site in another language frappe's choice stands."""

import frappe
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.portal.branding import RTL_PAGE
from charity_beneficiary.tests.live_server import live_server


class TestGuestLanguage(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.server = live_server()
		cls.site_language = frappe.db.get_single_value("System Settings", "language")

	def set_site_language(self, language: str) -> None:
		frappe.db.set_single_value("System Settings", "language", language)
		frappe.db.commit()
		frappe.clear_cache()  # the server reads the System Settings from the cache

	def tearDown(self):
		self.set_site_language(self.site_language)

	def sign_up_page(self, **cookies) -> str:
		guest = self.server.session()
		guest.headers["Accept-Language"] = "en-US,en;q=0.9"
		for name, value in cookies.items():
			guest.cookies.set(name, value)
		response = guest.get(self.server.url + "/sign-up")
		self.assertEqual(response.status_code, 200)
		return response.text

	def test_an_arabic_site_speaks_arabic_to_guests(self):
		self.set_site_language("ar")
		page = self.sign_up_page()
		self.assertIn('lang="ar"', page)
		self.assertIn("افتح حسابك", page)  # "Open your account"
		# and the page reads right to left (frappe's template names the language, not the direction)
		self.assertIn(RTL_PAGE, page.split("</head>", 1)[0])
		# the guest's own choice (frappe's language switcher) is kept
		english = self.sign_up_page(preferred_language="en")
		self.assertNotIn("افتح حسابك", english)
		self.assertNotIn(RTL_PAGE, english)

	def test_a_site_in_another_language_keeps_frappes_choice(self):
		self.set_site_language("en")
		self.assertNotIn("افتح حسابك", self.sign_up_page())

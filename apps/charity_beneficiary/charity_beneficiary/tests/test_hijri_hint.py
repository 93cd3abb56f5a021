"""R8.1 over HTTP: one Hijri date for one day — the hint under a desk date field is the server's own
Umm al-Qura conversion, the one stored and printed, in the same Western digits (utils/hijri_hint.py)."""

from datetime import date

import frappe
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.tests.factories import TEST_PASSWORD
from charity_beneficiary.tests.users import role_user
from charity_beneficiary.utils.hijri_hint import MAX_DATES, HijriDatesRequestError
from charity_beneficiary.verification import hijri_display

METHOD = "api/method/charity_beneficiary.utils.hijri_hint.hijri_dates"
# 1985-04-12 is a day on which the browser's Intl Umm al-Qura calendar and the official tables differ
DATES = (date(1985, 4, 12), date(2025, 3, 15), date(2026, 12, 1))


class TestHijriHintOverHTTP(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		from charity_beneficiary.tests.live_server import live_server

		super().setUpClass()
		officer = role_user("Beneficiary Relations Officer")
		frappe.db.commit()  # the HTTP server is another process
		cls.server = live_server()
		cls.session = cls.server.session(officer, TEST_PASSWORD)

	def ask(self, dates, method="get"):
		return getattr(self.session, method)(
			f"{self.server.url}/{METHOD}", params={"dates": frappe.as_json(list(dates))}
		)

	def test_the_hint_is_the_printed_conversion_in_western_digits(self):
		response = self.ask([d.isoformat() for d in DATES])
		self.assertEqual(response.status_code, 200, response.text[:300])
		answers = response.json()["message"]
		for day in DATES:
			with self.subTest(day=day):
				hint = answers[day.isoformat()]
				self.assertIn(hint, {hijri_display(day, "ar"), hijri_display(day, "en")})
				self.assertFalse(set(hint) & set("٠١٢٣٤٥٦٧٨٩"))  # one digit style with the date above it

	def test_what_is_not_a_date_gets_no_hint_and_a_flood_is_refused(self):
		answers = self.ask(["1446-09-15x", "", "2200-01-01", "0000-00-00", "0001-01-01"]).json()["message"]
		self.assertEqual(set(answers.values()), {""})
		response = self.ask(["2025-01-01"] * (MAX_DATES + 1))
		self.assertEqual(response.status_code, 417, response.text[:300])
		self.assertEqual(response.json()["exc_type"], HijriDatesRequestError.__name__)
		not_a_list = self.session.get(f"{self.server.url}/{METHOD}", params={"dates": "{"})
		self.assertEqual(not_a_list.status_code, 417)
		self.assertEqual(not_a_list.json()["exc_type"], HijriDatesRequestError.__name__)
		self.assertEqual(self.ask(["2025-01-01"], method="post").status_code, 403)  # GET only

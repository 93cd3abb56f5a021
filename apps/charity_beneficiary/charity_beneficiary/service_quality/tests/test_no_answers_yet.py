"""R5.3 with R8.1: a satisfaction figure with no answers behind it says "no answers yet", in grey —
never a "0 %" in the card's or the summary's colour, which would read as a measured result."""

import frappe
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.service_quality import dashboard, scoring
from charity_beneficiary.tests.factories import TEST_PASSWORD
from charity_beneficiary.tests.users import role_user

NO_ANSWERS_AR = "لا توجد إجابات بعد"


def csat(rows):
	return scoring.aggregate_csat(r.satisfaction_score for r in rows)


class TestSurveyCardWithoutAnswers(FrappeTestCase):
	def setUp(self):
		self.lang = frappe.local.lang
		frappe.local.lang = "ar"

	def tearDown(self):
		frappe.local.lang = self.lang

	def test_no_answers_is_said_in_grey_and_in_arabic(self):
		card = dashboard._survey_card([], csat, "Percent")
		self.assertIsInstance(card, str)  # frappe's custom card shows a string as it is, not as a number
		self.assertIn(NO_ANSWERS_AR, card)
		self.assertIn('class="text-muted"', card)

	def test_too_few_answers_are_not_shown_as_a_figure(self):
		one = [frappe._dict(satisfaction_score=0, nps_score=0)]
		card = dashboard._survey_card(one, csat, "Percent")
		self.assertIsInstance(card, str)
		self.assertNotIn(NO_ANSWERS_AR, card)  # there is an answer: "fewer than N so far"
		self.assertIn('class="text-muted"', card)

	def test_enough_answers_give_the_figure(self):
		rows = [frappe._dict(satisfaction_score=0, nps_score=0)] * 5
		card = dashboard._survey_card(rows, csat, "Percent")
		self.assertEqual((card["value"], card["fieldtype"]), (0, "Percent"))  # a measured 0 stays a 0


class TestReportSummaryWithoutAnswersOverHTTP(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		from charity_beneficiary.tests.live_server import live_server

		super().setUpClass()
		cls.manager = role_user("Charity Manager")
		frappe.db.commit()  # the HTTP server is another process
		cls.server = live_server()

	def test_an_empty_period_summarises_as_no_answers_yet_in_grey(self):
		session = self.server.session(self.manager, TEST_PASSWORD)
		response = session.post(
			f"{self.server.url}/api/method/frappe.desk.query_report.run",
			json={
				"report_name": "Service Quality",
				"filters": {"group_by": "Service", "from_date": "1990-01-01", "to_date": "1990-12-31"},
			},
		)
		self.assertEqual(response.status_code, 200, response.text[:500])
		summary = response.json()["message"]["report_summary"]
		survey_figures = [item for item in summary if item["datatype"] == "Data"]
		self.assertEqual(len(survey_figures), 4)  # CSAT, NPS, response rate, resolution time
		for item in survey_figures:
			self.assertEqual(item["indicator"], "Grey")
			self.assertTrue(item["value"] and not str(item["value"]).replace(".", "").isdigit())
		self.assertNotIn("Green", {item["indicator"] for item in summary})

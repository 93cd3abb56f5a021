"""Every script report of the app runs, over REST, for every role its Report JSON lists (issue 14:
"every report test runs as the roles that use it"). A role a report lists but whose ref DocType does
not let it report is refused with 403 by frappe (the Aid Disbursement Register listed Accounts
Manager and Accounts User while Aid Disbursement gave them no permission)."""

import json
from pathlib import Path

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import today

from charity_beneficiary.tests.factories import TEST_PASSWORD
from charity_beneficiary.tests.live_server import live_server
from charity_beneficiary.tests.users import role_user

APP_PATH = Path(frappe.get_app_path("charity_beneficiary"))


def script_reports() -> dict[str, list[str]]:
	"""Report name -> the roles of its JSON, for every standard script report of the app."""
	reports = {}
	for path in sorted(APP_PATH.glob("*/report/*/*.json")):
		definition = json.loads(path.read_text())
		if definition.get("doctype") != "Report" or definition.get("report_type") != "Script Report":
			continue
		reports[definition["name"]] = [row["role"] for row in definition.get("roles", [])]
	return reports


class TestEveryReportAsItsRoles(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.reports = script_reports()
		roles = {role for roles in cls.reports.values() for role in roles}
		cls.users = {role: role_user(role) for role in roles}  # committed: the server sees them
		cls.company = frappe.db.get_single_value("Charity Settings", "company")
		cls.server = live_server()

	def run_report(self, report: str, role: str):
		session = self.server.session(self.users[role], TEST_PASSWORD)
		filters = {"company": self.company, "from_date": today(), "to_date": today()}
		return session.get(
			f"{self.server.url}/api/method/frappe.desk.query_report.run",
			params={"report_name": report, "filters": json.dumps(filters)},
			timeout=60,
		)

	def test_the_app_has_script_reports_with_roles(self):
		self.assertIn("Aid Disbursement Register", self.reports)
		self.assertTrue(all(self.reports.values()), self.reports)

	def test_every_role_of_a_report_runs_it(self):
		for report, roles in self.reports.items():
			for role in roles:
				with self.subTest(report=report, role=role):
					response = self.run_report(report, role)
					self.assertEqual(response.status_code, 200, response.text[:300])
					message = response.json()["message"]
					# ran now, not handed to a prepared report
					self.assertIn("result", message)
					self.assertIn("columns", message)

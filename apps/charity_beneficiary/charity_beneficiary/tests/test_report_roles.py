"""Every script report of the app runs, over REST, for every role its Report JSON lists (issue 14:
"every report test runs as the roles that use it"). A role a report lists but whose ref DocType does
not let it report is refused with 403 by frappe (the Aid Disbursement Register listed Accounts
Manager and Accounts User while Aid Disbursement gave them no permission). A report with rows is
refused too when a Link column names a DocType the role cannot read (frappe filters the rows by
that DocType's user permissions: Aid Programme Reach's Branch column, for a System Manager), so
each Link column is checked as frappe checks it, whether the test site has rows for it or not."""

import json
from pathlib import Path

import frappe
from frappe.desk.query_report import get_columns_dict
from frappe.desk.reportview import build_match_conditions
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
					for doctype in linked_doctypes(message["columns"]):
						# what frappe's query_report.get_filtered_data runs once a column has a value
						try:
							build_match_conditions(doctype, self.users[role], False)
						except frappe.PermissionError:
							self.fail(f"{role} cannot read {doctype}, a Link column of {report}")


def linked_doctypes(columns: list) -> set[str]:
	"""The DocTypes of a report's Link columns, read as frappe's report runner reads columns."""
	return {
		column["options"]
		for column in get_columns_dict(columns).values()
		if column.get("fieldtype") == "Link" and column.get("options")
	}

# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""R4.4: Fund Utilisation over HTTP (frappe.desk.query_report.run) as the app's roles that use it,
the accountant and the manager: a fund's aid by period and type, summed by the database.

(Its agreement with the register and the ledger is tested in test_aid_disbursement_register.)
The disbursement is committed for the server and removed in the class clean-up."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate, today

from charity_beneficiary.disbursement.doctype.aid_disbursement.test_aid_disbursement import (
	purge,
	purge_disbursements,
	purge_requests,
)
from charity_beneficiary.disbursement.report.aid_disbursement_register.test_aid_disbursement_register import (
	CASH_SERVICE,
	approved_request,
	company,
	disburse,
	make_fund,
)
from charity_beneficiary.tests.factories import TEST_PASSWORD, make_active_beneficiary, make_aid_service
from charity_beneficiary.tests.live_server import live_server
from charity_beneficiary.tests.users import role_user

REPORT = "Fund Utilisation"
REPORT_ROLES = ("Charity Accountant", "Charity Manager")


class TestFundUtilisationOverREST(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.users = {role: role_user(role) for role in REPORT_ROLES}
		make_aid_service(CASH_SERVICE, delivery_type="Cash")
		cls.fund = make_fund()
		cls.beneficiary = make_active_beneficiary().name
		cls.addClassCleanup(cls.remove_committed)
		cls.request = approved_request(cls.beneficiary, CASH_SERVICE, 1200)
		cls.cash = disburse(cls.request, cls.fund, amount=1200)
		frappe.db.commit()
		cls.server = live_server()

	@classmethod
	def remove_committed(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		requests = frappe.get_all("Assistance Request", {"beneficiary": cls.beneficiary}, pluck="name")
		purge_disbursements(
			frappe.get_all("Aid Disbursement", {"assistance_request": ("in", requests or [""])}, pluck="name")
		)
		purge_requests(requests)
		purge("Beneficiary", [cls.beneficiary])
		purge("Charity Fund", [cls.fund])
		frappe.db.commit()

	def run_report(self, role: str, **filters) -> dict:
		session = self.server.session(self.users[role], TEST_PASSWORD)
		filters = {
			"company": company(),
			"from_date": today(),
			"to_date": today(),
			"fund": self.fund,
			**filters,
		}
		response = session.get(
			f"{self.server.url}/api/method/frappe.desk.query_report.run",
			params={"report_name": REPORT, "filters": json.dumps(filters)},
			timeout=60,
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		return response.json()["message"]

	def test_every_role_of_the_report_sees_the_fund_by_period_and_type(self):
		day = getdate(today())
		quarter = f"{day.year} Q{(day.month - 1) // 3 + 1}"
		for role in REPORT_ROLES:
			with self.subTest(role=role):
				rows = self.run_report(role, periodicity="Quarterly")["result"]
				fund_row, period_row = rows
				self.assertEqual((fund_row["fund"], fund_row["is_fund"]), (self.fund, 1))
				self.assertEqual((fund_row["cash"], fund_row["total"], fund_row["share"]), (1200, 1200, 100))
				self.assertEqual((period_row["period"], period_row["cash"]), (quarter, 1200))

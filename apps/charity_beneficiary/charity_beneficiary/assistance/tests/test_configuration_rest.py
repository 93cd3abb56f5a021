"""R2.2, R3.2, R4 over HTTP: the rules every request and payment is judged by are set by the
manager, within their sense — a decision period of a day at least, no negative limit or weight, an
expense account for aid — and a fund's restriction is not lifted by the accountant who pays from it.

The class commits (the HTTP server is another process) and removes what it made at the end."""

import frappe
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.disbursement.doctype.aid_disbursement.test_aid_disbursement import purge
from charity_beneficiary.tests.factories import TEST_PASSWORD, make_aid_service
from charity_beneficiary.tests.live_server import live_server
from charity_beneficiary.tests.users import role_user

RUN = frappe.generate_hash(length=5)
SERVICE = f"خدمة (اختبار الإعدادات {RUN})"
FUND = f"صندوق مقيد (اختبار الإعدادات {RUN})"


class TestConfigurationOverREST(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.manager = role_user("Charity Manager")
		cls.accountant = role_user("Charity Accountant")
		cls.addClassCleanup(cls.remove_committed)
		make_aid_service(SERVICE)
		frappe.get_doc(
			{
				"doctype": "Charity Fund",
				"fund_name": FUND,
				"fund_type": "Restricted",
				"restricted_to_service": SERVICE,
				"is_active": 1,
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()
		cls.server = live_server()

	@classmethod
	def remove_committed(cls):
		frappe.db.rollback()
		purge("Charity Fund", frappe.get_all("Charity Fund", {"fund_name": FUND}, pluck="name"))
		purge("Aid Service", [SERVICE])
		purge(
			"Need Criterion",
			frappe.get_all("Need Criterion", {"criterion_name": ("like", f"%{RUN}%")}, pluck="name"),
		)
		frappe.db.commit()

	def url(self, *parts: str) -> str:
		return "/".join((self.server.url, *parts))

	def test_a_service_keeps_limits_that_make_sense(self):
		session = self.server.session(self.manager, TEST_PASSWORD)
		company = frappe.db.get_single_value("Charity Settings", "company")
		asset = frappe.db.get_value("Account", {"company": company, "root_type": "Asset", "is_group": 0})
		for values in (
			{"decision_days": 0},
			{"decision_days": -3},
			{"decision_days": 3000000},  # no answer date the calendar could give
			{"max_amount": -100},
			{"max_times_per_year": -1},
			{"min_need_score": 150},
			{"expense_account": asset},
		):
			with self.subTest(values):
				response = session.put(self.url("api/resource/Aid Service", SERVICE), json=values)
				self.assertEqual(response.status_code, 417, response.text[:300])
		frappe.db.rollback()
		stored = frappe.db.get_value("Aid Service", SERVICE, ["decision_days", "max_amount"], as_dict=True)
		self.assertEqual((stored.decision_days, stored.max_amount), (14, 5000))

	def test_a_criterion_weighs_nothing_negative(self):
		session = self.server.session(self.manager, TEST_PASSWORD)
		response = session.post(
			self.url("api/resource/Need Criterion"),
			json={"criterion_name": f"معيار {RUN}", "weight": -5, "is_active": 0},
		)
		self.assertEqual(response.status_code, 417, response.text[:300])

	def test_the_accountant_does_not_lift_a_funds_restriction(self):
		session = self.server.session(self.accountant, TEST_PASSWORD)
		response = session.put(
			self.url("api/resource/Charity Fund", FUND),
			json={"fund_type": "General", "restricted_to_service": None},
		)
		self.assertEqual(response.status_code, 403, response.text[:300])
		response = session.post(
			self.url("api/resource/Charity Fund"), json={"fund_name": f"صندوق {RUN}", "fund_type": "General"}
		)
		self.assertEqual(response.status_code, 403, response.text[:300])
		self.assertEqual(session.get(self.url("api/resource/Charity Fund", FUND)).status_code, 200)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Charity Fund", FUND, "restricted_to_service"), SERVICE)

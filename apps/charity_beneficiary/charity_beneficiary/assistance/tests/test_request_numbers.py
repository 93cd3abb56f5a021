"""A request's reference number comes from a MariaDB sequence, not frappe's naming series (issue 14):
ASR-<year>-<number>, increasing; the setup moves the sequence past every number the naming series
gave; and naming a request holds no lock until the commit, so another filing is named meanwhile."""

import threading

import frappe
from frappe.query_builder import Table
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate

from charity_beneficiary.assistance import request_numbers
from charity_beneficiary.tests.factories import make_active_beneficiary, make_aid_service, make_request

SERVICE = "مساعدة نقدية (اختبار الأرقام)"
SERIES = Table("tabSeries")


def number_of(name: str) -> int:
	return int(name.rsplit("-", 1)[1])


class TestRequestNumbers(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_aid_service(SERVICE)
		cls.beneficiary = make_active_beneficiary().name

	def test_a_request_is_numbered_by_the_sequence_in_order(self):
		first = make_request(self.beneficiary, SERVICE).name
		second = make_request(self.beneficiary, SERVICE).name
		for name in (first, second):
			self.assertRegex(name, rf"^ASR-{getdate().year}-\d{{5,}}$")
		self.assertGreater(number_of(second), number_of(first))

	def test_the_setup_moves_the_sequence_past_the_naming_series(self):
		ahead = number_of(request_numbers.next_name()) + 1000
		frappe.qb.from_(SERIES).delete().where(SERIES.name == "ASR-1999-").run()
		frappe.qb.into(SERIES).insert("ASR-1999-", ahead).run()
		try:
			request_numbers.ensure_sequence()  # what install and migrate run
			self.assertEqual(number_of(make_request(self.beneficiary, SERVICE).name), ahead + 1)
			request_numbers.ensure_sequence()  # again: never back, never forward for nothing
			self.assertEqual(number_of(request_numbers.next_name()), ahead + 2)
		finally:
			frappe.qb.from_(SERIES).delete().where(SERIES.name == "ASR-1999-").run()

	def test_naming_holds_no_lock_until_the_commit(self):
		"""This transaction names a request and does not commit; another connection still gets the next
		number at once (frappe's naming series would make it wait for this commit: a lock timeout)."""
		mine = number_of(make_request(self.beneficiary, SERVICE).name)
		site, sites_path = frappe.local.site, frappe.local.sites_path
		other = {}

		def name_elsewhere():
			frappe.init(site=site, sites_path=sites_path)
			frappe.connect()
			try:
				frappe.db.sql("set session innodb_lock_wait_timeout = 2")
				other["number"] = number_of(request_numbers.next_name())
			except Exception as e:
				other["error"] = e
			finally:
				frappe.destroy()

		thread = threading.Thread(target=name_elsewhere)
		thread.start()
		thread.join(timeout=30)
		self.assertNotIn("error", other)
		self.assertGreater(other["number"], mine)

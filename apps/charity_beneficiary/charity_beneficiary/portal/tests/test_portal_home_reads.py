"""The portal home (R6.1) reads the beneficiary's record once: his record and his profile card are one
read of the Beneficiary table, whatever else the page lists."""

import re

import frappe
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.portal.home import home_context
from charity_beneficiary.tests.factories import make_active_beneficiary
from charity_beneficiary.tests.queries import recorded_queries
from charity_beneficiary.tests.users import portal_user

# a query of its own on the Beneficiary table (not a join or a sub-query of another table's query)
BENEFICIARY_READ = re.compile(r"^\s*select\s[^()]*?\sfrom\s+`tabBeneficiary`(\s|$)", re.I)


class TestPortalHomeReads(FrappeTestCase):
	def test_the_record_is_read_once(self):
		user = portal_user()
		name = make_active_beneficiary(user=user, email_id=None).name
		frappe.set_user(user)  # as the page runs
		try:
			with recorded_queries() as queries:
				context = home_context(user)
		finally:
			frappe.set_user("Administrator")
		reads = [q for q in queries if BENEFICIARY_READ.search(q)]
		self.assertEqual(len(reads), 1, "\n\n".join(reads))
		self.assertEqual(context.beneficiary.name, name)
		self.assertEqual(context.profile.id_number, frappe.db.get_value("Beneficiary", name, "id_number"))
		self.assertTrue(context.can_apply)

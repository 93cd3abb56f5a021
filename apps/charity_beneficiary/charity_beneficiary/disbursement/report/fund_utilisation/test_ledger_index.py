"""The aid reports read the general ledger through the app's index on GL Entry (issue 14): the setup
adds it once the fund dimension's column exists, adding it again changes nothing, and the reports'
ledger query can be answered from it alone."""

import frappe
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.disbursement.ledger_index import COLUMNS, INDEX, add_ledger_index


def index_columns() -> list[str]:
	rows = frappe.db.sql("show index from `tabGL Entry` where Key_name = %s", INDEX, as_dict=True)
	return [row.Column_name for row in sorted(rows, key=lambda row: row.Seq_in_index)]


class TestLedgerIndex(FrappeTestCase):
	def test_the_setup_made_the_index_and_makes_it_once(self):
		self.assertEqual(index_columns(), list(COLUMNS))
		add_ledger_index()
		self.assertEqual(index_columns(), list(COLUMNS))

	def test_the_fund_utilisation_ledger_columns_are_in_the_index(self):
		# every GL Entry column Fund Utilisation and the register filter, group or sum on
		read = {"account", "posting_date", "company", "is_cancelled", "charity_fund", "voucher_type"}
		read |= {"voucher_no", "debit", "credit"}
		self.assertLessEqual(read, set(COLUMNS))

"""The index the aid reports read the general ledger through (issue 14).

Fund Utilisation and the Aid Disbursement Register sum GL Entry over the aid expense accounts of a
period: a tenth of a ledger that also holds every other posting of the company. ERPNext's own
single-column indexes (account, posting_date) are not chosen for that (MariaDB scans the table:
6–10 s at 1M rows, the table no longer fitting in the buffer pool), so the reports read an index
that holds every column they need, which the range of accounts and dates is read from alone.

GL Entry is ERPNext's and the fund column is the accounting dimension this app adds after the
DocTypes are synced, so the index is added here, by the app's setup (after_install, after_migrate),
once the column exists; `add_index` does nothing when it is there already. On a large ledger the
first migrate after this change builds it (about 20 s for 1M rows). Uninstalling the app drops it:
ERPNext's ledger would otherwise keep writing an index nothing reads.
"""

import frappe

from charity_beneficiary.disbursement.setup import FUND_FIELD

INDEX = "charity_aid_ledger_index"
# the filtered columns first (accounts, then the date range), then what the reports select
COLUMNS = (
	"account",
	"posting_date",
	"company",
	"is_cancelled",
	FUND_FIELD,
	"voucher_type",
	"voucher_no",
	"debit",
	"credit",
)


def add_ledger_index() -> None:
	if not frappe.db.has_column("GL Entry", FUND_FIELD):
		return  # the fund dimension is not made yet: the next setup adds it
	frappe.db.add_index("GL Entry", list(COLUMNS), INDEX)


def drop_ledger_index() -> None:
	# sql-ok: an index name is not a value; INDEX is this module's constant
	frappe.db.sql_ddl(f"alter table `tabGL Entry` drop index if exists `{INDEX}`")

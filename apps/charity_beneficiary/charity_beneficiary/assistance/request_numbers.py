"""The reference number of an Assistance Request: ASR-<year>-<number> (issue 14).

frappe's naming series keeps its counter in a row of `tabSeries` that stays locked from the moment a
request is named until its transaction commits: every filing — on the portal, at the desk, a
programme's batch of hundreds — waited for the one before it to commit, so 20 beneficiaries filing
at once were served one at a time. The number now comes from a MariaDB sequence, which hands out
the next value without a lock held until the commit.

What that changes, by design: a number taken by a filing that is then refused (not eligible, a
missing field) is not used again, so the numbers are unique and increasing but not gapless; and the
counter runs on across years (ASR-2027-00458 follows ASR-2026-00457) instead of restarting in
January. The year in the number is still the year the request was filed.

The setup (install and migrate) makes the sequence past every number the naming series gave, so the
two never meet; the sequence is `nocache`, as frappe's own, so a backup dumps its true value."""

import frappe
from frappe.query_builder import Table
from frappe.query_builder.functions import Max
from frappe.utils import cint, getdate

PREFIX = "ASR"
# frappe names the sequence after this: assistance_request_number_id_seq
SEQUENCE = "Assistance Request Number"
SEQUENCE_TABLE = "assistance_request_number_id_seq"


def next_name() -> str:
	return f"{PREFIX}-{getdate().year}-{frappe.db.get_next_sequence_val(SEQUENCE):05d}"


def ensure_sequence() -> None:
	"""Make the sequence if it is missing, and move it past every number already given (by frappe's
	naming series on a site made before it). MariaDB's SETVAL never moves a sequence back.

	Creating it is DDL, which commits the transaction: only when it is missing (a new site, an
	upgrade), so a migrate run inside a test's transaction commits nothing."""
	if not sequence_exists():
		frappe.db.create_sequence(SEQUENCE, check_not_exists=True)
	if used := highest_series_number():
		frappe.db.set_next_sequence_val(SEQUENCE, used, is_val_used=True)


def sequence_exists() -> bool:
	return bool(
		frappe.db.sql(
			"select 1 from information_schema.tables where table_schema = database() and table_name = %s",
			SEQUENCE_TABLE,
		)
	)


def highest_series_number() -> int:
	"""The highest number frappe's naming series gave a request, in any year."""
	series = Table("tabSeries")
	return cint(
		frappe.qb.from_(series).select(Max(series.current)).where(series.name.like(f"{PREFIX}-%")).run()[0][0]
	)


def drop_sequence() -> None:
	frappe.db.sql_ddl("drop sequence if exists `assistance_request_number_id_seq`")  # SEQUENCE_TABLE

"""One season, one basket under concurrency (R6.2, R4.3): programme submits and run batches take turns.

A programme's submit checks that no other programme of the season lists its households, and a run's
batch that no other programme has paid them. Each check alone cannot see a competitor that has not
committed yet: two programmes submitted at the same instant both passed and kept the same household,
and two runs on two workers both paid it. So every submit and every batch takes this lock before its
check and keeps it to its commit (or rollback), and the checks read with locking reads
(eligibility.listed_elsewhere): a snapshot taken earlier in the transaction (the document loaded,
the previous batch's notices) would not show what the other committed while this one waited.

One lock for the whole site, not one per service or household: the checks' locking reads lock the
index ranges of the households they read, whatever the service, and two checks under different
locks could wait for each other. The window is short (a submit's own checks, or one batch). The lock
is taken before any programme's row or lines are locked (AidProgramme.submit takes it before frappe's
check_if_latest, run_batch before lock_programme), so a holder never waits for a row that a waiter
holds. The lock itself: utils/named_locks.py.
"""

import frappe
from frappe import _

from charity_beneficiary.utils import named_locks

# Seconds a submit waits for the submit or batch in progress (a batch may post a Journal Entry of
# 500 households); a run's batch, in a background job, may wait longer.
SUBMIT_WAIT = 30
RUN_WAIT = 300


class SeasonBusyError(frappe.ValidationError):
	pass


def hold_lock(timeout: int = SUBMIT_WAIT) -> None:
	if not named_locks.hold_until_commit("aid-programme-season", timeout):
		frappe.throw(
			_("Another Aid Programme is being submitted or paid at this moment; please try again"),
			exc=SeasonBusyError,
			title=_("Please Try Again"),
		)

"""Answer-date arithmetic of the committee's service level (R3.2, R3.4), framework-free."""

from datetime import date, timedelta

# Buckets of the ageing report, in the order a manager reads them.
OVERDUE_MORE_THAN_WEEK = "Overdue more than 7 days"
OVERDUE = "Overdue 1-7 days"
DUE_SOON = "Due within 2 days"
ON_TRACK = "On track"
BUCKETS = (OVERDUE_MORE_THAN_WEEK, OVERDUE, DUE_SOON, ON_TRACK)

# The manager is warned this many days before the answer date.
ESCALATE_DAYS_BEFORE = 2
# The policy's period (R3.2), and the longest a service may set: a year. A longer one had no answer
# date the calendar could give (3,000,000 days) or the Hijri calendar could show.
POLICY_DECISION_DAYS = 14
MAX_DECISION_DAYS = 365


def expected_decision_date(received_on: date, decision_days: int) -> date:
	"""The date by which the committee answers: the policy counts calendar days from receipt."""
	if not 1 <= decision_days <= MAX_DECISION_DAYS:
		raise ValueError(f"decision_days must be from 1 to {MAX_DECISION_DAYS}")
	return received_on + timedelta(days=decision_days)


def decision_days_or_policy(decision_days: int | None) -> int:
	"""A service's period, or the policy's two weeks where it sets none that fits (one saved before
	periods out of range were refused)."""
	return (
		decision_days if decision_days and 1 <= decision_days <= MAX_DECISION_DAYS else POLICY_DECISION_DAYS
	)


def days_overdue(expected: date, today: date) -> int:
	"""Positive when past the answer date, 0 on it, negative while still ahead."""
	return (today - expected).days


def ageing_bucket(expected: date, today: date) -> str:
	late = days_overdue(expected, today)
	if late > 7:
		return OVERDUE_MORE_THAN_WEEK
	if late > 0:
		return OVERDUE
	if late >= -ESCALATE_DAYS_BEFORE:
		return DUE_SOON
	return ON_TRACK


def needs_escalation(expected: date, today: date) -> bool:
	"""Escalate exactly 2 days before the answer date and every day once it has passed."""
	late = days_overdue(expected, today)
	return late == -ESCALATE_DAYS_BEFORE or late > 0


# --- the same rules as date ranges, for queries that select by answer date ------------------------
def bucket_dates(bucket: str, today: date) -> tuple[date | None, date | None]:
	"""The answer dates (first, last; None: unbounded) whose `ageing_bucket` on `today` is `bucket`."""
	ranges = {
		OVERDUE_MORE_THAN_WEEK: (None, today - timedelta(days=8)),
		OVERDUE: (today - timedelta(days=7), today - timedelta(days=1)),
		DUE_SOON: (today, today + timedelta(days=ESCALATE_DAYS_BEFORE)),
		ON_TRACK: (today + timedelta(days=ESCALATE_DAYS_BEFORE + 1), None),
	}
	if bucket not in ranges:
		raise ValueError(f"unknown ageing bucket: {bucket}")
	return ranges[bucket]


def escalation_dates(today: date) -> tuple[date, date]:
	"""(the answer date warned ahead, the last overdue answer date): `needs_escalation` is true for
	exactly the answer date equal to the first or on or before the second."""
	return today + timedelta(days=ESCALATE_DAYS_BEFORE), today - timedelta(days=1)

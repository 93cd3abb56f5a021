"""R3.2 / R3.4: the answer date and the ageing of pending requests."""

from datetime import date, timedelta

import pytest
from charity_beneficiary.assistance import sla


def test_answer_date_is_two_weeks_by_default_policy():
	assert sla.expected_decision_date(date(2026, 11, 23), 14) == date(2026, 12, 7)


def test_answer_date_crosses_the_year():
	assert sla.expected_decision_date(date(2026, 12, 25), 14) == date(2027, 1, 8)


def test_answer_date_needs_a_positive_period():
	with pytest.raises(ValueError):
		sla.expected_decision_date(date(2026, 1, 1), 0)


def test_a_period_is_at_most_a_year():
	assert sla.expected_decision_date(date(2026, 1, 1), sla.MAX_DECISION_DAYS) == date(2027, 1, 1)
	with pytest.raises(ValueError):
		sla.expected_decision_date(date(2026, 1, 1), 3_000_000)


@pytest.mark.parametrize(
	("days", "used"), [(10, 10), (365, 365), (0, 14), (-3, 14), (None, 14), (3_000_000, 14)]
)
def test_a_period_out_of_range_falls_back_to_the_policy(days, used):
	assert sla.decision_days_or_policy(days) == used


@pytest.mark.parametrize(
	("today", "bucket"),
	[
		(date(2026, 12, 1), sla.ON_TRACK),
		(date(2026, 12, 5), sla.DUE_SOON),
		(date(2026, 12, 7), sla.DUE_SOON),
		(date(2026, 12, 8), sla.OVERDUE),
		(date(2026, 12, 14), sla.OVERDUE),
		(date(2026, 12, 15), sla.OVERDUE_MORE_THAN_WEEK),
	],
)
def test_ageing_buckets(today, bucket):
	assert sla.ageing_bucket(date(2026, 12, 7), today) == bucket


@pytest.mark.parametrize(
	("today", "escalate"),
	[
		(date(2026, 12, 4), False),
		(date(2026, 12, 5), True),
		(date(2026, 12, 6), False),
		(date(2026, 12, 7), False),
		(date(2026, 12, 8), True),
		(date(2026, 12, 20), True),
	],
)
def test_escalation_two_days_before_and_when_overdue(today, escalate):
	assert sla.needs_escalation(date(2026, 12, 7), today) is escalate


@pytest.mark.parametrize("bucket", sla.BUCKETS)
def test_bucket_dates_hold_exactly_the_bucket(bucket):
	today = date(2026, 3, 1)
	first, last = sla.bucket_dates(bucket, today)
	for offset in range(-30, 31):
		expected = today + timedelta(days=offset)
		inside = (first is None or expected >= first) and (last is None or expected <= last)
		assert inside == (sla.ageing_bucket(expected, today) == bucket), expected


def test_bucket_dates_refuse_an_unknown_bucket():
	with pytest.raises(ValueError):
		sla.bucket_dates("Late", date(2026, 3, 1))


def test_escalation_dates_match_needs_escalation():
	today = date(2026, 12, 30)
	ahead, last_overdue = sla.escalation_dates(today)
	for offset in range(-30, 31):
		expected = today + timedelta(days=offset)
		selected = expected == ahead or expected <= last_overdue
		assert selected == sla.needs_escalation(expected, today), expected

"""R3.2 / R3.4: the answer date and the ageing of pending requests."""

from datetime import date

import pytest

from charity_beneficiary.assistance import sla


def test_answer_date_is_two_weeks_by_default_policy():
	assert sla.expected_decision_date(date(2026, 11, 23), 14) == date(2026, 12, 7)


def test_answer_date_crosses_the_year():
	assert sla.expected_decision_date(date(2026, 12, 25), 14) == date(2027, 1, 8)


def test_answer_date_needs_a_positive_period():
	with pytest.raises(ValueError):
		sla.expected_decision_date(date(2026, 1, 1), 0)


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

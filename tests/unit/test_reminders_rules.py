"""R6.2: the dates of expiry reminders and periodic re-assessment."""

from datetime import date

from charity_beneficiary.beneficiaries import reminders_rules as rules


def test_the_window_runs_from_today_to_n_days_ahead():
	assert rules.reminder_window(date(2026, 12, 1), 30) == (date(2026, 12, 1), date(2026, 12, 31))


def test_no_window_when_reminders_are_off():
	assert rules.reminder_window(date(2026, 12, 1), 0) is None
	assert rules.reminder_window(date(2026, 12, 1), None) is None
	assert rules.reminder_window(date(2026, 12, 1), -5) is None


def test_the_window_is_capped_at_a_year():
	assert rules.reminder_window(date(2026, 1, 1), 10_000)[1] == date(2027, 1, 1)


def test_the_shortest_category_interval_applies():
	assert rules.review_interval([12, 6, None, 0], 24) == 6


def test_the_default_interval_applies_without_category_intervals():
	assert rules.review_interval([None, 0], 12) == 12
	assert rules.review_interval([], 12) == 12


def test_no_interval_anywhere_means_no_review():
	assert rules.review_interval([], 0) == 0
	assert rules.review_interval([], None) == 0
	assert rules.next_review_date(date(2026, 12, 1), 0) is None


def test_months_are_added_by_the_calendar():
	assert rules.add_months(date(2026, 12, 1), 6) == date(2027, 6, 1)
	assert rules.add_months(date(2026, 11, 15), 14) == date(2028, 1, 15)


def test_the_end_of_a_short_month_is_kept_inside_it():
	assert rules.add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
	assert rules.add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)


def test_next_review_date_after_an_assessment():
	assert rules.next_review_date(date(2026, 12, 1), 12) == date(2027, 12, 1)


def test_a_review_is_due_from_its_date_on():
	today = date(2026, 12, 1)
	assert rules.review_is_due(date(2026, 12, 1), today)
	assert rules.review_is_due(date(2026, 11, 1), today)
	assert not rules.review_is_due(date(2026, 12, 2), today)
	assert not rules.review_is_due(None, today)

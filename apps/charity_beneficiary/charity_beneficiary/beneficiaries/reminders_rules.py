"""The date arithmetic of expiry reminders and periodic re-assessment (R6.2), without Frappe.

The daily jobs (reminders.py) turn these rules into query conditions: which expiry dates fall in the
reminder window today, which review dates have come, and the next review date once a research report
has re-assessed a beneficiary. Keeping them here lets plain unit tests pin the edge cases (the last
day of the window, the end of a short month) without a site.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta

# The reminder window is capped: a year of notice is already more than any office asks for.
MAX_REMINDER_DAYS = 365


def reminder_window(today: date, days: int) -> tuple[date, date] | None:
	"""The expiry dates told about on `today`: from today to `days` ahead, both included.

	None when reminders are switched off (0 days). A document is still valid on its expiry date
	(verification.is_expired), so the window starts today and the expired ones are flagged instead."""
	days = min(max(int(days or 0), 0), MAX_REMINDER_DAYS)
	if not days:
		return None
	return today, today + timedelta(days=days)


def review_interval(category_months: Iterable[int | None], default_months: int | None) -> int:
	"""Months between two assessments: the shortest interval among the beneficiary's categories
	(the most vulnerable category sets the pace), else the settings' default; 0 means no review."""
	intervals = [int(months) for months in category_months if months and int(months) > 0]
	if intervals:
		return min(intervals)
	return max(int(default_months or 0), 0)


def add_months(start: date, months: int) -> date:
	"""`start` plus whole months, the day kept or moved back to the last day of a shorter month
	(31 January + 1 month = 28 or 29 February)."""
	index = start.month - 1 + months
	year, month = start.year + index // 12, index % 12 + 1
	return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def next_review_date(assessed_on: date, interval_months: int) -> date | None:
	"""The date of the next review after an assessment on `assessed_on`; None without an interval."""
	if not interval_months or interval_months <= 0:
		return None
	return add_months(assessed_on, interval_months)


def review_is_due(next_review: date | None, today: date) -> bool:
	"""The review is due from its date on (and stays due until a research report is submitted)."""
	return next_review is not None and next_review <= today

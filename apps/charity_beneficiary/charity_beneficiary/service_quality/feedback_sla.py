"""Due dates of complaints and suggestions (R6.3), framework-free."""

from datetime import date, datetime, timedelta

OPEN_STATUSES = ("Open", "In Progress")
DONE_STATUSES = ("Resolved", "Closed")


def due_date(received_on: date, due_days: int) -> date:
	"""The date by which the association answers: calendar days from receipt."""
	if due_days < 1:
		raise ValueError("due_days must be at least 1")
	return received_on + timedelta(days=due_days)


def is_overdue(due: date | None, today: date, status: str) -> bool:
	"""Still open (Open / In Progress) and past its due date."""
	return bool(due) and status in OPEN_STATUSES and today > due


def resolution_days(received: datetime, resolved: datetime | None) -> float | None:
	"""Days (with fractions) from receipt to the response; None while unanswered."""
	if resolved is None:
		return None
	return round((resolved - received).total_seconds() / 86400, 2)


def valid_resolution_rating(value: int | None) -> bool:
	return value is None or (isinstance(value, int) and 1 <= value <= 5)

"""Service Quality Settings with their defaults (a Single never saved reads as zeros)."""

import frappe
from frappe.utils import cint

SETTINGS = "Service Quality Settings"
DEFAULT_FEEDBACK_DUE_DAYS = 5
DEFAULT_SURVEY_LINK_VALID_DAYS = 14
DEFAULT_MIN_GROUP_SIZE = 3


def _value(fieldname: str):
	return frappe.db.get_single_value(SETTINGS, fieldname)


def feedback_due_days() -> int:
	return cint(_value("feedback_due_days")) or DEFAULT_FEEDBACK_DUE_DAYS


def survey_link_valid_days() -> int:
	return cint(_value("survey_link_valid_days")) or DEFAULT_SURVEY_LINK_VALID_DAYS


def min_group_size() -> int:
	return cint(_value("min_group_size")) or DEFAULT_MIN_GROUP_SIZE


def default_survey_template() -> str | None:
	return _value("default_survey_template") or None


def feedback_assignee() -> str | None:
	return _value("feedback_assignee") or None

"""Who a programme reaches (R6.2): the eligible households, found with one query over the register.

Always applied, whatever the criteria: the beneficiary is Active; he is not the newer record of an
open or confirmed duplicate review (beneficiaries/duplicates.py sends fuzzy matches there, and the
review's `beneficiary` is the record that may be the copy); and no other submitted programme of the
same aid service whose period overlaps this one lists him (excluded rows aside) — one season, one
basket. Then the programme's own criteria: categories, branches, need-score floor, household size.

The query returns the candidates in priority order (the neediest first, then the larger household);
the budget is fitted afterwards, in plain Python (rules.fit_budget).
"""

import frappe
from frappe.query_builder import DocType
from frappe.query_builder.functions import Coalesce, GroupConcat
from frappe.query_builder.terms import ValueWrapper
from pypika import CustomFunction

ACTIVE = "Active"
DUPLICATE_STATES = ("Open", "Confirmed Duplicate")
Greatest = CustomFunction("GREATEST", ["a", "b"])


def eligible_households(programme, only: list[str] | None = None) -> list[frappe._dict]:
	"""Beneficiaries who qualify for `programme`: name, beneficiary_name, branch, household_size,
	need_score. `only` restricts the answer to those names (to re-check a saved list)."""
	ben = DocType("Beneficiary")
	size = Greatest(Coalesce(ben.household_size, 0), ValueWrapper(1))
	query = (
		frappe.qb.from_(ben)
		.select(
			ben.name,
			ben.beneficiary_name,
			ben.branch,
			size.as_("household_size"),
			Coalesce(ben.need_score, 0).as_("need_score"),
		)
		.where(ben.status == ACTIVE)
		.where(ben.name.notin(duplicate_records()))
		.where(ben.name.notin(served_this_season(programme)))
		.orderby(ben.need_score, order=frappe.qb.desc)
		.orderby(size, order=frappe.qb.desc)
		.orderby(ben.name)
	)
	if only is not None:
		if not only:
			return []
		query = query.where(ben.name.isin(only))
	categories = [row.category for row in programme.categories if row.category]
	if categories:
		query = query.where(ben.name.isin(in_categories(categories)))
	branches = [row.branch for row in programme.branches if row.branch]
	if branches:
		query = query.where(ben.branch.isin(branches))
	if programme.min_need_score:
		query = query.where(Coalesce(ben.need_score, 0) >= programme.min_need_score)
	if programme.min_household_size:
		query = query.where(size >= programme.min_household_size)
	if programme.max_household_size:
		query = query.where(size <= programme.max_household_size)
	return query.run(as_dict=True)


def in_categories(categories: list[str]):
	row = DocType("Beneficiary Category Row")
	return (
		frappe.qb.from_(row)
		.select(row.parent)
		.where(row.parenttype == "Beneficiary")
		.where(row.category.isin(categories))
	)


def duplicate_records():
	review = DocType("Beneficiary Duplicate Review")
	return (
		frappe.qb.from_(review)
		.select(review.beneficiary)
		.where(review.status.isin(DUPLICATE_STATES))
		.where(review.beneficiary.isnotnull())
	)


def served_this_season(programme):
	"""Beneficiaries on another submitted programme of the same service whose period overlaps."""
	line, other = DocType("Aid Programme Line"), DocType("Aid Programme")
	return (
		frappe.qb.from_(line)
		.join(other)
		.on(other.name == line.parent)
		.select(line.beneficiary)
		.where(line.parenttype == "Aid Programme")
		.where(other.docstatus == 1)
		.where(other.name != (programme.name or ""))
		.where(other.aid_service == programme.aid_service)
		.where(other.from_date <= programme.to_date)
		.where(other.to_date >= programme.from_date)
		.where(Coalesce(other.approval_status, "") != "Rejected")
		.where(line.excluded == 0)
		.where(line.beyond_budget == 0)
	)


def categories_of(beneficiaries: list[str]) -> dict[str, str]:
	"""beneficiary -> its categories, comma separated (one query for all)."""
	if not beneficiaries:
		return {}
	row = DocType("Beneficiary Category Row")
	rows = (
		frappe.qb.from_(row)
		.select(row.parent, GroupConcat(row.category).as_("categories"))
		.where(row.parenttype == "Beneficiary")
		.where(row.parent.isin(beneficiaries))
		.groupby(row.parent)
		.run()
	)
	return dict(rows)

"""R6.2: the arithmetic of a seasonal programme — entitlement, budget fitting, batching."""

from datetime import date

import pytest
from charity_beneficiary.programmes import rules
from charity_beneficiary.programmes.rules import (
	Candidate,
	Entitlement,
	ProgrammeRuleError,
)


def cash(beneficiary, amount, need=0.0, size=1):
	return Candidate(beneficiary, size, need, Entitlement(amount=amount))


def test_fixed_amount_is_the_same_for_every_household():
	assert rules.entitlement(rules.FIXED, 7, amount=500).amount == 500


def test_amount_per_member_multiplies_by_the_household():
	assert rules.entitlement(rules.PER_MEMBER, 4, amount=150).amount == 600


def test_a_household_of_unknown_size_counts_as_one():
	assert rules.entitlement(rules.PER_MEMBER, 0, amount=150).amount == 150


def test_items_per_household_drop_empty_rows():
	got = rules.entitlement(rules.ITEMS, 5, items={"RICE": 2, "OIL": 0})
	assert got.items == {"RICE": 2.0} and got.amount == 0


@pytest.mark.parametrize(
	("basis", "kwargs"),
	[
		(rules.FIXED, {"amount": 0}),
		(rules.ITEMS, {"items": {}}),
		("Gold", {"amount": 1}),
	],
)
def test_incomplete_entitlement_is_refused(basis, kwargs):
	with pytest.raises(ProgrammeRuleError):
		rules.entitlement(basis, 3, **kwargs)


def test_budget_is_never_exceeded_and_smaller_households_fill_the_rest():
	got = rules.fit_budget([cash("a", 600), cash("b", 600), cash("c", 300)], budget_amount=1000)
	assert [c.excluded_reason for c in got] == [None, rules.BEYOND_BUDGET, None]
	served = rules.totals(c.entitlement for c in got if not c.excluded_reason)
	assert served.amount == 900 and not rules.over_budget(served, 1000)


def test_no_budget_means_no_limit():
	got = rules.fit_budget([cash("a", 10_000), cash("b", 10_000)])
	assert not any(c.excluded_reason for c in got)


def test_rows_excluded_by_staff_take_nothing_from_the_budget():
	first = cash("a", 800)
	first.excluded_reason = "moved away"
	got = rules.fit_budget([first, cash("b", 800)], budget_amount=1000)
	assert [c.excluded_reason for c in got] == ["moved away", None]


def test_item_budget_per_item():
	basket = Entitlement(items={"RICE": 2, "OIL": 1})
	rows = [Candidate(name, 4, 0, basket) for name in "abc"]
	got = rules.fit_budget(rows, budget_qty={"RICE": 5})
	assert [c.excluded_reason for c in got] == [None, None, rules.BEYOND_BUDGET]


def test_over_budget_names_what_is_exceeded():
	total = Entitlement(amount=1200, items={"RICE": 7})
	assert rules.over_budget(total, 1000, {"RICE": 5}) == [
		("amount", 1200, 1000.0),
		("RICE", 7, 5.0),
	]


@pytest.mark.parametrize("size", [-1, rules.MAX_BATCH_SIZE + 1])
def test_batch_size_is_bounded(size):
	with pytest.raises(ProgrammeRuleError):
		rules.batch_size(size)


def test_progress():
	assert (rules.progress(0, 0), rules.progress(1, 3), rules.progress(5, 4)) == (
		100,
		33,
		100,
	)

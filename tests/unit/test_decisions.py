"""R3.3: what the committee may approve of a request, the rule both the meeting and the request apply."""

from types import SimpleNamespace

import pytest
from charity_beneficiary.assistance import decisions as d
from charity_beneficiary.assistance import states


def row(item_code, qty, idx=None):
	return SimpleNamespace(item_code=item_code, qty=qty, idx=idx)


REQUESTED = [row("RICE", 4), row("OIL", 2), row("RICE", 1)]  # 5 of rice in two rows


def partial(amount=0, requested_amount=5000, limit=3000, approved=(), requested=REQUESTED):
	return d.partial_approval_breach(amount, requested_amount, limit, approved, requested)


@pytest.mark.parametrize(
	("kwargs", "rule", "value", "bound"),
	[
		({"amount": -100}, d.NEGATIVE_AMOUNT, -100, 0),
		({"amount": -100, "approved": [row("RICE", 1, 1)]}, d.NEGATIVE_AMOUNT, -100, 0),
		({}, d.NOTHING_APPROVED, 0, 0),
		({"amount": 6000}, d.AMOUNT_ABOVE_REQUESTED, 6000, 5000),
		({"amount": 4000}, d.AMOUNT_ABOVE_LIMIT, 4000, 3000),
		({"amount": 4000, "limit": 0}, None, 0, 0),  # no limit set
		({"amount": 3000}, None, 0, 0),
	],
)
def test_partial_approval_amount(kwargs, rule, value, bound):
	breach = partial(**kwargs)
	assert (breach and breach.rule) == rule
	if rule:
		assert (breach.value, breach.bound) == (value, bound)


def test_partial_approval_items_are_requested_ones_within_their_total():
	assert partial(approved=[row("RICE", 3, 1), row("RICE", 2, 2)]) is None  # 5 of the two rows
	assert partial(approved=[row("RICE", 3, 1), row("OIL", 2, 2)]) is None

	breach = partial(approved=[row("RICE", 3, 1), row("RICE", 3, 2)])  # 6 > 5, on the second row
	assert (breach.rule, breach.row, breach.item_code) == (d.QTY_ABOVE_REQUESTED, 2, "RICE")
	assert (breach.value, breach.bound) == (6, 5)

	breach = partial(approved=[row("OIL", 1, 1), row("SUGAR", 1, 2)])
	assert (breach.rule, breach.row, breach.item_code) == (d.ITEM_NOT_REQUESTED, 2, "SUGAR")


def test_partial_approval_amount_is_checked_before_items():
	breach = partial(amount=6000, approved=[row("SUGAR", 1, 1)])
	assert breach.rule == d.AMOUNT_ABOVE_REQUESTED


def test_full_approval_within_the_limit_and_without_items_of_its_own():
	assert d.full_approval_breach(3000, 3000, []) is None
	assert d.full_approval_breach(5000, 0, []) is None
	breach = d.full_approval_breach(5000, 3000, [])
	assert (breach.rule, breach.value, breach.bound) == (d.REQUEST_ABOVE_LIMIT, 5000, 3000)
	breach = d.full_approval_breach(3000, 3000, [row("RICE", 1, 1)])
	assert breach.rule == d.ITEMS_WITHOUT_PARTIAL_APPROVAL


def test_refusal_carries_no_items():
	assert d.refusal_breach([]) is None
	assert d.refusal_breach(iter([row("RICE", 1, 1)])).rule == d.ITEMS_WITHOUT_PARTIAL_APPROVAL


def test_state_groups_agree():
	assert states.DISBURSABLE_STATES == states.APPROVAL_STATES == ("Approved", "Partly Approved")
	assert set(states.DECISION_STATES) == {"Approved", "Partly Approved", "Rejected"}
	assert not set(states.PENDING_STATES) & set(states.DECIDED_STATES)
	assert set(states.COUNTED_STATES) == {*states.PENDING_STATES, *states.APPROVAL_STATES, "Disbursed"}

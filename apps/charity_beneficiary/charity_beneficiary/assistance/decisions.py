"""What the committee may approve of a request (R3.3), written once.

The Research Committee Meeting checks a decision when the committee records it, and the Assistance
Request checks it again when the decision reaches it (a seasonal programme's requests too). Both ask
these functions. They know nothing of frappe (plain unit tests in tests/unit): each returns the first
rule a decision breaks as a `Breach` — which rule, and the values its message needs — or None; the
caller words it for its own form (the meeting names the request and its own rows) and raises its
own error class.

Item rows are anything with `item_code` and `qty` (and `idx` for the approved ones): frappe's child
rows, or the meeting's rows of one request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# the rules
NEGATIVE_AMOUNT = "negative amount"
NOTHING_APPROVED = "nothing approved"
AMOUNT_ABOVE_REQUESTED = "amount above the requested amount"
AMOUNT_ABOVE_LIMIT = "amount above the service's limit"
ITEM_NOT_REQUESTED = "item not requested"
QTY_ABOVE_REQUESTED = "quantity above the requested quantity"
REQUEST_ABOVE_LIMIT = "request above the service's limit"
ITEMS_WITHOUT_PARTIAL_APPROVAL = "approved items without a partial approval"


@dataclass(frozen=True)
class Breach:
	rule: str
	value: float = 0.0  # the approved (or, for REQUEST_ABOVE_LIMIT, requested) amount or quantity
	bound: float = 0.0  # what it may not exceed: the requested amount or quantity, or the limit
	row: int | None = None  # the approved item row (its idx)
	item_code: str | None = None


def partial_approval_breach(
	amount: float,
	requested_amount: float,
	limit: float,
	approved_items: Iterable[Any],
	requested_items: Iterable[Any],
) -> Breach | None:
	"""A partial approval grants an amount or items, or both: the amount at most the requested
	amount and the service's limit (`limit`, 0 for none), each item one of the requested items, its
	approved rows together at most its requested quantity."""
	approved_items = list(approved_items)
	if amount < 0:
		return Breach(NEGATIVE_AMOUNT, value=amount)
	if not amount and not approved_items:
		return Breach(NOTHING_APPROVED)
	if amount > requested_amount:
		return Breach(AMOUNT_ABOVE_REQUESTED, value=amount, bound=requested_amount)
	if limit and amount > limit:
		return Breach(AMOUNT_ABOVE_LIMIT, value=amount, bound=limit)
	return items_breach(approved_items, requested_items)


def items_breach(approved_items: Iterable[Any], requested_items: Iterable[Any]) -> Breach | None:
	requested = quantities(requested_items)
	approved: dict[str, float] = {}
	for row in approved_items:
		if row.item_code not in requested:
			return Breach(ITEM_NOT_REQUESTED, value=float(row.qty or 0), row=row.idx, item_code=row.item_code)
		approved[row.item_code] = approved.get(row.item_code, 0) + float(row.qty or 0)
		if approved[row.item_code] > requested[row.item_code]:
			return Breach(
				QTY_ABOVE_REQUESTED,
				value=approved[row.item_code],
				bound=requested[row.item_code],
				row=row.idx,
				item_code=row.item_code,
			)
	return None


def full_approval_breach(
	requested_amount: float, limit: float, approved_items: Iterable[Any]
) -> Breach | None:
	"""A full approval grants what was requested, within the service's limit; approved items are
	entered only for a partial approval (in full, they are the requested items)."""
	if limit and requested_amount > limit:
		return Breach(REQUEST_ABOVE_LIMIT, value=requested_amount, bound=limit)
	return refusal_breach(approved_items)


def refusal_breach(approved_items: Iterable[Any]) -> Breach | None:
	"""A request rejected or returned (and one approved in full) carries no approved items of its own."""
	if any(True for _row in approved_items):
		return Breach(ITEMS_WITHOUT_PARTIAL_APPROVAL)
	return None


def quantities(rows: Iterable[Any]) -> dict[str, float]:
	"""Item code -> the total quantity of its rows."""
	total: dict[str, float] = {}
	for row in rows:
		total[row.item_code] = total.get(row.item_code, 0) + float(row.qty or 0)
	return total

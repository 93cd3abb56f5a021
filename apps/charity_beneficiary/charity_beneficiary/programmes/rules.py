"""The arithmetic of a seasonal aid programme (R6.2), without Frappe: what a household gets, who fits
in the budget, and how the run is cut into batches.

Kept framework-free (like `verification/`) so the rules are tested in plain pytest and read in one
place: the DocType, the run and the benchmark import them rather than restating them.

Errors are raised as `ProgrammeRuleError` carrying a translatable template and its arguments; the
Frappe side translates and formats them at the edge.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

FIXED = "Fixed Amount"
PER_MEMBER = "Amount per Household Member"
ITEMS = "Items per Household"
BASES = (FIXED, PER_MEMBER, ITEMS)

# the exclusion reason written on a line that the budget could not cover (translated at the edge)
BEYOND_BUDGET = "Beyond the budget"
DEFAULT_BATCH_SIZE = 100
MAX_BATCH_SIZE = 500  # one Journal Entry of 2 × 500 rows stays well inside a request's time


class ProgrammeRuleError(ValueError):
	def __init__(self, template: str, *args):
		super().__init__(template.format(*args))
		self.template, self.args_ = template, args


@dataclass(frozen=True)
class Entitlement:
	"""What one household gets: an amount, and item quantities per item code."""

	amount: float = 0.0
	items: dict[str, float] = field(default_factory=dict)


@dataclass
class Candidate:
	"""An eligible household, in priority order (the neediest first)."""

	beneficiary: str
	household_size: int
	need_score: float = 0.0
	entitlement: Entitlement = field(default_factory=Entitlement)
	excluded_reason: str | None = None


def entitlement(basis: str, household_size: int, amount: float = 0, items: dict[str, float] | None = None):
	"""What a household of `household_size` gets under `basis`."""
	if basis not in BASES:
		raise ProgrammeRuleError("Unknown entitlement basis {0}", basis)
	size = max(int(household_size or 0), 1)  # a beneficiary is a household of at least himself
	if basis == ITEMS:
		items = {code: float(qty) for code, qty in (items or {}).items() if float(qty or 0) > 0}
		if not items:
			raise ProgrammeRuleError("Please list the items each household gets")
		return Entitlement(items=items)
	if float(amount or 0) <= 0:
		raise ProgrammeRuleError("Please enter the amount each household gets")
	per_household = float(amount) * (size if basis == PER_MEMBER else 1)
	return Entitlement(amount=round(per_household, 2))


def fit_budget(
	candidates: Sequence[Candidate],
	budget_amount: float = 0,
	budget_qty: dict[str, float] | None = None,
) -> list[Candidate]:
	"""Mark BEYOND_BUDGET the candidates the budget cannot cover, in the order given.

	A budget of 0 (amount) or a missing item (quantities) means no limit on it. A household that does
	not fit is skipped, and a later, smaller one may still fit: the budget is spent as fully as the
	order allows, and never exceeded. Rows already excluded (by staff) take nothing."""
	left_amount = float(budget_amount or 0)
	left_qty = {code: float(qty) for code, qty in (budget_qty or {}).items() if float(qty or 0) > 0}
	for candidate in candidates:
		if candidate.excluded_reason:
			continue
		wanted = candidate.entitlement
		fits_amount = not budget_amount or wanted.amount <= left_amount + 0.005
		fits_items = all(
			qty <= left_qty[code] + 1e-9 for code, qty in wanted.items.items() if code in left_qty
		)
		if not (fits_amount and fits_items):
			candidate.excluded_reason = BEYOND_BUDGET
			continue
		if budget_amount:
			left_amount -= wanted.amount
		for code, qty in wanted.items.items():
			if code in left_qty:
				left_qty[code] -= qty
	return list(candidates)


def totals(entitlements: Iterable[Entitlement]) -> Entitlement:
	amount, items = 0.0, {}
	for e in entitlements:
		amount += e.amount
		for code, qty in e.items.items():
			items[code] = items.get(code, 0.0) + qty
	return Entitlement(amount=round(amount, 2), items=items)


def over_budget(total: Entitlement, budget_amount: float = 0, budget_qty: dict[str, float] | None = None):
	"""What `total` exceeds: [(what, total, budget)], empty when within the budget."""
	over = []
	if budget_amount and total.amount > float(budget_amount) + 0.005:
		over.append(("amount", total.amount, float(budget_amount)))
	for code, qty in total.items.items():
		limit = float((budget_qty or {}).get(code) or 0)
		if limit and qty > limit + 1e-9:
			over.append((code, qty, limit))
	return over


def batch_size(size: int | None) -> int:
	size = int(size or 0) or DEFAULT_BATCH_SIZE
	if size < 1 or size > MAX_BATCH_SIZE:
		raise ProgrammeRuleError("The batch size must be between 1 and {0}", MAX_BATCH_SIZE)
	return size


def progress(done: int, total: int) -> int:
	"""Percent done, 100 when there is nothing to do."""
	return 100 if not total else min(100, int(done * 100 / total))

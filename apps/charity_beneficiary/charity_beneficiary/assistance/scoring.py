"""The need score of a social research report (R3.1), framework-free.

The researcher gives every criterion of the rubric (Need Criterion) a score from 0 to 10; the
manager sets each criterion's weight. The need score, from 0 to 100, is the weighted average:

	need_score = Σ(weight × score / 10) / Σ weight × 100

and every criterion's line says how it got there, e.g.
"Income per person: 8/10 × weight 3 = 24.0 of 30", so the committee can read the score.

Nothing here imports Frappe. Messages are English templates marked with ``_``; the Frappe layer
translates them with ``error.render(frappe._)`` and ``explanation_lines(result, frappe._)``.
"""

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from charity_beneficiary.verification.errors import VerificationError, _

MIN_SCORE = 0
MAX_SCORE = 10
SCALE = 100
PRECISION = 2

# Explanation templates (translated by the caller; see explanation_lines).
ROW_LINE = _("{0}: {1}/10 × weight {2} = {3} of {4}")
TOTAL_LINE = _("Need score: {0} of {1} weighted points = {2} of 100")


class ScoringError(VerificationError):
	"""The rubric cannot be scored: a score outside 0–10, a negative weight, or no weight at all."""


@dataclass(frozen=True)
class CriterionScore:
	criterion: str
	score: float
	weight: float
	points: float  # weight × score
	max_points: float  # weight × 10
	contribution: float  # this criterion's share of the 0–100 need score


@dataclass(frozen=True)
class NeedScore:
	score: float  # 0–100, rounded to PRECISION
	points: float  # Σ weight × score
	max_points: float  # Σ weight × 10
	rows: tuple[CriterionScore, ...]


def compute_need_score(rows: Iterable[Mapping]) -> tuple[float, list[str]]:
	"""Return the 0–100 need score of `rows` (each with criterion, score 0..10 and weight) and one
	English explanation line per criterion followed by the total line. Raises ScoringError."""
	result = score_rubric(rows)
	return result.score, explanation_lines(result)


def score_rubric(rows: Iterable[Mapping]) -> NeedScore:
	"""The need score with every criterion's points and contribution. Raises ScoringError."""
	rows = list(rows)
	if not rows:
		raise ScoringError(_("No need criterion is scored: score every criterion of the rubric"))

	checked: list[tuple[str, float, float]] = []
	seen: set[str] = set()
	for number, row in enumerate(rows, start=1):
		criterion = str(row.get("criterion") or "").strip()
		if not criterion:
			raise ScoringError(_("Row {0} of the scores has no criterion"), number)
		if criterion in seen:
			raise ScoringError(_("{0} is scored twice"), criterion)
		seen.add(criterion)
		checked.append(
			(criterion, _score(criterion, row.get("score")), _weight(criterion, row.get("weight")))
		)

	total_weight = sum(weight for _criterion, _score_, weight in checked)
	if total_weight <= 0:
		raise ScoringError(
			_("The need criteria have no weight: give at least one scored criterion a weight above zero")
		)

	scored = tuple(
		CriterionScore(
			criterion=criterion,
			score=score,
			weight=weight,
			points=round(weight * score, PRECISION),
			max_points=round(weight * MAX_SCORE, PRECISION),
			contribution=round(weight * score / MAX_SCORE / total_weight * SCALE, PRECISION),
		)
		for criterion, score, weight in checked
	)
	points = sum(weight * score for _criterion, score, weight in checked)
	return NeedScore(
		score=round(points / MAX_SCORE / total_weight * SCALE, PRECISION),
		points=round(points, PRECISION),
		max_points=round(total_weight * MAX_SCORE, PRECISION),
		rows=scored,
	)


def explanation_lines(
	result: NeedScore, translate: Callable[[str], str] = _, labels: Mapping[str, str] | None = None
) -> list[str]:
	"""One line per criterion and the total. Pass ``frappe._`` as `translate` for the user's language
	and `labels` to show a criterion by another name (e.g. its English name) than its key."""
	labels = labels or {}
	lines = [
		translate(ROW_LINE).format(
			labels.get(row.criterion) or row.criterion,
			_number(row.score),
			_number(row.weight),
			_decimal(row.points),
			_number(row.max_points),
		)
		for row in result.rows
	]
	lines.append(
		translate(TOTAL_LINE).format(
			_decimal(result.points), _number(result.max_points), _decimal(result.score)
		)
	)
	return lines


def _score(criterion: str, value: object) -> float:
	if value is None or value == "":
		raise ScoringError(_("{0} has no score: give it a score from 0 to 10"), criterion)
	number = _as_number(value)
	if number is None or not MIN_SCORE <= number <= MAX_SCORE:
		shown = value if number is None else _number(number)
		raise ScoringError(_("The score of {0} must be from 0 to 10, not {1}"), criterion, shown)
	return number


def _weight(criterion: str, value: object) -> float:
	if value is None or value == "":
		return 0.0
	number = _as_number(value)
	if number is None:
		raise ScoringError(_("The weight of {0} must be a number, not {1}"), criterion, value)
	if number < 0:
		raise ScoringError(_("The weight of {0} cannot be negative"), criterion)
	return number


def _as_number(value: object) -> float | None:
	"""The value as a finite float; None when it is not a number (booleans are not scores)."""
	if isinstance(value, bool):
		return None
	try:
		number = float(value)  # type: ignore[arg-type]
	except (TypeError, ValueError):
		return None
	return None if math.isnan(number) or math.isinf(number) else number


def _number(value: float) -> str:
	"""3.0 → "3", 1.5 → "1.5", 0.25 → "0.25"."""
	text = f"{round(value, PRECISION):.{PRECISION}f}".rstrip("0").rstrip(".")
	return "0" if text in ("", "-0") else text


def _decimal(value: float) -> str:
	"""Like _number but with at least one decimal: 24 → "24.0", 0.75 → "0.75"."""
	text = _number(value)
	return text if "." in text else f"{text}.0"

"""Scores of the satisfaction surveys (R5.2, R5.3), framework-free.

Question types: Rating (1-5), Yes-No, NPS (0-10, "how likely are you to recommend us") and Text.

CSAT is the "top-two-box" share of satisfied answers, not a scaled mean:
- a Rating answer scores 100 when it is 4 or 5 (satisfied) and 0 for 1-3;
- a Yes-No answer scores 100 for Yes and 0 for No;
- a response's satisfaction_score (0-100) is the mean of the scores of its Rating and Yes-No answers,
  so it is the percentage of its satisfied answers (None when it has none);
- the CSAT % of a group of responses is the mean of their satisfaction scores (each response weighs the
  same, however many questions it answered).
The mean rating (1-5) is kept beside it for information.

NPS: per response, the 0-10 answer of its (first) NPS question puts it in a category: promoter 9-10,
passive 7-8, detractor 0-6. The NPS of a group is %promoters - %detractors (-100 to 100).
Text answers are kept but never scored.

Messages are English templates marked with `_` for extraction; the Frappe layer translates them.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from charity_beneficiary.verification.errors import VerificationError, _

RATING = "Rating"
YES_NO = "Yes-No"
NPS = "NPS"
TEXT = "Text"
QUESTION_TYPES = (RATING, YES_NO, NPS, TEXT)

RATING_RANGE = (1, 5)
NPS_RANGE = (0, 10)
SATISFIED_RATING = 4

PROMOTER = "Promoter"
PASSIVE = "Passive"
DETRACTOR = "Detractor"

YES_VALUES = {"yes", "y", "true", "1", "نعم"}
NO_VALUES = {"no", "n", "false", "0", "لا"}
MAX_TEXT_LENGTH = 2000


class SurveyError(VerificationError):
	"""An answer or a survey is not acceptable (untranslated template + values, like VerificationError)."""


@dataclass
class Question:
	key: str
	label: str
	question_type: str
	is_required: bool = False


@dataclass
class ScoredAnswer:
	key: str
	label: str
	question_type: str
	answer: str
	value: int | None = None
	score: float | None = None


@dataclass
class ResponseScore:
	answers: list[ScoredAnswer] = field(default_factory=list)
	satisfaction_score: float | None = None
	average_rating: float | None = None
	nps_score: int | None = None
	nps_category: str | None = None


def _is_blank(raw: object) -> bool:
	return raw is None or (isinstance(raw, str) and not raw.strip())


def _as_int(raw: object, label: str, low: int, high: int) -> int:
	if isinstance(raw, bool):
		raise SurveyError(_("The answer to '{0}' must be a number from {1} to {2}"), label, low, high)
	try:
		number = float(str(raw).strip()) if not isinstance(raw, int | float) else float(raw)
	except (ValueError, OverflowError):  # OverflowError: an integer of hundreds of digits
		raise SurveyError(
			_("The answer to '{0}' must be a number from {1} to {2}"), label, low, high
		) from None
	if not number.is_integer() or not low <= number <= high:
		raise SurveyError(_("The answer to '{0}' must be a number from {1} to {2}"), label, low, high)
	return int(number)


def parse_answer(question_type: str, raw: object, label: str = "") -> tuple[str, int | None]:
	"""The stored text and the numeric value of one answer (value None for Text). Raises SurveyError."""
	if question_type == RATING:
		value = _as_int(raw, label, *RATING_RANGE)
		return str(value), value
	if question_type == NPS:
		value = _as_int(raw, label, *NPS_RANGE)
		return str(value), value
	if question_type == YES_NO:
		text = str(raw).strip().lower() if not isinstance(raw, bool) else ("yes" if raw else "no")
		if text in YES_VALUES:
			return "Yes", 1
		if text in NO_VALUES:
			return "No", 0
		raise SurveyError(_("The answer to '{0}' must be Yes or No"), label)
	if question_type == TEXT:
		if isinstance(raw, bool) or not isinstance(raw, str | int | float):
			# a list or an object would be stored as its Python spelling
			raise SurveyError(_("The answer to '{0}' must be text"), label)
		text = str(raw).strip()
		if len(text) > MAX_TEXT_LENGTH:
			raise SurveyError(
				_("The answer to '{0}' is too long (at most {1} characters)"), label, MAX_TEXT_LENGTH
			)
		return text, None
	raise SurveyError(_("Unknown question type {0}"), question_type)


def answer_score(question_type: str, value: int | None) -> float | None:
	"""100 for a satisfied answer, 0 for an unsatisfied one; None for NPS and Text (not part of CSAT)."""
	if value is None:
		return None
	if question_type == RATING:
		return 100.0 if value >= SATISFIED_RATING else 0.0
	if question_type == YES_NO:
		return 100.0 if value else 0.0
	return None


def nps_category(value: int | None) -> str | None:
	if value is None:
		return None
	if not NPS_RANGE[0] <= value <= NPS_RANGE[1]:
		raise ValueError("an NPS answer is from 0 to 10")
	if value >= 9:
		return PROMOTER
	if value >= 7:
		return PASSIVE
	return DETRACTOR


def _mean(values: list[float]) -> float | None:
	return round(sum(values) / len(values), 2) if values else None


def score_response(questions: Iterable[Question], answers: Mapping[str, object]) -> ResponseScore:
	"""Check every answer against its question (required ones answered, values in range) and score them.

	`answers` maps a question's key to the raw answer; answers to unknown keys are refused."""
	questions = list(questions)
	known = {q.key for q in questions}
	unknown = [key for key in answers if key not in known]
	if unknown:
		raise SurveyError(_("The survey has no question {0}"), unknown[0])

	result = ResponseScore()
	for question in questions:
		if question.question_type not in QUESTION_TYPES:
			raise SurveyError(_("Unknown question type {0}"), question.question_type)
		raw = answers.get(question.key)
		if _is_blank(raw):
			if question.is_required:
				raise SurveyError(_("Please answer the question '{0}'"), question.label)
			continue
		text, value = parse_answer(question.question_type, raw, question.label)
		result.answers.append(
			ScoredAnswer(
				key=question.key,
				label=question.label,
				question_type=question.question_type,
				answer=text,
				value=value,
				score=answer_score(question.question_type, value),
			)
		)

	if not result.answers:
		raise SurveyError(_("Please answer at least one question"))

	result.satisfaction_score = _mean([a.score for a in result.answers if a.score is not None])
	result.average_rating = _mean([float(a.value) for a in result.answers if a.question_type == RATING])
	nps_answers = [a.value for a in result.answers if a.question_type == NPS]
	if nps_answers:
		result.nps_score = nps_answers[0]
		result.nps_category = nps_category(nps_answers[0])
	return result


def aggregate_csat(satisfaction_scores: Iterable[float | None]) -> float | None:
	"""CSAT % of a group: the mean of its responses' satisfaction scores (responses without one skipped)."""
	return _mean([float(s) for s in satisfaction_scores if s is not None])


def aggregate_nps(nps_values: Iterable[int | None]) -> float | None:
	"""NPS of a group: % promoters - % detractors over the responses that answered the NPS question."""
	categories = [nps_category(v) for v in nps_values if v is not None]
	if not categories:
		return None
	promoters = categories.count(PROMOTER)
	detractors = categories.count(DETRACTOR)
	return round(100.0 * (promoters - detractors) / len(categories), 1)


def response_rate(answered: int, invited: int) -> float | None:
	if invited <= 0:
		return None
	return round(100.0 * answered / invited, 1)


def is_reportable(responses: int, min_group_size: int) -> bool:
	"""A group's individual-answer figures are shown only with at least `min_group_size` responses, so
	nobody can read one beneficiary's answer out of an aggregate."""
	return responses >= max(1, min_group_size)

"""R5.2 / R5.3 / R6.3: survey scores (CSAT, NPS) and the due dates of complaints."""

from datetime import date, datetime

import pytest
from charity_beneficiary.service_quality import feedback_sla, scoring
from charity_beneficiary.service_quality.default_survey import DEFAULT_SURVEY
from charity_beneficiary.service_quality.scoring import (
	NPS,
	RATING,
	TEXT,
	YES_NO,
	Question,
	SurveyError,
)

QUESTIONS = [
	Question("speed", "سرعة الإنجاز", RATING, True),
	Question("staff", "حسن التعامل", RATING, True),
	Question("respect", "الاحترام", YES_NO, True),
	Question("nps", "التوصية", NPS, True),
	Question("notes", "ملاحظات", TEXT, False),
]


@pytest.mark.parametrize(
	("question_type", "raw", "expected"),
	[
		(RATING, 5, ("5", 5)),
		(RATING, "1", ("1", 1)),
		(RATING, "4.0", ("4", 4)),
		(NPS, 0, ("0", 0)),
		(NPS, "10", ("10", 10)),
		(YES_NO, "Yes", ("Yes", 1)),
		(YES_NO, "نعم", ("Yes", 1)),
		(YES_NO, "لا", ("No", 0)),
		(YES_NO, False, ("No", 0)),
		(TEXT, "  شكرا  ", ("شكرا", None)),
	],
)
def test_answers_are_parsed(question_type, raw, expected):
	assert scoring.parse_answer(question_type, raw, "q") == expected


@pytest.mark.parametrize(
	("question_type", "raw"),
	[
		(RATING, 0),
		(RATING, 6),
		(RATING, 3.5),
		(RATING, "ممتاز"),
		(RATING, True),
		(RATING, int("9" * 400)),  # too large for a float: refused, not an OverflowError
		(RATING, "9" * 400),
		(RATING, float("nan")),
		(NPS, -1),
		(NPS, 11),
		(YES_NO, "ربما"),
		(TEXT, {"a": 1}),
		(TEXT, ["شكرا"]),
		(TEXT, True),
	],
)
def test_out_of_range_answers_are_refused(question_type, raw):
	with pytest.raises(SurveyError) as info:
		scoring.parse_answer(question_type, raw, "q")
	assert "'q'" in str(info.value)


def test_rating_scores_top_two_box():
	assert [scoring.answer_score(RATING, v) for v in (1, 2, 3, 4, 5)] == [
		0,
		0,
		0,
		100,
		100,
	]


def test_yes_no_scores_100_or_0_and_nps_text_are_not_csat():
	assert scoring.answer_score(YES_NO, 1) == 100
	assert scoring.answer_score(YES_NO, 0) == 0
	assert scoring.answer_score(NPS, 10) is None
	assert scoring.answer_score(TEXT, None) is None


@pytest.mark.parametrize(
	("value", "category"),
	[
		(0, "Detractor"),
		(6, "Detractor"),
		(7, "Passive"),
		(8, "Passive"),
		(9, "Promoter"),
		(10, "Promoter"),
	],
)
def test_nps_categories(value, category):
	assert scoring.nps_category(value) == category


def test_a_full_response_is_scored():
	result = scoring.score_response(
		QUESTIONS,
		{
			"speed": 5,
			"staff": 2,
			"respect": "Yes",
			"nps": 9,
			"notes": "جزاكم الله خيرا",
		},
	)
	# satisfied: speed (5), respect (Yes); not: staff (2) -> 2 of 3
	assert result.satisfaction_score == pytest.approx(66.67)
	assert result.average_rating == 3.5
	assert result.nps_score == 9
	assert result.nps_category == "Promoter"
	assert [a.key for a in result.answers] == [
		"speed",
		"staff",
		"respect",
		"nps",
		"notes",
	]
	assert result.answers[-1].score is None


def test_an_unhappy_response_scores_zero():
	result = scoring.score_response(QUESTIONS, {"speed": 1, "staff": 3, "respect": "No", "nps": 4})
	assert result.satisfaction_score == 0
	assert result.nps_category == "Detractor"
	assert len(result.answers) == 4  # the optional text left out


def test_a_required_question_must_be_answered():
	with pytest.raises(SurveyError) as info:
		scoring.score_response(QUESTIONS, {"speed": 5, "staff": 5, "respect": "Yes", "nps": " "})
	assert info.value.message == "Please answer the question '{0}'"
	assert info.value.args == ("التوصية",)


def test_unknown_questions_are_refused():
	with pytest.raises(SurveyError):
		scoring.score_response(QUESTIONS, {"speed": 5, "staff": 5, "respect": "Yes", "nps": 9, "x": 1})


def test_an_empty_response_is_refused():
	with pytest.raises(SurveyError):
		scoring.score_response([Question("notes", "ملاحظات", TEXT)], {})


def test_a_response_without_csat_questions_has_no_satisfaction_score():
	result = scoring.score_response([Question("nps", "n", NPS, True)], {"nps": 7})
	assert result.satisfaction_score is None
	assert result.nps_category == "Passive"


def test_group_figures():
	assert scoring.aggregate_csat([100, 50, None, 0]) == 50
	assert scoring.aggregate_csat([]) is None
	# 3 promoters, 1 passive, 2 detractors of 6 -> 50% - 33.3% = 16.7
	assert scoring.aggregate_nps([10, 9, 9, 8, 6, 0, None]) == 16.7
	assert scoring.aggregate_nps([10, 10]) == 100
	assert scoring.aggregate_nps([0, 3]) == -100
	assert scoring.aggregate_nps([]) is None
	assert scoring.response_rate(3, 4) == 75
	assert scoring.response_rate(0, 0) is None


def test_small_groups_are_not_reportable():
	assert not scoring.is_reportable(2, 3)
	assert scoring.is_reportable(3, 3)
	assert scoring.is_reportable(1, 0)
	assert not scoring.is_reportable(0, 0)


def test_error_renders_with_a_translator():
	err = SurveyError("Please answer the question '{0}'", "س")
	assert err.render(lambda m: "أجب عن السؤال '{0}'") == "أجب عن السؤال 'س'"


def test_feedback_due_date_and_overdue():
	due = feedback_sla.due_date(date(2026, 12, 29), 5)
	assert due == date(2027, 1, 3)
	assert not feedback_sla.is_overdue(due, date(2027, 1, 3), "Open")
	assert feedback_sla.is_overdue(due, date(2027, 1, 4), "In Progress")
	assert not feedback_sla.is_overdue(due, date(2027, 1, 9), "Resolved")
	with pytest.raises(ValueError):
		feedback_sla.due_date(date(2026, 1, 1), 0)


def test_resolution_days():
	received = datetime(2026, 12, 1, 8, 0)
	assert feedback_sla.resolution_days(received, datetime(2026, 12, 3, 20, 0)) == 2.5
	assert feedback_sla.resolution_days(received, None) is None
	assert feedback_sla.valid_resolution_rating(5)
	assert not feedback_sla.valid_resolution_rating(6)


def test_default_survey_is_arabic_and_covers_every_type():
	types = {q["question_type"] for q in DEFAULT_SURVEY["questions"]}
	assert types == set(scoring.QUESTION_TYPES)
	for question in DEFAULT_SURVEY["questions"]:
		assert any("\u0600" <= ch <= "\u06ff" for ch in question["question"])
		assert question["question_en"]

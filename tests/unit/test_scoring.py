"""R3.1: the need score of a research report, from a rubric with configurable weights, explained."""

import pickle

import pytest
from charity_beneficiary.assistance import scoring
from charity_beneficiary.assistance.default_criteria import NEED_CRITERIA
from charity_beneficiary.assistance.scoring import ScoringError, compute_need_score, score_rubric
from charity_beneficiary.verification import VerificationError


def rows(*triples):
	return [{"criterion": c, "score": s, "weight": w} for c, s, w in triples]


def test_weighted_average_on_a_0_to_100_scale():
	score, lines = compute_need_score(
		rows(("Income per person", 8, 3), ("Dependants", 5, 2), ("Housing", 10, 1))
	)
	# (3·8 + 2·5 + 1·10) / (10 · 6) · 100 = 44 / 60 · 100
	assert score == 73.33
	assert lines[0] == "Income per person: 8/10 × weight 3 = 24.0 of 30"
	assert lines[1] == "Dependants: 5/10 × weight 2 = 10.0 of 20"
	assert lines[2] == "Housing: 10/10 × weight 1 = 10.0 of 10"
	assert lines[-1] == "Need score: 44.0 of 60 weighted points = 73.33 of 100"
	assert len(lines) == 4


def test_extremes():
	assert compute_need_score(rows(("a", 0, 2), ("b", 0, 5)))[0] == 0
	assert compute_need_score(rows(("a", 10, 2), ("b", 10, 5)))[0] == 100


def test_equal_weights_are_a_plain_average():
	assert compute_need_score(rows(("a", 4, 1), ("b", 6, 1), ("c", 8, 1)))[0] == 60


def test_weights_change_the_score():
	light = compute_need_score(rows(("income", 10, 1), ("health", 0, 1)))[0]
	heavy = compute_need_score(rows(("income", 10, 4), ("health", 0, 1)))[0]
	assert (light, heavy) == (50, 80)


def test_fractional_weights_and_scores_as_text():
	score, lines = compute_need_score(rows(("a", "7", "1.5"), ("b", 3.0, 0.25)))
	# (1.5·7 + 0.25·3) / (10 · 1.75) · 100 = 11.25 / 17.5 · 100
	assert score == 64.29
	assert lines[0] == "a: 7/10 × weight 1.5 = 10.5 of 15"
	assert lines[1] == "b: 3/10 × weight 0.25 = 0.75 of 2.5"


def test_zero_weight_criterion_counts_for_nothing_but_is_explained():
	result = score_rubric(rows(("a", 9, 2), ("b", 1, 0)))
	assert result.score == 90
	assert [r.contribution for r in result.rows] == [90, 0]
	assert "b: 1/10 × weight 0 = 0.0 of 0" in scoring.explanation_lines(result)


def test_contributions_add_up_to_the_score():
	result = score_rubric(rows(("a", 8, 3), ("b", 5, 2), ("c", 10, 1)))
	assert [r.contribution for r in result.rows] == [40, 16.67, 16.67]
	assert [r.points for r in result.rows] == [24, 10, 10]
	assert [r.max_points for r in result.rows] == [30, 20, 10]
	assert sum(r.contribution for r in result.rows) == pytest.approx(result.score, abs=0.02)
	assert (result.points, result.max_points) == (44, 60)


def test_missing_weight_is_zero():
	assert (
		compute_need_score([{"criterion": "a", "score": 5, "weight": 1}, {"criterion": "b", "score": 9}])[0]
		== 50
	)


@pytest.mark.parametrize("bad", [-1, 11, 10.5, "x", True, float("nan")])
def test_score_outside_0_to_10_is_refused(bad):
	with pytest.raises(ScoringError) as error:
		compute_need_score(rows(("Housing", bad, 1)))
	assert error.value.message == "The score of {0} must be from 0 to 10, not {1}"
	assert error.value.args[0] == "Housing"
	assert "Housing" in str(error.value)


@pytest.mark.parametrize("missing", [None, ""])
def test_missing_score_is_refused(missing):
	with pytest.raises(ScoringError, match="Health has no score"):
		compute_need_score(rows(("Health", missing, 1)))


def test_no_weights_is_refused():
	with pytest.raises(ScoringError, match="no weight"):
		compute_need_score(rows(("a", 5, 0), ("b", 5, None)))


def test_negative_weight_is_refused():
	with pytest.raises(ScoringError, match="cannot be negative"):
		compute_need_score(rows(("a", 5, -1), ("b", 5, 3)))


def test_non_numeric_weight_is_refused():
	with pytest.raises(ScoringError, match="must be a number"):
		compute_need_score(rows(("a", 5, "heavy")))


def test_no_rows_is_refused():
	with pytest.raises(ScoringError, match="No need criterion is scored"):
		compute_need_score([])


def test_criterion_required_and_scored_once():
	with pytest.raises(ScoringError, match="Row 2 of the scores has no criterion"):
		compute_need_score(rows(("a", 5, 1), ("", 5, 1)))
	with pytest.raises(ScoringError, match="a is scored twice"):
		compute_need_score(rows(("a", 5, 1), ("a", 6, 1)))


def test_scoring_error_is_a_translatable_verification_error():
	with pytest.raises(ValueError) as error:
		compute_need_score(rows(("الدخل", 12, 1)))
	assert isinstance(error.value, VerificationError)
	translated = error.value.render(lambda template: template.replace("must be from", "MUST BE FROM"))
	assert translated == "The score of الدخل MUST BE FROM 0 to 10, not 12"
	copy = pickle.loads(pickle.dumps(error.value))
	assert (type(copy), copy.message, copy.args) == (ScoringError, error.value.message, error.value.args)


def test_explanation_is_translatable():
	result = score_rubric(rows(("الدخل", 8, 3)))
	arabic = {
		scoring.ROW_LINE: "{0}: {1}/10 × الوزن {2} = {3} من {4}",
		scoring.TOTAL_LINE: "درجة الاحتياج: {0} من {1} نقطة موزونة = {2} من 100",
	}
	assert scoring.explanation_lines(result, arabic.get) == [
		"الدخل: 8/10 × الوزن 3 = 24.0 من 30",
		"درجة الاحتياج: 24.0 من 30 نقطة موزونة = 80.0 من 100",
	]


def test_default_rubric_is_well_formed_and_scores():
	names = [c["criterion_name"] for c in NEED_CRITERIA]
	assert len(names) == len(set(names)) >= 6
	for criterion in NEED_CRITERIA:
		assert set(criterion) >= {"criterion_name", "criterion_name_en", "weight", "guidance"}
		assert any("\u0600" <= ch <= "\u06ff" for ch in criterion["criterion_name"])
		assert criterion["criterion_name_en"].isascii()
		assert criterion["weight"] > 0
		assert criterion["guidance"]
	score, lines = compute_need_score(
		[{"criterion": c["criterion_name"], "score": 10, "weight": c["weight"]} for c in NEED_CRITERIA]
	)
	assert score == 100
	assert len(lines) == len(NEED_CRITERIA) + 1


def test_explanation_can_name_criteria_otherwise():
	result = score_rubric(rows(("دخل الفرد الشهري", 8, 3), ("حالة السكن", 5, 1)))
	lines = scoring.explanation_lines(result, labels={"دخل الفرد الشهري": "Monthly income per person"})
	assert lines[0] == "Monthly income per person: 8/10 × weight 3 = 24.0 of 30"
	assert lines[1] == "حالة السكن: 5/10 × weight 1 = 5.0 of 10"

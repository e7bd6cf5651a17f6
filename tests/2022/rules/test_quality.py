"""rules/quality.yaml under the 2022 rulebook: the category score from the counted measures.

Policy: MIPS-FACTS 1c and 4 (6 measures incl. an outcome or high-priority measure, 60 available points;
small practices +6 bonus points; capped at 100%); WORKED-EXAMPLES B6 (cap). Measures use a flat 2022
benchmark (deciles 2..10 from 10 to 90): 85% is decile 9 + 0.5 = 9.5 points.
"""

from decimal import Decimal as D

import pytest

FROM_SUBMISSION = {"status": "submitted", "from_submission": True}


def six(quality_measure, **fields):
    return [quality_measure(f"9{i:02d}", **fields) for i in range(6)]


def test_six_benchmarked_measures_over_60_points(case, score_2022, quality_measure):
    result = score_2022(case(categories={"quality": FROM_SUBMISSION}), quality=six(quality_measure))
    assert result.value("quality.achievement_points") == D("57")
    assert result.value("quality.score") == D("95")


def test_six_measures_without_benchmark_still_earn_3_each(case, score_2022, quality_measure):
    # 3 x 6 = 18 of 60 = 30%; from 2023 a non-small practice gets 0 for these
    result = score_2022(case(categories={"quality": FROM_SUBMISSION}), quality=six(quality_measure, deciles=None))
    assert result.value("quality.score") == D("30")


def test_small_practice_bonus_and_cap(case, score_2022, quality_measure):
    result = score_2022(case(practice={"clinician_count": 6}, categories={"quality": FROM_SUBMISSION}),
                        quality=six(quality_measure, rate="95"))
    assert result.value("quality.small_practice_bonus") == D("6")
    assert result.value("quality.score") == D("100")


def test_only_the_best_six_count(case, score_2022, quality_measure):
    measures = six(quality_measure) + [quality_measure("999", rate="15", high_priority=False, measure_type="process")]
    result = score_2022(case(categories={"quality": FROM_SUBMISSION}), quality=measures)
    assert len(result.value("quality.counted")) == 6
    assert result.value("quality.achievement_points") == D("57")


# --- the denominator: fewer applicable measures, suppressed measures, a missed CAHPS sample ----------------

def submitted(**facts):
    return FROM_SUBMISSION | {"facts": facts}


def test_fewer_applicable_measures_lower_the_denominator(case, score_2022, quality_measure):
    """4 measures apply (Eligible Measures Applicability): 4 x 9.5 = 38 of 40 = 95% (63.33% over 60 before)."""
    measures = six(quality_measure)[:4]
    result = score_2022(case(categories={"quality": submitted(applicable_measures=4)}), quality=measures)
    assert result.value("quality.required_measures") == D("4")
    assert result.value("quality.available_points") == D("40")
    assert result.value("quality.score") == D("95")
    plain = score_2022(case(categories={"quality": FROM_SUBMISSION}), quality=measures)
    assert plain.value("quality.available_points") == D("60")


@pytest.mark.parametrize("extra, available, score", [
    pytest.param(False, D("50"), D("95"), id="5 other measures: the suppressed one's slot leaves the denominator, 47.5 of 50"),
    pytest.param(True, D("60"), D("95"), id="6 other measures fill every slot: no reduction, 57 of 60"),
])
def test_a_suppressed_measure_earns_nothing_and_lowers_the_denominator_only_when_needed(
        case, score_2022, quality_measure, extra, available, score):
    measures = six(quality_measure) + ([quality_measure("990")] if extra else [])
    result = score_2022(case(categories={"quality": submitted(suppressed_measures=["900"])}), quality=measures)
    assert "900" not in [m["measure_id"] for m in result.value("quality.counted")]
    assert result.value("quality.available_points") == available
    assert result.value("quality.score") == score


@pytest.mark.parametrize("count, available", [
    pytest.param(5, D("50"), id="CAHPS sample missed, 5 other measures: 50 available"),
    pytest.param(6, D("60"), id="CAHPS sample missed, 6 other measures: 60 available"),
])
def test_a_missed_cahps_sample_lowers_the_denominator_by_10(case, score_2022, quality_measure, count, available):
    result = score_2022(case(entity={"type": "group", "tin": "123456789", "npi": None},
                             categories={"quality": submitted(cahps_sample_minimum_missed=True)}),
                        quality=six(quality_measure)[:count])
    assert result.value("quality.available_points") == available
    assert "quality.denominator_reduction" in {step.rule_id for root in result.trace for step in root.walk()}


# --- improvement scoring --------------------------------------------------------------------------------

def improving(prior, **facts):
    return FROM_SUBMISSION | {"prior_achievement_percent": prior, "facts": facts}


@pytest.mark.parametrize("prior, improvement, score", [
    pytest.param(D("20"), D("10"), D("65"), id="prior 20%: (55-20)/20 x 10 = 17.5, capped at 10"),
    pytest.param(D("25"), D("10"), D("65"), id="prior 25%: 12 capped at 10 (the 30% floor gave (55-30)/30 x 10 = 8.33)"),
    pytest.param(D("50"), D("1"), D("56"), id="prior 50%: (55-50)/50 x 10 = 1"),
    pytest.param(D("55"), D("0"), D("55"), id="no rise: 0"),
    pytest.param(D("0"), None, D("55"), id="prior 0%: no improvement score (the 30% assumption ended with payment year 2023)"),
])
def test_improvement_compares_with_the_prior_score_without_a_30_percent_floor(
        case, score_2022, quality_measure, prior, improvement, score):
    # rate 45 in the flat 2022 benchmark: decile 5 + 0.5 = 5.5 points, 33 of 60 = 55%
    result = score_2022(case(categories={"quality": improving(prior)}), quality=six(quality_measure, rate="45"))
    assert result.value("quality.achievement_percent") == D("55")
    assert result.value("quality.improvement") == improvement
    assert result.value("quality.score") == score


def test_improvement_needs_full_participation(case, score_2022, quality_measure):
    measures = six(quality_measure, rate="45")[:5] + [quality_measure("905", rate="45", completeness="50")]
    result = score_2022(case(categories={"quality": improving(D("20"))}), quality=measures)
    assert result.value("quality.fully_participated") is False
    assert result.value("quality.improvement") == D("0")


def test_no_improvement_score_with_facility_based_scoring(case, score_2022, quality_measure):
    result = score_2022(case(categories={"quality": improving(D("20"), facility_based_scoring=True)}),
                        quality=six(quality_measure, rate="45"))
    assert result.value("quality.improvement") is None
    assert result.value("quality.score") == D("55")

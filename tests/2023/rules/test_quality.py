"""rules/quality.yaml under the 2023 rulebook: the denominator and improvement scoring.

Policy: 42 CFR 414.1380 (b)(1)(vi) (improvement scoring: full participation, the 30% prior-score assumption
for payment years 2020-2023 only, none with facility-based measurement) and (b)(1)(vii) (available points
reduced for measures CMS cannot score); the 2023 Traditional MIPS submission guide (Eligible Measures
Applicability and specialty sets with fewer than six measures). Measures use a flat benchmark: a rate of
45% is decile 5 + 0.5 = 5.5 points, 85% is 9.5 points.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

FROM_SUBMISSION = {"status": "submitted", "from_submission": True}


def six(quality_measure, **fields):
    return [quality_measure(f"9{i:02d}", **fields) for i in range(6)]


def stated(prior=None, **facts):
    return FROM_SUBMISSION | {"facts": facts} | ({"prior_achievement_percent": prior} if prior is not None else {})


def test_six_measures_over_60_points(case, score_2023, quality_measure):
    result = score_2023(case(categories={"quality": FROM_SUBMISSION}), quality=six(quality_measure))
    assert (result.value("quality.available_points"), result.value("quality.score")) == (D("60"), D("95"))


def test_a_specialty_set_of_four_measures_is_scored_over_40(case, score_2023, quality_measure):
    result = score_2023(case(categories={"quality": stated(applicable_measures=4)}), quality=six(quality_measure)[:4])
    assert result.value("quality.available_points") == D("40")
    assert result.value("quality.score") == D("95")


def test_a_suppressed_measure_is_taken_off_the_denominator(case, score_2023, quality_measure):
    result = score_2023(case(categories={"quality": stated(suppressed_measures=["900", "777"])}),
                        quality=six(quality_measure))
    assert [m["measure_id"] for m in result.value("quality.suppressed_submitted")] == ["900"]
    assert result.value("quality.denominator_reduction") == D("1")
    assert result.value("quality.available_points") == D("50")
    assert result.value("quality.score") == D("95")


def test_a_missed_cahps_sample_takes_10_off_the_denominator(case, score_2023, quality_measure):
    result = score_2023(case(entity={"type": "group", "tin": "123456789", "npi": None},
                             categories={"quality": stated(cahps_sample_minimum_missed=True)}),
                        quality=six(quality_measure)[:5])
    assert result.value("quality.available_points") == D("50")
    assert result.value("quality.score") == D("95")


@pytest.mark.parametrize("prior, improvement", [
    pytest.param(D("25"), D("10"), id="prior 25%: (55-25)/25 x 10 = 12, capped at 10 (8.33 with the 30% floor)"),
    pytest.param(D("50"), D("1"), id="prior 50%: 1"),
    pytest.param(D("0"), None, id="prior 0%: none"),
])
def test_improvement_has_no_30_percent_floor_from_payment_year_2025(case, score_2023, quality_measure, prior,
                                                                    improvement):
    result = score_2023(case(categories={"quality": stated(prior)}), quality=six(quality_measure, rate="45"))
    assert result.value("quality.achievement_percent") == D("55")
    assert result.value("quality.improvement") == improvement


def test_improvement_needs_full_participation(case, score_2023, quality_measure):
    measures = six(quality_measure, rate="45")[:5] + [quality_measure("905", rate="45", completeness="50")]
    result = score_2023(case(categories={"quality": stated(D("25"))}), quality=measures)
    assert result.value("quality.fully_participated") is False
    assert result.value("quality.improvement") == D("0")


def test_no_improvement_with_facility_based_scoring(case, score_2023, quality_measure):
    result = score_2023(case(categories={"quality": stated(D("25"), facility_based_scoring=True)}),
                        quality=six(quality_measure, rate="45"))
    assert result.value("quality.improvement") is None

"""rules/quality.yaml and quality_measure.yaml under the 2025 rulebook: the complex organization
adjustment and the minimum criteria for a quality submission.

Policy: MIPS-FACTS 1c and 4 (virtual groups and APM Entities: +1 achievement point per eCQM meeting
data completeness and the case minimum, at most 10% of the available points; R-JM quoting 42 CFR
414.1380(b)(1)(vii)(C): a measure may not exceed 10 points with it); MIPS-FACTS 4 (from 2025 a quality
submission needs a numerator and denominator for at least one measure; incomplete submissions no
longer override reweighting).

Measures use a flat benchmark: a rate of 55% is decile 6 + 0.5 = 6.5 points, so one adjustment point
fits under the 10-point ceiling of a measure.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from engine.api import score as engine_score
from engine.case.facts import SubmittedCategory

FROM_SUBMISSION = {"status": "submitted", "from_submission": True}


def ecqms(quality_measure, count, **fields):
    return [quality_measure(f"9{i:02d}", "electronicHealthRecord", rate="55", **fields) for i in range(count)]


def quality_result(case, score_2025, measures, entity="virtual_group", **overrides):
    return score_2025(case(entity={"type": entity}, categories={"quality": FROM_SUBMISSION}, **overrides),
                      quality=measures)


# --- who gets it ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("entity, adjustment", [
    pytest.param("virtual_group", D("3"), id="virtual group: +1 per eCQM"),
    pytest.param("apm_entity", D("3"), id="APM Entity reporting traditional MIPS: +1 per eCQM"),
    pytest.param("group", D("0"), id="group: no adjustment"),
    pytest.param("individual", D("0"), id="individual: no adjustment"),
])
def test_adjustment_by_entity_type(case, score_2025, quality_measure, entity, adjustment):
    result = quality_result(case, score_2025, ecqms(quality_measure, 3), entity=entity, program="mips")
    assert result.value("quality.achievement_points") == D("19.5")
    assert result.value("quality.complex_organization_adjustment") == adjustment
    assert result.value("quality.score") == (D("19.5") + adjustment) * 100 / 60


# --- which measures count ------------------------------------------------------------------------------

@pytest.mark.parametrize("fields, collection_type, points", [
    pytest.param({}, "electronicHealthRecord", D("1"), id="eCQM meeting data completeness and case minimum: 1"),
    pytest.param({}, "registry", D("0"), id="MIPS CQM (registry): 0"),
    pytest.param({"completeness": "74.99"}, "electronicHealthRecord", D("0"), id="eCQM at 74.99% completeness: 0"),
    pytest.param({"completeness": "75"}, "electronicHealthRecord", D("1"), id="eCQM at 75.00% completeness: 1"),
    pytest.param({"cases": 19}, "electronicHealthRecord", D("0"), id="eCQM with 19 cases (below 20): 0"),
    pytest.param({"cases": 20}, "electronicHealthRecord", D("1"), id="eCQM with 20 cases: 1"),
    pytest.param({"benchmark": None}, "electronicHealthRecord", D("1"), id="eCQM without benchmark (0 points): 1"),
    pytest.param({"rate": "95"}, "electronicHealthRecord", D("0"), id="eCQM already at 10 points: 0 (10-point ceiling)"),
    pytest.param({"rate": "85"}, "electronicHealthRecord", D("0.5"), id="eCQM at 9.5 points: 0.5 up to the ceiling"),
])
def test_adjustment_per_measure(case, score_2025, quality_measure, fields, collection_type, points):
    measure = quality_measure("236", collection_type, **({"rate": "55"} | fields))
    result = quality_result(case, score_2025, [measure])
    (scored,) = result.value("quality.measures")
    assert scored["complex_organization_points"] == points
    assert result.value("quality.complex_organization_adjustment") == points


# --- the cap: 10% of the available points (60 -> 6) ------------------------------------------------------

@pytest.mark.parametrize("count, adjustment", [
    pytest.param(5, D("5"), id="5 eCQMs: 5, under the cap"),
    pytest.param(6, D("6"), id="6 eCQMs: 6, exactly the cap"),
    pytest.param(7, D("6"), id="7 eCQMs: capped at 6"),
    pytest.param(10, D("6"), id="10 eCQMs: capped at 6"),
])
def test_adjustment_is_capped_at_ten_percent_of_available_points(case, score_2025, quality_measure, count, adjustment):
    result = quality_result(case, score_2025, ecqms(quality_measure, count))
    assert result.value("quality.available_points") == D("60")
    assert result.value("quality.complex_organization_adjustment") == adjustment


def test_adjustment_counts_toward_the_100_percent_cap(case, score_2025, quality_measure):
    """Six eCQMs at 9.5 points (57) + 3 adjustment points (0.5 each) = 60 of 60 -> 100%."""
    result = quality_result(case, score_2025,
                            [quality_measure(f"9{i:02d}", rate="85") for i in range(6)])
    assert result.value("quality.complex_organization_adjustment") == D("3")
    assert result.value("quality.score") == D("100")


# --- minimum criteria for a quality submission -------------------------------------------------------------

def test_submission_without_any_denominator_is_not_a_quality_submission(case, score_2025, quality_measure):
    empty = [quality_measure("236", rate=None, completeness=None, cases=0)]
    result = score_2025(case(categories={"quality": FROM_SUBMISSION}), quality=empty)
    assert result.value("quality.submitted") is False
    assert result.value("quality.status") == "not_submitted"
    assert result.value("quality.score") == D("0")
    assert result.value("quality.weight") == D("30")


@pytest.mark.parametrize("cases, submitted", [
    pytest.param(0, False, id="eligible population 0: minimum criteria not met"),
    pytest.param(1, True, id="eligible population 1: minimum criteria met"),
])
def test_minimum_criteria_boundary(case, score_2025, quality_measure, cases, submitted):
    measure = quality_measure("236", rate="0" if cases else None, completeness="100" if cases else None, cases=cases)
    result = score_2025(case(categories={"quality": FROM_SUBMISSION}), quality=[measure])
    assert result.value("quality.submitted") is submitted


def test_incomplete_submission_no_longer_overrides_automatic_euc(case, score_2025, quality_measure):
    empty = [quality_measure("236", rate=None, completeness=None, cases=0)]
    result = score_2025(case(automatic_euc=True, categories={"quality": FROM_SUBMISSION}), quality=empty)
    assert result.value("quality.status") == "reweighted"
    assert result.value("quality.reason") == "automatic_euc"


def test_the_same_incomplete_submission_counted_as_submitted_in_2024(case, quality_measure):
    from engine.api import rulebook_for
    empty = [quality_measure("236", rate=None, completeness=None, cases=0)]
    result = engine_score(case(performance_year=2024, automatic_euc=True, categories={"quality": FROM_SUBMISSION}),
                          rulebook_for("2024"), submitted={"quality": SubmittedCategory(tuple(empty), None, "t")})
    assert result.value("quality.status") == "submitted"


def test_a_stated_score_meets_the_criteria(case, score_2025):
    result = score_2025(case(categories={"quality": D("0")}))
    assert result.value("quality.submitted") is True
    assert result.value("quality.status") == "submitted"

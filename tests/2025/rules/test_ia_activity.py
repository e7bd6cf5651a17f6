"""rules/ia_activity.yaml under the 2025 rulebook: activity weights are gone; every activity earns 20
points, 40 for a small practice or a rural, HPSA or non-patient facing clinician (two activities, or
one with a special status, give the 40-point maximum).

Policy: MIPS-FACTS 1e (SECONDARY) and open item 7; IA_PCMH full credit (SD2).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

FROM_SUBMISSION = {"status": "submitted", "from_submission": True}


def ia_result(case, score_2025, activities, **overrides):
    return score_2025(case(categories={"ia": FROM_SUBMISSION}, **overrides), ia=activities)


@pytest.mark.parametrize("overrides, points, score", [
    pytest.param({}, D("20"), D("50"), id="one activity, no special status: 20 points = 50%"),
    pytest.param({"practice": {"clinician_count": 15}}, D("40"), D("100"), id="one activity, small practice: 40"),
    pytest.param({"practice": {"clinician_count": 16}}, D("20"), D("50"), id="one activity, 16 clinicians: 20"),
    pytest.param({"special_statuses": ["rural"]}, D("40"), D("100"), id="one activity, rural: 40"),
    pytest.param({"special_statuses": ["hpsa"]}, D("40"), D("100"), id="one activity, HPSA: 40"),
    pytest.param({"special_statuses": ["non_patient_facing"]}, D("40"), D("100"), id="one activity, non-patient facing: 40"),
    pytest.param({"special_statuses": ["hospital_based"]}, D("20"), D("50"), id="one activity, hospital-based is no IA special status: 20"),
])
def test_one_activity(case, score_2025, activity, overrides, points, score):
    result = ia_result(case, score_2025, [activity("IA_EPA_1")], **overrides)
    assert result.value("ia.points") == points
    assert result.value("ia.score") == score


@pytest.mark.parametrize("count, points", [
    pytest.param(2, D("40"), id="two activities: 40 points, the maximum"),
    pytest.param(3, D("40"), id="three activities: 60 points capped at 40"),
])
def test_several_activities(case, score_2025, activity, count, points):
    activities = [activity(f"IA_ACT_{i}") for i in range(count)]
    assert ia_result(case, score_2025, activities).value("ia.points") == points


@pytest.mark.parametrize("weight", ["medium", "high", None])
def test_a_weight_in_older_data_no_longer_matters(case, score_2025, activity, weight):
    result = ia_result(case, score_2025, [activity("IA_EPA_1", weight=weight)])
    (scored,) = result.value("ia.activities")
    assert scored["points"] == D("20")


def test_activity_not_performed_earns_nothing(case, score_2025, activity):
    result = ia_result(case, score_2025, [activity("IA_EPA_1", value=False)])
    assert result.value("ia.points") == D("0")


def test_pcmh_still_gives_full_credit(case, score_2025, activity):
    assert ia_result(case, score_2025, [activity("IA_PCMH")]).value("ia.points") == D("40")


def test_apm_credit_is_carried_but_unconfirmed(case, score_2025):
    result = score_2025(case(apm_participant=True, categories={"ia": "not_submitted"}))
    assert result.value("ia.status") == "apm_credit"
    assert result.value("ia.points") == D("20")
    assert "params.improvement_activities.apm_credit_points" in [u.name for u in result.unconfirmed]


def test_activity_points_rest_on_secondary_sources(case, score_2025, activity):
    result = ia_result(case, score_2025, [activity("IA_EPA_1")])
    assert result.rulebook.scopes["ia_activity"].rules["activity.points"].status == "secondary"
    assert "activity.points" not in [u.name for u in result.unconfirmed]

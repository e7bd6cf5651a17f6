"""rulebooks/2022/pathways/app: the APM Performance Pathway over the 2022 rules.

Policy: 42 CFR 414.1367 (as amended at 89 FR 98562): weights quality 50, cost 0, IA 20, PI 30 ((c)(2),
(d)(1)); quality reweighted -> PI 75, IA 25; PI reweighted -> quality 75, IA 25 ((d)(2)); each submitted
measure without a benchmark or below the case minimum leaves the achievement and the available points
((c)(1)(i)); no 7-point cap for topped-out measures ((c)(1)(ii)); the APP measure set of 2022 is 001,
134, 236, CAHPS (321), 479, 484 (qpp-app-quality-requirements-2022); full Improvement Activities
credit (secondary for 2022, facs-2022-app).

Records use the flat 2022 deciles of tests/2022/conftest.py: a rate of 85% earns 9 + 0.5 = 9.5 points.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

FROM_SUBMISSION = {"status": "submitted", "from_submission": True}
GROUP = {"type": "group", "tin": "123456789"}


def weights(result):
    return [result.value(f"{c}.weight") for c in ("quality", "cost", "ia", "pi")]


def app_case(case, **overrides):
    return case(**({"program": "app1", "entity": GROUP} | overrides))


def set_measures(quality_measure, **fields):
    return [quality_measure(m, "electronicHealthRecord", **fields) for m in ("001", "134", "236")]


CAHPS_AND_CLAIMS = [{"measure_id": "321", "achievement_points": D("6")},
                    {"measure_id": "479", "achievement_points": D("5")},
                    {"measure_id": "484", "achievement_points": D("4")}]


# --- weights and their reweighting --------------------------------------------------------------------

@pytest.mark.parametrize("categories, expected, row", [
    pytest.param({}, [50, 0, 20, 30], "app_weights", id="all scored: 50/0/20/30"),
    pytest.param({"quality": ("reweighted", "euc_application")}, [0, 0, 25, 75], "app_no_quality",
                 id="quality reweighted: PI 75, IA 25"),
    pytest.param({"pi": ("reweighted", "pi_hardship")}, [75, 0, 25, 0], "app_no_pi",
                 id="PI reweighted: quality 75, IA 25"),
    pytest.param({"quality": ("reweighted", "euc_application"), "pi": ("reweighted", "pi_hardship")},
                 [0, 0, 100, 0], "app_only_ia", id="quality and PI reweighted: only IA, threshold"),
])
def test_app_weights_and_reweighting(case, score_2022, categories, expected, row):
    result = score_2022(app_case(case, categories=categories))
    assert weights(result) == expected
    assert result.trace[0].output == "app"
    weight_step = next(node for root in result.trace for node in root.walk() if node.row)
    assert weight_step.row.id == row
    assert weight_step.row.file == "rulebooks/2022/pathways/app/tables/reweighting.yaml"


def test_quality_and_pi_reweighted_gives_the_threshold_and_says_it_is_unconfirmed(case, score_2022):
    result = score_2022(app_case(case, categories={"quality": ("reweighted", "euc_application"),
                                                   "pi": ("reweighted", "pi_hardship")}))
    assert result.value("final_score") == 75
    assert "reweighting.app_only_ia" in {u.name for u in result.unconfirmed}


def test_cost_carries_no_weight_whatever_is_given(case, score_2022):
    result = score_2022(app_case(case, categories={"cost": D("95")}))
    assert (result.value("cost.status"), result.value("cost.reason"), result.value("cost.weight")) == (
        "reweighted", "app_cost_weight", 0)


@pytest.mark.parametrize("ia", [
    pytest.param("not_submitted", id="no activity reported"),
    pytest.param(D("10"), id="10 points attested"),
])
def test_improvement_activities_receive_full_credit(case, score_2022, ia):
    result = score_2022(app_case(case, categories={"ia": ia}))
    assert (result.value("ia.score"), result.value("ia.status"), result.value("ia.contribution")) == (
        100, "apm_credit", 20)


def test_a_case_may_leave_cost_and_improvement_activities_out(case, score_2022):
    full = app_case(case, categories={"quality": D("80"), "pi": D("90")})
    result = score_2022(full.model_copy(update={"categories": {k: full.categories[k] for k in ("quality", "pi")}}))
    assert result.value("final_score") == D(80) * D("0.5") + 20 + D(90) * D("0.3")


# --- quality: the measure set, exclusions, no cap -------------------------------------------------------

def quality_result(case, score_2022, measures, cms=CAHPS_AND_CLAIMS, entity=GROUP, program="app1"):
    categories = {"quality": FROM_SUBMISSION | ({"measures": cms} if cms else {})}
    return score_2022(case(program=program, entity=entity, categories=categories), quality=measures)


def test_the_full_measure_set_has_60_available_points(case, score_2022, quality_measure):
    result = quality_result(case, score_2022, set_measures(quality_measure))
    assert result.value("quality.available_points") == 60
    assert result.value("quality.achievement_points") == 3 * D("9.5") + 6 + 5 + 4


@pytest.mark.parametrize("program, available, points", [
    pytest.param("app1", 50, 2 * D("9.5") + 15, id="APP: left out of both"),
    pytest.param("mips", 60, 2 * D("9.5") + 3, id="traditional: 3 points, stays in the denominator"),
])
def test_a_measure_without_benchmark_in_the_app_versus_traditional(case, score_2022, quality_measure, program,
                                                                   available, points):
    measures = set_measures(quality_measure)
    measures[2] = quality_measure("236", "electronicHealthRecord", deciles=None)
    result = quality_result(case, score_2022, measures, program=program, cms=CAHPS_AND_CLAIMS if program == "app1" else None)
    assert result.value("quality.available_points") == available
    assert result.value("quality.achievement_points") == points


@pytest.mark.parametrize("cases, available", [
    pytest.param(19, 50, id="19 cases: below the case minimum, left out"),
    pytest.param(20, 60, id="20 cases: counted"),
])
def test_case_minimum_boundary(case, score_2022, quality_measure, cases, available):
    measures = set_measures(quality_measure)
    measures[0] = quality_measure("001", "electronicHealthRecord", cases=cases)
    result = quality_result(case, score_2022, measures)
    assert result.value("quality.available_points") == available
    assert ("001" in result.value("quality.excluded")) is (cases == 19)


@pytest.mark.parametrize("program, points", [
    pytest.param("app1", D("10"), id="APP: no 7-point cap"),
    pytest.param("mips", D("7"), id="traditional: capped at 7"),
])
def test_topped_out_measure_cap(case, score_2022, quality_measure, program, points):
    measure = quality_measure("236", "electronicHealthRecord", rate="95", topped_out_by_program=True)
    result = quality_result(case, score_2022, [measure], program=program, cms=None)
    [scored] = result.value("quality.measures")
    assert scored["points"] == points


def test_a_measure_outside_the_set_does_not_count(case, score_2022, quality_measure):
    measures = set_measures(quality_measure) + [quality_measure("047", "registry")]
    result = quality_result(case, score_2022, measures)
    assert [m["measure_id"] for m in result.value("quality.counted")] == ["001", "134", "236"]
    assert result.value("quality.available_points") == 60


def test_cahps_and_claims_not_given_count_zero_and_say_so(case, score_2022, quality_measure):
    result = quality_result(case, score_2022, set_measures(quality_measure), cms=None)
    assert result.value("quality.unreported") == ("321", "479", "484")
    assert result.value("quality.available_points") == 60
    assert result.value("quality.achievement_points") == 3 * D("9.5")
    assert "quality.calculated_not_given_points" in {u.name for u in result.unconfirmed}


def test_an_individual_has_no_cahps_in_the_denominator(case, score_2022, quality_measure):
    individual = {"type": "individual", "tin": "123456789", "npi": "1234567893"}
    result = quality_result(case, score_2022, set_measures(quality_measure), cms=CAHPS_AND_CLAIMS[1:],
                            entity=individual)
    assert result.value("quality.not_applicable") == ("321",)
    assert result.value("quality.available_points") == 50
    assert "quality.survey_not_applicable" in {u.name for u in result.unconfirmed}

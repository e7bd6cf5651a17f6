"""rulebooks/2023/pathways/mvp: MIPS Value Pathways over the 2023 rules.

Policy: 42 CFR 414.1365 (through 89 FR 98562): 4 quality measures of the MVP including an outcome (or
high-priority) measure, the population health measure apart ((c)(1), (c)(4)(ii)); a population health
measure without benchmark or case minimum is left out of achievement and available points, a selected
outcomes-based administrative-claims measure without one scores 0 ((d)(3)(i)(A)-(B)); Improvement
Activities 2023-2024: 20 points per medium, 40 per high activity, for every participant ((c)(3)(i),
(d)(3)(iii)); cost from the MVP's cost measures ((c)(2)); traditional weights ((e)(1)); an APM Entity is
not scored on cost (42 CFR 414.1317(b)(2)). The denominator (4 x 10 + 10 per scored population health or
administrative-claims measure) and which 4 count when more are reported are unconfirmed.

Measures use the flat benchmark of tests/year_fixtures.py: a rate of 85% earns 9 + 0.5 = 9.5 points.
G0054 (stroke care) quality measures in 2023: 047, 187, 236, 326, 344, 409, 413, 438, 441; its cost
measure COST_IHCI_1. G0055 offers the outcomes-based administrative-claims measure 492; G0057 has CAHPS.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from year_fixtures import FROM_SUBMISSION

INDIVIDUAL = {"type": "individual", "tin": "123456789", "npi": "1234567893"}


def weights(result):
    return [result.value(f"{c}.weight") for c in ("quality", "cost", "ia", "pi")]


def mvp_quality(case, score_2023, measures, program="G0054", cms=None, **overrides):
    quality = FROM_SUBMISSION | ({"measures": cms} if cms else {})
    return score_2023(case(program=program, entity=INDIVIDUAL, categories={"quality": quality}, **overrides),
                      quality=measures)


def g0054(quality_measure, ids, **fields):
    return [quality_measure(i, "registry", measure_type="process", high_priority=False, **fields)
            if i != "236" else quality_measure(i, "registry", **fields) for i in ids]


def test_an_mvp_keeps_the_traditional_weights(case, score_2023):
    result = score_2023(case(program="G0054", entity=INDIVIDUAL))
    assert weights(result) == [30, 30, 15, 25]
    assert result.summary()["pathway"]["program_title"].startswith("Coordinating Stroke Care")


def test_one_measure_is_scored_out_of_40_points(case, score_2023, quality_measure):
    result = mvp_quality(case, score_2023, [quality_measure("047", "registry", measure_type="process")])
    assert result.value("quality.available_points") == 40
    assert result.value("quality.achievement_points") == D("9.5")
    assert result.value("quality.score") == D("9.5") * 100 / 40


@pytest.mark.parametrize("ids, counted", [
    pytest.param(["236", "047", "187", "326"], ["236", "047", "187", "326"], id="four measures: all count"),
    pytest.param(["236", "047", "187", "326", "344"], ["236", "047", "187", "326"], id="five measures: four count"),
])
def test_four_versus_five_quality_measures(case, score_2023, quality_measure, ids, counted):
    measures = g0054(quality_measure, ids)
    measures[-1] = quality_measure(ids[-1], "registry", rate="55", measure_type="process", high_priority=False)
    result = mvp_quality(case, score_2023, measures)
    assert sorted(m["measure_id"] for m in result.value("quality.counted")) == sorted(counted)
    assert result.value("quality.available_points") == 40
    if len(ids) == 5:
        choices = {c.label: c for c in next(n for root in result.trace for n in root.walk()
                                            if n.rule_id == "quality.counted").selection}
        assert choices["344 (registry)"].why == "outside the 4 counted"
    assert "quality.counted" in {u.name for u in result.unconfirmed}


def test_without_an_outcome_or_high_priority_measure_its_slot_stays_empty(case, score_2023, quality_measure):
    measures = [quality_measure(i, "registry", measure_type="process", high_priority=False)
                for i in ("187", "326", "409", "441", "438")]
    result = mvp_quality(case, score_2023, measures)
    assert len(result.value("quality.counted")) == 3
    assert result.value("quality.available_points") == 40


def test_a_measure_outside_the_mvp_does_not_count(case, score_2023, quality_measure):
    result = mvp_quality(case, score_2023, [quality_measure("001", "registry"), quality_measure("047", "registry")])
    assert [m["measure_id"] for m in result.value("quality.counted")] == ["047"]


@pytest.mark.parametrize("cms, available, extra", [
    pytest.param(None, 40, D(0), id="no population health result: left out, 40 available"),
    pytest.param([{"measure_id": "479", "achievement_points": D("6")}], 50, D(6),
                 id="population health 479 given: 50 available"),
])
def test_population_health_measure(case, score_2023, quality_measure, cms, available, extra):
    result = mvp_quality(case, score_2023, g0054(quality_measure, ["236"]), cms=cms)
    assert result.value("quality.available_points") == available
    assert result.value("quality.achievement_points") == D("9.5") + extra


def test_a_selected_administrative_claims_measure_adds_its_available_points(case, score_2023, quality_measure):
    result = mvp_quality(case, score_2023, [quality_measure("047", "registry")], program="G0055",
                         cms=[{"measure_id": "492", "achievement_points": D("0")}])
    assert result.value("quality.available_points") == 50
    assert result.value("quality.achievement_points") == D("9.5")


def test_cahps_fills_one_of_the_four_measures(case, score_2023, quality_measure, reference_2023):
    assert reference_2023.mvps["G0057"].has_cahps
    ids = [m for m in reference_2023.mvps["G0057"].quality_measure_ids if m != "321"][:4]
    measures = [quality_measure(i, "registry") for i in ids]
    group = {"type": "group", "tin": "123456789"}
    result = score_2023(case(program="G0057", entity=group, categories={"quality": FROM_SUBMISSION | {
        "measures": [{"measure_id": "321", "achievement_points": D("7")}]}}), quality=measures)
    assert len(result.value("quality.counted")) == 3
    assert result.value("quality.achievement_points") == 3 * D("9.5") + 7
    assert result.value("quality.available_points") == 40


@pytest.mark.parametrize("activities, points", [
    pytest.param([("IA_BE_4", "medium"), ("IA_CC_13", "medium")], 40, id="two medium: 40"),
    pytest.param([("IA_BE_4", "medium")], 20, id="one medium: 20"),
    pytest.param([("IA_PCMH", "high")], 40, id="PCMH: full credit"),
])
def test_improvement_activities_two_medium_or_one_high(case, score_2023, activity, activities, points):
    result = score_2023(case(program="G0054", entity=INDIVIDUAL, practice={"clinician_count": 6},
                             categories={"ia": FROM_SUBMISSION}),
                        ia=[activity(i, weight=w) for i, w in activities])
    assert result.value("ia.points") == points


def test_cost_counts_only_the_mvps_cost_measures(case, score_2023):
    cost = {"status": "submitted", "measures": [{"measure_id": "COST_IHCI_1", "achievement_points": D("6")},
                                                {"measure_id": "MSPB_1", "achievement_points": D("2")}]}
    result = score_2023(case(program="G0054", entity=INDIVIDUAL, categories={"cost": cost}))
    assert result.value("cost.score") == 60
    assert [m["measure_id"] for m in result.value("pathway.cost_outside_program")] == ["MSPB_1"]


def test_no_cost_measure_of_the_mvp_leaves_cost_unscored(case, score_2023):
    cost = {"status": "submitted", "measures": [{"measure_id": "MSPB_1", "achievement_points": D("2")}]}
    result = score_2023(case(program="G0054", entity=INDIVIDUAL, categories={"cost": cost}))
    assert (result.value("cost.reason"), weights(result)) == ("no_scorable_measure", [55, 0, 15, 30])


def test_an_apm_entity_reporting_an_mvp_is_not_scored_on_cost(case, score_2023):
    result = score_2023(case(program="G0054", entity={"type": "apm_entity"}))
    assert (result.value("cost.reason"), weights(result)) == ("apm_entity", [55, 0, 15, 30])
    assert "apm_entity" in {u.name for u in result.unconfirmed}

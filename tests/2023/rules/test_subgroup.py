"""rules/subgroup.yaml at its boundaries: what an MVP subgroup takes from its affiliated group.

Policy: 42 CFR 414.1365 (c)(4)(i)(A), (d)(3)(i)(A)(1), (d)(3)(i)(B)(1), (d)(3)(ii)(A), (d)(3)(iv)(A),
(e)(2)(ii), (e)(4)(i) (MVP-APP-QRDA-FACTS A.6).
"""

from decimal import Decimal as D

import pytest

from engine.api import rulebook_for
from engine.api import score as engine_score
from engine.case.facts import GroupCategory, GroupFacts
from engine.expr import Record

CATEGORIES = ("quality", "cost", "ia", "pi")
FROM_GROUP = {"status": "submitted", "from_affiliated_group": True}
MVP = "G0055"
"""Advancing Care for Heart Disease, an MVP of every year 2023-2026 (a subgroup reports an MVP)."""


def group(source="the group's case", bonus=None, claims=None, **categories):
    """Group facts: each category a GroupCategory, a (status, reason) pair, or a submitted score."""
    built = {}
    for name, value in categories.items():
        if isinstance(value, GroupCategory):
            built[name] = value
        elif isinstance(value, tuple):
            built[name] = GroupCategory(value[0], None, value[1])
        else:
            built[name] = GroupCategory("submitted", D(value))
    if claims is not None:
        built["quality"] = GroupCategory("submitted", D(80), None, tuple(claims))
    return GroupFacts(source, built, {"complex_patient": None if bonus is None else D(bonus)})


def subgroup_case(make_case, year=2023, **overrides):
    base = {"performance_year": year, "entity": {"type": "subgroup", "tin": "123456789", "npi": None}, "program": MVP,
            "affiliated_group": {"categories": {"quality": {"status": "submitted", "score": D(1)}}}}
    return make_case(**(base | overrides))


def run(case, facts, year=2023):
    return engine_score(case, rulebook_for(str(year)), group=facts)


def weights(result):
    return [result.value(f"{c}.weight") for c in CATEGORIES]


# --- reweighting of the affiliated group, EUC included ------------------------------------------------

@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026])
def test_group_euc_reweighting_of_cost_and_pi_is_inherited(make_case, year):
    case = subgroup_case(make_case, year)
    result = run(case, group(quality=80, cost=("reweighted", "euc_application"), ia=40,
                             pi=("reweighted", "euc_application")), year)
    assert result.value("cost.reason") == "affiliated_group"
    assert result.value("pi.reason") == "affiliated_group"
    assert result.value("quality.reason") is None
    assert weights(result) == [85, 0, 15, 0]
    assert result.value("final_score") == D("83")  # 80 x 0.85 + 100 x 0.15


def test_group_reweighting_overrides_the_subgroups_own_data(make_case):
    """Any reweighting applied to the group is applied to the subgroup, even where the subgroup has data."""
    result = run(subgroup_case(make_case), group(quality=("reweighted", "euc_application"), cost=60, ia=40, pi=90))
    assert result.value("quality.status") == "reweighted"
    assert result.value("quality.reason") == "affiliated_group"
    assert weights(result) == [0, 30, 15, 55]


def test_no_group_reweighting_nothing_inherited(make_case):
    result = run(subgroup_case(make_case), group(quality=80, cost=60, ia=40, pi=90))
    assert [result.value(f"{c}.reason") for c in CATEGORIES] == [None] * 4
    assert weights(result) == [30, 30, 15, 25]
    assert result.value("final_score") == D("79.5")  # the subgroup's own 80 / 60 / 40 / 90: 24 + 18 + 15 + 22.5


def test_pi_hardship_of_the_group_is_inherited(make_case):
    result = run(subgroup_case(make_case), group(pi=("reweighted", "pi_hardship")))
    assert result.value("pi.reason") == "affiliated_group"
    assert result.value("pi.affiliated_group_reweighted") is True


def test_a_2023_subgroup_may_have_its_own_euc_reweighting(make_case):
    """PY2023 only: a subgroup may be reweighted independently of its group (its own EUC application)."""
    case = subgroup_case(make_case, categories={"ia": ("reweighted", "euc_application")})
    result = run(case, group(quality=80, cost=60, ia=40, pi=90))
    assert result.value("ia.reason") == "euc_application"
    assert weights(result) == [45, 30, 0, 25]


def test_a_subgroup_is_not_covered_by_the_automatic_euc_policy(make_case):
    case = subgroup_case(make_case, automatic_euc=True, categories={"cost": D(60)})
    result = run(case, group(quality=80, cost=60, ia=40, pi=90))
    assert result.value("automatic_euc") is False
    assert result.value("cost.reason") is None


# --- Promoting Interoperability, cost, claims measures and bonus from the group ------------------------

def test_pi_is_the_groups_score(make_case):
    case = subgroup_case(make_case, categories={"pi": FROM_GROUP})
    result = run(case, group(pi=72))
    assert result.value("pi.status") == "from_group"
    assert result.value("pi.score") == D("72")
    assert result.value("pi.contribution") == D("18")


def test_pi_of_a_group_that_submitted_none_scores_zero(make_case):
    case = subgroup_case(make_case, categories={"pi": FROM_GROUP})
    result = run(case, group(pi=GroupCategory("not_submitted")))
    assert result.value("pi.score") == D("0")
    assert result.value("pi.weight") == D("25")


def test_pi_not_submitted_by_the_subgroup_scores_zero(make_case):
    """A subgroup that does not submit its group's PI data scores 0 (it is not reweighted)."""
    case = subgroup_case(make_case, categories={"pi": "not_submitted"})
    result = run(case, group(pi=90))
    assert result.value("pi.status") == "not_submitted"
    assert result.value("pi.score") == D("0")


def test_cost_is_the_groups_result_on_each_cost_measure_of_the_mvp(make_case):
    """2023 MVP G0055 has the cost measures COST_EOPCI_1, COST_STEMI_1 and TPCC_1; the group's COST_HF_1 is not one."""
    measures = (Record({"measure_id": "COST_STEMI_1", "achievement_points": D("6.5")}),
                Record({"measure_id": "TPCC_1", "achievement_points": D("5")}),
                Record({"measure_id": "COST_HF_1", "achievement_points": D("9")}))
    case = subgroup_case(make_case, categories={"cost": FROM_GROUP})
    result = run(case, group(cost=GroupCategory("submitted", None, None, measures)))
    assert result.value("cost.measurements") == measures
    assert result.value("cost.program_measures") == measures[:2]
    assert result.value("cost.score") == D("57.5")  # (6.5 + 5) x 100 / 20
    assert result.value("cost.status") == "from_group"


def test_none_of_the_groups_cost_measures_in_the_mvp_leaves_cost_unscored(make_case):
    measures = (Record({"measure_id": "COST_HF_1", "achievement_points": D("9")}),)
    case = subgroup_case(make_case, categories={"cost": FROM_GROUP})
    result = run(case, group(cost=GroupCategory("submitted", None, None, measures)))
    assert result.value("cost.reason") == "no_scorable_measure"


def test_cost_is_the_groups_category_score_when_its_measures_are_not_given(make_case):
    case = subgroup_case(make_case, categories={"cost": FROM_GROUP})
    result = run(case, group(cost=64))
    assert result.value("cost.score") == D("64")


def test_cost_reweighted_for_the_group_is_reweighted_for_the_subgroup(make_case):
    case = subgroup_case(make_case, categories={"cost": FROM_GROUP})
    result = run(case, group(cost=("reweighted", "no_scorable_measure")))
    assert result.value("cost.status") == "reweighted"
    assert result.value("cost.reason") == "affiliated_group"


def test_complex_patient_bonus_is_the_groups(make_case):
    case = subgroup_case(make_case, bonuses={"complex_patient": D(9)})
    result = run(case, group(bonus="3.5"))
    assert result.value("complex_patient_bonus.reported") == D("3.5")
    assert result.value("bonus.complex_patient") == D("3.5")


def test_without_the_groups_bonus_there_is_none(make_case):
    case = subgroup_case(make_case, bonuses={"complex_patient": D(9)})
    result = run(case, group())
    assert result.value("bonus.complex_patient") is None


def test_administrative_claims_measures_are_the_groups(make_case):
    claims = [Record({"measure_id": "479", "achievement_points": D("7.2")})]
    case = subgroup_case(make_case)
    result = run(case, group(claims=claims))
    assert result.value("quality.administrative_claims") == tuple(claims)
    assert result.value("subgroup.claims_measures") == tuple(claims)


def test_an_individual_does_not_inherit(make_case, score):
    result = score(make_case(bonuses={"complex_patient": D(2)}))
    assert result.value("subgroup.inherits") is False
    assert result.value("bonus.complex_patient") == D("2")
    assert result.value("subgroup.affiliated_group") is None


def test_the_trace_names_where_the_group_was_read(make_case):
    result = run(subgroup_case(make_case), group(source="groups/lakeside.yaml (the group's case)"))
    assert result.value("subgroup.affiliated_group") == "groups/lakeside.yaml (the group's case)"
    steps = {node.rule_id for root in result.trace for node in root.walk()}
    assert {"subgroup.inherits", "subgroup.affiliated_group", "pi.affiliated_group_reweighted"} <= steps

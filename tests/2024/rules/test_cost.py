"""rules/cost.yaml under the 2024 rulebook: the category-level cost improvement score of 2024 is not
modelled (its method was not retrieved), and every cost score computed from measures says so."""

from __future__ import annotations

from decimal import Decimal as D


def test_a_cost_score_from_measures_flags_the_missing_improvement_score(case, score_2024):
    result = score_2024(case(categories={"cost": {"status": "submitted", "measures": [
        {"measure_id": "COST_1", "achievement_points": 6}, {"measure_id": "COST_2", "achievement_points": 7}]}}))
    assert result.value("cost.score") == D("65")
    assert result.value("cost.improvement") is None
    assert "cost.improvement" in {u.name for u in result.unconfirmed}


def test_a_stated_cost_score_rests_on_nothing_unconfirmed(case, score_2024):
    result = score_2024(case(categories={"cost": D("65")}))
    assert "cost.improvement" not in {u.name for u in result.unconfirmed}

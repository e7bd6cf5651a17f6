"""rules/cost.yaml under the 2022 rulebook: from payment year 2024 the cost improvement score is back.

Policy: 42 CFR 414.1380 (b)(2)(iv) (measures with a significant improvement less those with a significant
decline, over the measures scored in both periods, times the maximum; the maximum was 0 for payment years
2020-2023 only). Before the correction the improvement score was left out while the rule said confirmed.
"""

from __future__ import annotations

from decimal import Decimal as D


def cost(points, **facts):
    return {"status": "submitted", "measures": [{"measure_id": f"COST_{i}", "achievement_points": p}
                                                for i, p in enumerate(points)], "facts": facts}


def test_two_of_three_measures_improved_add_two_thirds_of_a_point(case, score_2022):
    result = score_2022(case(categories={"cost": cost([7, 5, 6], measures_improved=2, measures_declined=0,
                                                      measures_scored_both_years=3)}))
    assert result.value("cost.achievement_percent") == D("60")
    assert round(result.value("cost.improvement"), 4) == D("0.6667")
    assert round(result.value("cost.score"), 4) == D("60.6667")
    assert "params.cost.improvement_max_percent" in {u.name for u in result.unconfirmed}


def test_without_counts_the_score_is_the_achievement_percent(case, score_2022):
    result = score_2022(case(categories={"cost": cost([7, 5, 6])}))
    assert result.value("cost.improvement") is None
    assert result.value("cost.score") == D("60")
    assert "params.cost.improvement_max_percent" not in {u.name for u in result.unconfirmed}

"""rules/cost.yaml under the 2023 rulebook: achievement points plus the cost improvement score.

Policy: 42 CFR 414.1380 (b)(2) (score = achievement points / available points + cost improvement score, at
most 100%) and (b)(2)(iv) (cost improvement from measures with a significant change; its maximum was 0 for
payment years 2020-2023, and 1 percentage point from payment year 2024 is unconfirmed).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest


def cost(points, **facts):
    return {"status": "submitted", "measures": [{"measure_id": f"COST_{i}", "achievement_points": p}
                                                for i, p in enumerate(points)], "facts": facts}


@pytest.mark.parametrize("facts, improvement, score", [
    pytest.param({}, None, D("60"), id="no counts given: achievement only, 60%"),
    pytest.param(dict(measures_improved=1, measures_declined=0, measures_scored_both_years=2), D("0.5"), D("60.5"),
                 id="1 of 2 improved: +0.5"),
    pytest.param(dict(measures_improved=2, measures_declined=0, measures_scored_both_years=2), D("1"), D("61"),
                 id="both improved: the full 1 point"),
    pytest.param(dict(measures_improved=0, measures_declined=2, measures_scored_both_years=2), D("0"), D("60"),
                 id="declines: never below 0"),
])
def test_cost_improvement_score(case, score_2023, facts, improvement, score):
    result = score_2023(case(categories={"cost": cost([6, 6], **facts)}))
    assert result.value("cost.improvement") == improvement
    assert result.value("cost.score") == score
    if improvement is not None:
        assert "params.cost.improvement_max_percent" in {u.name for u in result.unconfirmed}

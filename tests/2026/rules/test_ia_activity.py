"""rules/ia_activity.yaml under the 2026 rulebook: the 2025 scoring without weights is inherited
(MIPS-FACTS 1e: 'same -- SECONDARY' for 2026).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

FROM_SUBMISSION = {"status": "submitted", "from_submission": True}


@pytest.mark.parametrize("overrides, activities, points", [
    pytest.param({}, 1, D("20"), id="one activity: 20"),
    pytest.param({}, 2, D("40"), id="two activities: 40"),
    pytest.param({"special_statuses": ["rural"]}, 1, D("40"), id="one activity, rural: 40"),
])
def test_activity_points(case, score_2026, activity, overrides, activities, points):
    result = score_2026(case(categories={"ia": FROM_SUBMISSION}, **overrides),
                        ia=[activity(f"IA_ACT_{i}") for i in range(activities)])
    assert result.value("ia.points") == points

"""rulebooks/2025/pathways/mvp: what MVPs change from 2025.

Policy: 42 CFR 414.1365(c)(3)(ii), (d)(3)(iii): one Improvement Activity (40 points) or PCMH gives the
full category score; (d)(3)(i)(A): the highest score of the available population health measures counts.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from year_fixtures import FROM_SUBMISSION

INDIVIDUAL = {"type": "individual", "tin": "123456789", "npi": "1234567893"}


@pytest.mark.parametrize("activities, points", [
    pytest.param(["IA_BE_4"], 40, id="one activity: full score"),
    pytest.param([], 0, id="none: 0"),
])
def test_one_activity_gives_the_full_score(case, score_2025, activity, activities, points):
    result = score_2025(case(program="G0054", entity=INDIVIDUAL, categories={"ia": FROM_SUBMISSION}),
                        ia=[activity(i) for i in activities] or [activity("IA_BE_4", value=False)])
    assert result.value("ia.points") == points


def test_the_highest_population_health_measure_counts(case, score_2025, quality_measure):
    cms = [{"measure_id": "479", "achievement_points": D("4")}, {"measure_id": "484", "achievement_points": D("7")}]
    result = score_2025(case(program="G0054", entity=INDIVIDUAL,
                             categories={"quality": FROM_SUBMISSION | {"measures": cms}}),
                        quality=[quality_measure("236", "registry")])
    assert result.value("quality.population_health_points") == 7
    assert result.value("quality.available_points") == 50
    assert "quality.population_health_highest" not in {u.name for u in result.unconfirmed}

"""rules/ia_activity.yaml and improvement_activities.yaml under the 2022 rulebook.

Policy: MIPS-FACTS 1e (40 points; medium 10 / high 20, doubled for small, rural, HPSA, non-patient
facing; IA_PCMH full credit); R-CFR21 (b)(3).
"""

from decimal import Decimal as D

import pytest

FROM_SUBMISSION = {"status": "submitted", "from_submission": True}


@pytest.mark.parametrize("weights, practice, statuses, points", [
    pytest.param(["medium"], 40, [], D("10"), id="one medium activity: 10"),
    pytest.param(["high"], 40, [], D("20"), id="one high activity: 20"),
    pytest.param(["high", "high"], 40, [], D("40"), id="two high activities: 40"),
    pytest.param(["medium", "high", "high"], 40, [], D("40"), id="50 points capped at 40"),
    pytest.param(["medium"], 6, [], D("20"), id="small practice: medium doubled to 20"),
    pytest.param(["high"], 40, ["rural"], D("40"), id="rural: high doubled to 40"),
])
def test_activity_points(case, score_2022, activity, weights, practice, statuses, points):
    activities = [activity(f"IA_X_{i}", weight=w) for i, w in enumerate(weights)]
    result = score_2022(case(practice={"clinician_count": practice}, special_statuses=statuses,
                             categories={"ia": FROM_SUBMISSION}), ia=activities)
    assert result.value("ia.points") == points
    assert result.value("ia.score") == points * 100 / 40


def test_medical_home_gives_full_credit(case, score_2022, activity):
    result = score_2022(case(categories={"ia": FROM_SUBMISSION}), ia=[activity("IA_PCMH", weight=None)])
    assert result.value("ia.score") == D("100")

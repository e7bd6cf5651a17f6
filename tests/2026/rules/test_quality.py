"""rules/quality.yaml and quality_measure.yaml under the 2026 rulebook: CMS's PY2026 administrative-claims
and cost benchmark rows are placeholders (mock data, R-GIT 26380bcb); a quality score that rests on a
measure scored against one says it is unconfirmed, and one that does not stays clean.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

FROM_SUBMISSION = {"status": "submitted", "from_submission": True}
PLACEHOLDER_RULE = "quality.measure_points_on_placeholder_benchmarks"


def names(result):
    return [u.name for u in result.unconfirmed]


def test_placeholder_benchmark_makes_the_points_unconfirmed(case, score_2026, quality_measure):
    measures = [quality_measure("479", "administrativeClaims", rate="55", placeholder=True),
                quality_measure("236", "registry", rate="85")]
    result = score_2026(case(categories={"quality": FROM_SUBMISSION}), quality=measures)
    flags = {m["measure_id"]: m["on_placeholder_benchmark"] for m in result.value("quality.measures")}
    assert flags == {"479": True, "236": False}
    assert result.value("quality.achievement_points") == D("16")  # 6.5 + 9.5, the points themselves unchanged
    assert PLACEHOLDER_RULE in names(result)
    note = next(u.note for u in result.unconfirmed if u.name == PLACEHOLDER_RULE)
    assert "placeholder" in note


def test_real_benchmarks_only_stay_confirmed(case, score_2026, quality_measure):
    measures = [quality_measure("236", "registry", rate="85"), quality_measure("001", "registry", rate="55")]
    result = score_2026(case(categories={"quality": FROM_SUBMISSION}), quality=measures)
    assert result.value("quality.achievement_points") == D("16")
    assert PLACEHOLDER_RULE not in names(result)


@pytest.mark.parametrize("fields", [
    pytest.param({"completeness": "50"}, id="placeholder benchmark but data completeness not met: not scored on it"),
    pytest.param({"cases": 5}, id="placeholder benchmark but below the case minimum: not scored on it"),
])
def test_placeholder_benchmark_not_used_is_not_flagged(case, score_2026, quality_measure, fields):
    measure = quality_measure("479", "administrativeClaims", placeholder=True, **fields)
    result = score_2026(case(categories={"quality": FROM_SUBMISSION}), quality=[measure])
    (scored,) = result.value("quality.measures")
    assert scored["on_placeholder_benchmark"] is False
    assert PLACEHOLDER_RULE not in names(result)


def test_reference_data_marks_2026_admin_claims_benchmarks_as_placeholders(reference_2026):
    """The flag the rule reads comes from CMS's own data (converted into rulebooks/2026/reference)."""
    assert reference_2026.benchmark("479", "administrativeClaims").placeholder is True
    assert reference_2026.benchmark("236", "electronicHealthRecord").placeholder is False


def test_complex_organization_adjustment_is_inherited_from_2025(case, score_2026, quality_measure):
    measures = [quality_measure(f"9{i:02d}", "electronicHealthRecord", rate="55") for i in range(8)]
    result = score_2026(case(entity={"type": "apm_entity"}, categories={"quality": FROM_SUBMISSION}),
                        quality=measures)
    assert result.value("quality.complex_organization_adjustment") == D("6")

"""rulebooks/2025/pathways/app: the APM Performance Pathway in 2025.

Policy: full Improvement Activities credit is confirmed by CMS only for 2024 (unconfirmed for 2025);
the Medicare CQMs of the APP measures are allowed under APP Plus only (cms-qpp-measures-data 2025).
"""

from __future__ import annotations

from year_fixtures import FROM_SUBMISSION


def test_full_improvement_activities_credit_is_unconfirmed_in_2025(case, score_2025):
    result = score_2025(case(program="app1", entity={"type": "group", "tin": "123456789"}))
    assert result.value("ia.score") == 100
    assert "params.app_improvement_activities.credit_percent" in {u.name for u in result.unconfirmed}


def test_the_complex_organization_adjustment_applies_to_an_apm_entity(case, score_2025, quality_measure):
    measures = [quality_measure(m, "electronicHealthRecord", rate="55") for m in ("001", "134", "236")]
    result = score_2025(case(program="app1", entity={"type": "apm_entity"}, categories={"quality": FROM_SUBMISSION}),
                        quality=measures)
    assert result.value("quality.complex_organization_adjustment") == 3

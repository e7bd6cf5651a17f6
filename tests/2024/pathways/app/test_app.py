"""rulebooks/2024/pathways/app: the APM Performance Pathway in 2024.

Policy: qpp-app-quality-requirements-2024 (Shared Savings Program ACOs may report 001, 134 and 236 as
Medicare CQMs: 001SSP, 134SSP, 236SSP); qpp-app-improvement-activities-2024 (every APP reporter receives
100% of the Improvement Activities score, confirmed for 2024).
"""

from __future__ import annotations

from decimal import Decimal as D

from year_fixtures import FROM_SUBMISSION

ACO = {"type": "apm_entity"}


def test_a_medicare_cqm_counts_as_its_measure_of_the_set(case, score_2024, quality_measure):
    measures = [quality_measure("001SSP", "registry"), quality_measure("134", "electronicHealthRecord"),
                quality_measure("236SSP", "registry")]
    result = score_2024(case(program="app1", entity=ACO, categories={"quality": FROM_SUBMISSION}), quality=measures)
    assert sorted(m["set_measure_id"] for m in result.value("quality.counted")) == ["001", "134", "236"]
    assert result.value("quality.unreported") == ("321", "479", "484")


def test_the_same_measure_by_two_collection_types_counts_once(case, score_2024, quality_measure):
    measures = [quality_measure("236SSP", "registry", rate="55"), quality_measure("236", "electronicHealthRecord")]
    result = score_2024(case(program="app1", entity=ACO, categories={"quality": FROM_SUBMISSION}), quality=measures)
    assert [m["label"] for m in result.value("quality.counted")] == ["236 (electronicHealthRecord)"]


def test_full_improvement_activities_credit_is_confirmed_in_2024(case, score_2024):
    result = score_2024(case(program="app1", entity=ACO))
    assert result.value("ia.score") == 100
    assert "params.app_improvement_activities.credit_percent" not in {u.name for u in result.unconfirmed}
    assert result.value("final_score") == D(80) * D("0.5") + 20 + D(90) * D("0.3")

"""rulebooks/2026/pathways/app_plus: the APP Plus quality measure set of 2026.

Policy: the 2026 APP Plus set adds 113 and 484: 001, 112, 113, 134, 236, 321, 479, 484 (cms-qpp-measures-data
2026 appPlus; aafp-2026-app). CMS's 2026 benchmarks have no eCQM or MIPS CQM row for 112 and 113, so a
submitted 112 or 113 is left out of the achievement and available points: 60 available points instead of
80 (jmandel-mssp-scoring-rules, derived).
"""

from __future__ import annotations

from decimal import Decimal as D

from year_fixtures import FROM_SUBMISSION

ACO = {"type": "apm_entity"}
CMS = [{"measure_id": m, "achievement_points": D("7")} for m in ("321", "479", "484")]


def test_the_2026_set_has_eight_measures_and_80_points(case, score_2026, quality_measure):
    measures = [quality_measure(m, "electronicHealthRecord") for m in ("001", "112", "113", "134", "236")]
    result = score_2026(case(program="appPlus", entity=ACO, categories={"quality": FROM_SUBMISSION | {"measures": CMS}}),
                        quality=measures)
    assert result.value("quality.available_points") == 80


def test_112_and_113_without_benchmarks_leave_60_points(case, score_2026, reference_2026, quality_measure):
    assert reference_2026.benchmark("112", "electronicHealthRecord") is None
    assert reference_2026.benchmark("113", "electronicHealthRecord") is None
    measures = [quality_measure(m, "electronicHealthRecord", benchmark=None if m in ("112", "113") else
                                {"1": D("1"), "10": D("10"), "20": D("20"), "30": D("30"), "40": D("40"),
                                 "50": D("50"), "60": D("60"), "70": D("70"), "80": D("80"), "90": D("90"),
                                 "99": D("99")})
                for m in ("001", "112", "113", "134", "236")]
    result = score_2026(case(program="appPlus", entity=ACO, categories={"quality": FROM_SUBMISSION | {"measures": CMS}}),
                        quality=measures)
    assert result.value("quality.excluded") == ("112", "113")
    assert result.value("quality.available_points") == 60

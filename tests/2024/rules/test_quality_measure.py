"""rules/quality_measure.yaml under the 2024 rulebook: data completeness rises to 75%.

Policy: MIPS-FACTS 1c (70% in 2023, 75% from 2024; measures failing data completeness score 0, small
practices 3). Measures are built as a QPP submission would give them (conftest `quality_measure`).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from engine.api import score as engine_score
from engine.case.facts import SubmittedCategory

FROM_SUBMISSION = {"status": "submitted", "from_submission": True}


def only_measure(result):
    (measure,) = result.value("quality.measures")
    return measure


@pytest.mark.parametrize("completeness, meets, scoring, points", [
    pytest.param("70", False, "no_data_completeness", D("0"), id="70.00 met in 2023 fails in 2024: 0 points"),
    pytest.param("74.99", False, "no_data_completeness", D("0"), id="74.99 just below 75: 0 points"),
    pytest.param("75.00", True, "benchmarked", D("9.5"), id="75.00 exactly: benchmarked, 85% in a flat benchmark = 9.5"),
    pytest.param("75.01", True, "benchmarked", D("9.5"), id="75.01 just above: benchmarked"),
])
def test_data_completeness_boundary_at_75(case, score_2024, quality_measure, completeness, meets, scoring, points):
    result = score_2024(case(categories={"quality": FROM_SUBMISSION}),
                        quality=[quality_measure(completeness=completeness)])
    measure = only_measure(result)
    assert measure["meets_data_completeness"] is meets
    assert measure["scoring"] == scoring
    assert measure["points"] == points


def test_small_practice_measure_below_75_scores_3(case, score_2024, quality_measure):
    result = score_2024(case(practice={"clinician_count": 5}, categories={"quality": FROM_SUBMISSION}),
                        quality=[quality_measure(completeness="74.99")])
    assert only_measure(result)["points"] == D("3")


def test_same_measure_at_74_99_is_benchmarked_in_2023(case, quality_measure, rulebook_2023):
    """The boundary moved: the 2023 rulebook (70%) scores the same record against its benchmark."""
    result = engine_score(case(performance_year=2023, categories={"quality": FROM_SUBMISSION}), rulebook_2023,
                          submitted={"quality": SubmittedCategory((quality_measure(completeness="74.99"),), None, "t")})
    assert only_measure(result)["scoring"] == "benchmarked"


def test_real_2024_benchmark_236_ecqm(case, score_2024, quality_measure, reference_2024):
    """236 eCQM against the PY2024 benchmark: a rate at or above p90 is a flat 10."""
    bench = reference_2024.benchmark("236", "electronicHealthRecord")
    top = bench.percentiles["90"]
    result = score_2024(case(categories={"quality": FROM_SUBMISSION}),
                        quality=[quality_measure(rate=top, benchmark=dict(bench.percentiles))])
    assert only_measure(result)["points"] == D("10")
    assert result.value("quality.achievement_points") == D("10")
    assert result.value("quality.available_points") == D("60")

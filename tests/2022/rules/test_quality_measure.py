"""rules/quality_measure.yaml under the 2022 rulebook: points against the 2022 `deciles` benchmarks.

Policy: FORMATS-AND-BENCHMARKS section 4 (PY<=2022 `deciles` = 9 inclusive lower bounds of deciles
2..10, decile 1 implied from 0, or 100 for inverse measures; rates rounded to 2 decimals from PY2022);
WORKED-EXAMPLES A4 (empty decile, inclusive bounds: 27.81 gives 4 points, below gives 3); MIPS-FACTS
1c (PY2022: benchmarked measures 3-10 points; without benchmark 3 points; failing data completeness 0,
small practice 3; data completeness 70%; case minimum 20; topped-out cap 7; new-measure floors 7/5).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

A4_DECILES = ("0", "27.81", "27.81", "32.3", "37.13", "41.54", "46.93", "52.41", "60.3")
"""WORKED-EXAMPLES A4 (CMSgov/qpp-measures-data PR #109): decile 3 is empty, decile 4 starts at 27.81."""


# --- the decile format of 2022 -------------------------------------------------------------------------

@pytest.mark.parametrize("rate, points, decile", [
    pytest.param("27.81", D("4"), D("4"), id="A4: exactly 27.81 is the inclusive bound of decile 4 (decile 3 empty): 4 points"),
    pytest.param("27.80", D("3"), D("2"), id="A4: 27.80 just below 27.81 is decile 2, floored to 3 points"),
    pytest.param("0", D("3"), D("2"), id="A4: 0 is decile 2 (its bound 0 equals decile 1's implied 0): 3 points"),
    pytest.param("32.3", D("5"), D("5"), id="A4: exactly 32.3 starts decile 5: 5 points"),
    pytest.param("60.3", D("10"), D("10"), id="A4: exactly 60.3 reaches decile 10: a flat 10"),
    pytest.param("99", D("10"), D("10"), id="A4: any rate above 60.3 scores 10"),
])
def test_worked_example_a4_empty_decile_and_inclusive_bounds(measure_points, rate, points, decile):
    assert measure_points(rate=rate, deciles=A4_DECILES) == (points, "benchmarked", decile)


def test_decile_bounds_chain_the_implied_zero_before_the_nine_bounds(case, score_2022, quality_measure):
    result = score_2022(case(categories={"quality": {"status": "submitted", "from_submission": True}}),
                        quality=[quality_measure(rate="50", deciles=A4_DECILES)])
    [measure] = result.value("quality.measures")
    assert list(measure["decile_bounds"]) == [D(x) for x in ("0",) + A4_DECILES]


@pytest.mark.parametrize("rate, points, decile", [
    pytest.param("85", D("3"), D("2"), id="inverse 85% lies in decile 2 (100, 80]: 2.75 floored to 3"),
    pytest.param("80", D("3"), D("3"), id="inverse exactly 80 reaches decile 3: 3 points"),
    pytest.param("75", D("3.5"), D("3"), id="inverse 75 is halfway from 80 to 70: 3.5 points"),
    pytest.param("10", D("10"), D("10"), id="inverse exactly 10 (decile 10 bound) scores 10"),
    pytest.param("0", D("10"), D("10"), id="inverse 0 scores 10"),
])
def test_inverse_measure_counts_down_from_100(measure_points, rate, points, decile):
    # measure 001 in the 2022 benchmarks (claims, registry, eCQM): 100, 80, 70, ..., 10
    deciles = ("100", "80", "70", "60", "50", "40", "30", "20", "10")
    assert measure_points(rate=rate, deciles=deciles, inverse=True) == (points, "benchmarked", decile)


def test_rate_is_rounded_to_two_decimals_before_the_lookup(measure_points):
    # 27.805 rounds half up to 27.81: decile 4, 4 points; unrounded it would lie in decile 2
    assert measure_points(rate="27.805", deciles=A4_DECILES) == (D("4"), "benchmarked", D("4"))
    assert measure_points(rate="27.8049", deciles=A4_DECILES)[0] == D("3")


# --- the 3-point floor ---------------------------------------------------------------------------------

@pytest.mark.parametrize("rate, points", [
    pytest.param("5", D("3"), id="rate 5 in decile 1 [0, 10) scores the floor 3"),
    pytest.param("15", D("3"), id="rate 15 in decile 2 (2.5) scores the floor 3"),
    pytest.param("19.99", D("3"), id="rate 19.99 just below decile 3 scores 3"),
    pytest.param("20", D("3"), id="rate 20 exactly at decile 3 scores 3"),
    pytest.param("25", D("3.5"), id="rate 25 halfway through decile 3 scores 3.5"),
])
def test_benchmarked_measure_below_decile_3_scores_3(measure_points, rate, points):
    assert measure_points(rate=rate)[0] == points


def test_floor_parameter_is_3_and_confirmed(rulebook_2022):
    floor = rulebook_2022.parameters["params.quality.minimum_points"]
    assert (floor.value, floor.status) == (D("3"), "confirmed")


# --- measures not scored against a benchmark -----------------------------------------------------------

@pytest.mark.parametrize("fields, small, points, scoring", [
    pytest.param({"deciles": None}, False, D("3"), "no_benchmark", id="no benchmark, meets DC: 3 (0 from 2023)"),
    pytest.param({"deciles": None}, True, D("3"), "no_benchmark", id="no benchmark, small practice: 3"),
    pytest.param({"cases": 19}, False, D("3"), "below_case_minimum", id="19 cases, below the case minimum of 20: 3"),
    pytest.param({"cases": 20}, False, D("9.5"), "benchmarked", id="20 cases exactly meets the case minimum"),
    pytest.param({"completeness": "69.99"}, False, D("0"), "no_data_completeness", id="DC 69.99% fails 70%: 0"),
    pytest.param({"completeness": "69.99"}, True, D("3"), "no_data_completeness", id="DC 69.99%, small practice: 3"),
    pytest.param({"completeness": "70"}, False, D("9.5"), "benchmarked", id="DC exactly 70% meets it (75% from 2024)"),
    pytest.param({"rate": None}, False, D("3"), "no_performance_rate", id="no performance rate: as without benchmark, 3"),
])
def test_unbenchmarked_measures(measure_points, fields, small, points, scoring):
    got_points, got_scoring, _ = measure_points(small=small, **({"rate": "85"} | fields))
    assert (got_points, got_scoring) == (points, scoring)


# --- cap and new-measure floors ------------------------------------------------------------------------

@pytest.mark.parametrize("fields, points", [
    pytest.param({"rate": "95", "topped_out_by_program": True}, D("7"), id="topped out by program: 10 capped at 7"),
    pytest.param({"rate": "15", "first_year": 2022}, D("7"), id="first year in MIPS (2022): floor 7"),
    pytest.param({"rate": "15", "first_year": 2021}, D("5"), id="second year in MIPS (2021): floor 5"),
    pytest.param({"rate": "15", "first_year": 2020}, D("3"), id="third year in MIPS: the 3-point floor"),
])
def test_cap_and_new_measure_floors(measure_points, fields, points):
    assert measure_points(**fields)[0] == points

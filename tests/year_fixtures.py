"""Fixtures shared by the year test folders that extend PY2023 (tests/2024, tests/2025, tests/2026).

`year_fixtures(YEAR)` returns the fixtures a year's conftest installs: `rulebook_YEAR`, `reference_YEAR`,
`case(**overrides)` (the shared base case moved to YEAR), `score_YEAR(case, quality=..., pi=..., pi_days=...,
ia=...)` which scores with measure records standing in for a QPP submission (give the category in the
case as {"status": "submitted", "from_submission": True}), and the record builders `quality_measure`,
`pi_measure` and `activity` with the fields engine/case/submissions.py gives them.
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any, Callable

import pytest

from engine.api import rulebook_for
from engine.api import score as engine_score
from engine.case.facts import SubmittedCategory
from engine.expr import Record
from engine.reference.loader import load_reference

FROM_SUBMISSION = {"status": "submitted", "from_submission": True}
FLAT_BENCHMARK = {"1": D("1"), "10": D("10"), "20": D("20"), "30": D("30"), "40": D("40"), "50": D("50"),
                  "60": D("60"), "70": D("70"), "80": D("80"), "90": D("90"), "99": D("99")}
"""A flat benchmark (as CMS gives measures 001 and 236 MIPS CQM): a rate of r% in decile d earns d + share."""


def _dec(value: Any) -> Any:
    return None if value is None else D(str(value))


def year_fixtures(year: int) -> dict[str, Any]:
    """The fixtures of one performance year, keyed by the names a conftest module exposes them under."""

    @pytest.fixture(scope="session", name=f"rulebook_{year}")
    def rulebook():
        return rulebook_for(str(year))

    @pytest.fixture(scope="session", name=f"reference_{year}")
    def reference():
        return load_reference(year)

    @pytest.fixture(name="case")
    def case(make_case) -> Callable[..., Any]:
        return lambda **overrides: make_case(**({"performance_year": year} | overrides))

    @pytest.fixture(name=f"score_{year}")
    def score(request) -> Callable[..., Any]:
        book = request.getfixturevalue(f"rulebook_{year}")

        def run(case, quality=None, pi=None, pi_days=366, ia=None, ia_days=90):
            submitted = {}
            if quality is not None:
                submitted["quality"] = SubmittedCategory(tuple(quality), None, "test-quality")
            if pi is not None:
                submitted["pi"] = SubmittedCategory(tuple(pi), pi_days, "test-pi")
            if ia is not None:
                submitted["ia"] = SubmittedCategory(tuple(ia), ia_days, "test-ia")
            return engine_score(case, book, submitted=submitted)
        return run

    @pytest.fixture(name="quality_measure")
    def quality_measure() -> Callable[..., Record]:
        def build(measure_id: str = "236", collection_type: str = "electronicHealthRecord", *, rate: Any = "85",
                  completeness: Any = "100", cases: Any = 50, benchmark: dict | None = FLAT_BENCHMARK,
                  measure_type: str = "intermediateOutcome", high_priority: bool = True, inverse: bool = False,
                  topped_out_by_program: bool = False, cap_removed: bool = False, first_year: int = 2017,
                  placeholder: bool = False) -> Record:
            return Record({
                "measure_id": measure_id, "collection_type": collection_type, "title": f"measure {measure_id}",
                "measure_type": measure_type, "is_high_priority": high_priority, "is_inverse": inverse,
                "performance_rate": _dec(rate), "data_completeness": _dec(completeness), "case_count": _dec(cases),
                "benchmark": Record(benchmark) if benchmark is not None else None, "benchmark_deciles": None,
                "benchmark_year": D(year - 2), "benchmark_placeholder": placeholder,
                "topped_out_by_program": topped_out_by_program, "seven_point_cap_removed": cap_removed,
                "first_performance_year": D(first_year),
            })
        return build

    @pytest.fixture(name="pi_measure")
    def pi_measure(request) -> Callable[..., Record]:
        known_measures = request.getfixturevalue(f"reference_{year}").pi_measures

        def build(measure_id: str, value: bool | None = None, numerator: int | None = None,
                  denominator: int | None = None) -> Record:
            known = known_measures.get(measure_id)
            return Record({
                "measure_id": measure_id, "title": known.title if known else measure_id,
                "objective": known.objective if known else "unknown", "value": value,
                "numerator": _dec(numerator), "denominator": _dec(denominator),
                "is_required": known.is_required if known else False, "is_bonus": known.is_bonus if known else False,
                "reporting_category": known.reporting_category if known else None,
            })
        return build

    @pytest.fixture(name="activity")
    def activity() -> Callable[..., Record]:
        def build(measure_id: str = "IA_EPA_1", value: bool = True, weight: str | None = None) -> Record:
            return Record({"measure_id": measure_id, "title": f"activity {measure_id}", "weight": weight,
                           "value": value})
        return build

    return {f"_fixture_{name}": fixture for name, fixture in (
        ("rulebook", rulebook), ("reference", reference), ("case", case), ("score", score),
        ("quality_measure", quality_measure), ("pi_measure", pi_measure), ("activity", activity))}

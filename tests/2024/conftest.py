"""Fixtures for the 2024 rulebook tests.

`case(**overrides)` is the shared base case (tests/conftest.py) moved to performance year 2024.
`score_2024(case, quality=..., pi=..., pi_days=..., ia=...)` scores it under the 2024 rulebook, with
measure records standing in for a QPP submission (engine.case.facts.SubmittedCategory): give the
category in the case as {"status": "submitted", "from_submission": True}. `quality_measure`,
`pi_measure` and `activity` build those records with the fields engine/case/submissions.py gives them.
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

YEAR = 2024
FROM_SUBMISSION = {"status": "submitted", "from_submission": True}
FLAT_BENCHMARK = {"1": D("1"), "10": D("10"), "20": D("20"), "30": D("30"), "40": D("40"), "50": D("50"),
                  "60": D("60"), "70": D("70"), "80": D("80"), "90": D("90"), "99": D("99")}
"""A flat benchmark (as CMS gives measures 001 and 236 MIPS CQM): a rate of r% in decile d earns d + share."""


@pytest.fixture(scope="session")
def rulebook_2024():
    return rulebook_for("2024")


@pytest.fixture(scope="session")
def reference_2024():
    return load_reference(2024)


@pytest.fixture
def case(make_case) -> Callable[..., Any]:
    def build(**overrides: Any):
        return make_case(**({"performance_year": YEAR} | overrides))
    return build


@pytest.fixture
def score_2024(rulebook_2024):
    def run(case, quality=None, pi=None, pi_days=366, ia=None, ia_days=90):
        submitted = {}
        if quality is not None:
            submitted["quality"] = SubmittedCategory(tuple(quality), None, "test-quality")
        if pi is not None:
            submitted["pi"] = SubmittedCategory(tuple(pi), pi_days, "test-pi")
        if ia is not None:
            submitted["ia"] = SubmittedCategory(tuple(ia), ia_days, "test-ia")
        return engine_score(case, rulebook_2024, submitted=submitted)
    return run


def _dec(value: Any) -> Any:
    return None if value is None else D(str(value))


@pytest.fixture
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
            "benchmark_year": D(YEAR - 2), "benchmark_placeholder": placeholder,
            "topped_out_by_program": topped_out_by_program, "seven_point_cap_removed": cap_removed,
            "first_performance_year": D(first_year),
        })
    return build


@pytest.fixture
def pi_measure(reference_2024) -> Callable[..., Record]:
    def build(measure_id: str, value: bool | None = None, numerator: int | None = None,
              denominator: int | None = None) -> Record:
        known = reference_2024.pi_measures.get(measure_id)
        return Record({
            "measure_id": measure_id, "title": known.title if known else measure_id,
            "objective": known.objective if known else "unknown", "value": value,
            "numerator": _dec(numerator), "denominator": _dec(denominator),
            "is_required": known.is_required if known else False, "is_bonus": known.is_bonus if known else False,
            "reporting_category": known.reporting_category if known else None,
        })
    return build


@pytest.fixture
def activity() -> Callable[..., Record]:
    def build(measure_id: str = "IA_EPA_1", value: bool = True, weight: str | None = None) -> Record:
        return Record({"measure_id": measure_id, "title": f"activity {measure_id}", "weight": weight, "value": value})
    return build

"""Fixtures for QPP submission tests: document builders, a file writer, and reference data.

Documents are plain dicts built with the `doc` fixture's helpers (doc.individual(doc.quality_set(
doc.single("236", 98, 30, 140)))), written to a tmp file as JSON (`write`), then read and validated as a
user's file would be. `reference_2023` is the project's converted CMS data; `mini_reference` is a small,
hand-built year (2023) whose measures cover every value shape and every overallAlgorithm.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pytest

from engine.errors import CaseError
from engine.qpp.measurements import SubmissionFacts, derive_facts
from engine.qpp.reader import read_submission
from engine.qpp.validate import validate_submission
from engine.reference.loader import load_reference
from engine.reference.models import (
    CostMeasure,
    ImprovementActivity,
    PIMeasure,
    QualityMeasure,
    ReferenceData,
    SourceInfo,
    Stratum,
)


class Doc:
    """Builders of submission documents (plain dicts) with valid defaults."""

    @staticmethod
    def quality_set(*measurements: dict[str, Any], method: str = "registry", **fields: Any) -> dict[str, Any]:
        return {"category": "quality", "submissionMethod": method, "programName": "mips",
                "performanceStart": "2023-01-01", "performanceEnd": "2023-12-31",
                "measurements": list(measurements)} | fields

    @staticmethod
    def pi_set(*measurements: dict[str, Any], **fields: Any) -> dict[str, Any]:
        return {"category": "pi", "submissionMethod": "registry", "cehrtId": "0015C01ABCDEF12",
                "performanceStart": "2023-07-01", "performanceEnd": "2023-09-28",
                "measurements": list(measurements)} | fields

    @staticmethod
    def ia_set(*measurements: dict[str, Any], **fields: Any) -> dict[str, Any]:
        return {"category": "ia", "submissionMethod": "registry", "performanceStart": "2023-04-01",
                "performanceEnd": "2023-06-29", "measurements": list(measurements)} | fields

    @staticmethod
    def individual(*sets: dict[str, Any], **fields: Any) -> dict[str, Any]:
        return {"entityType": "individual", "taxpayerIdentificationNumber": "123456789",
                "nationalProviderIdentifier": "1234567893", "performanceYear": 2023,
                "measurementSets": list(sets)} | fields

    @staticmethod
    def single(measure_id: str, met: int, not_met: int | None, population: int, **fields: Any) -> dict[str, Any]:
        """A single-rate measurement; None counts are left out of the JSON."""
        value = {"isEndToEndReported": False, "performanceMet": met, "performanceNotMet": not_met,
                 "eligiblePopulation": population} | fields
        return {"measureId": measure_id, "value": {k: v for k, v in value.items() if v is not None}}

    @staticmethod
    def stratum(name: str, met: int, not_met: int, population: int, **fields: Any) -> dict[str, Any]:
        return {"stratum": name, "performanceMet": met, "performanceNotMet": not_met,
                "eligiblePopulation": population} | fields

    @staticmethod
    def multi(measure_id: str, *strata: dict[str, Any], **fields: Any) -> dict[str, Any]:
        return {"measureId": measure_id, "value": {"isEndToEndReported": True, "strata": list(strata)} | fields}

    @staticmethod
    def attest(measure_id: str, value: Any = True) -> dict[str, Any]:
        return {"measureId": measure_id, "value": value}

    @staticmethod
    def proportion(measure_id: str, numerator: int, denominator: int) -> dict[str, Any]:
        return {"measureId": measure_id, "value": {"numerator": numerator, "denominator": denominator}}


@pytest.fixture(scope="session")
def doc() -> type[Doc]:
    return Doc


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write a document (dict as JSON, or text as is) to a tmp file and return its path."""
    def run(document: dict[str, Any] | str, name: str = "submission.json") -> Path:
        path = tmp_path / name
        path.write_text(document if isinstance(document, str) else json.dumps(document, indent=2),
                        encoding="utf-8")
        return path
    return run


@pytest.fixture(scope="session")
def reference_2023() -> ReferenceData:
    return load_reference(2023)


def _quality(measure_id: str, metric_type: str, *, strata: tuple[str, ...] = (), algorithm: str | None = None,
             qcdr: bool = False, methods: tuple[str, ...] = ("registry", "electronicHealthRecord"),
             programs: tuple[str, ...] = ("mips", "app1")) -> QualityMeasure:
    return QualityMeasure(id=measure_id, title=measure_id, measure_type="process", is_high_priority=False,
                          is_inverse=False, metric_type=metric_type, overall_algorithm=algorithm,
                          strata=tuple(Stratum(name=s) for s in strata), allowed_programs=programs,
                          submission_methods=methods, is_registry_measure=qcdr)


def _pi(measure_id: str, metric_type: str, exclusions: tuple[str, ...] = (),
        substitutes: tuple[str, ...] = ()) -> PIMeasure:
    return PIMeasure(id=measure_id, title=measure_id, objective="test", metric_type=metric_type,
                     is_required=False, is_bonus=False, exclusions=exclusions, substitutes=substitutes)


MINI_QUALITY = [
    _quality("CQM", "singlePerformanceRate"),
    _quality("QCDR", "registrySinglePerformanceRate", qcdr=True, methods=("registry",)),
    _quality("RATIO", "nonProportion", qcdr=True, methods=("registry",)),
    _quality("SIMPLE", "multiPerformanceRate", strata=("early", "late", "overall"), algorithm="simpleAverage"),
    _quality("WEIGHTED", "multiPerformanceRate", strata=("adolescents", "adults", "overall"),
             algorithm="weightedAverage"),
    _quality("SUMNUM", "multiPerformanceRate", strata=("first", "second"), algorithm="sumNumerators"),
    _quality("OVERALLONLY", "multiPerformanceRate", strata=("screened", "overall"), algorithm="overallStratumOnly"),
    _quality("SPLIT", "multiPerformanceRate", strata=("reporting", "performance"), algorithm="split"),
    _quality("QCDRMULTI", "registryMultiPerformanceRate", strata=("hip", "knee"), algorithm="weightedAverage",
             qcdr=True, methods=("registry",)),
    _quality("NOALGO", "multiPerformanceRate", strata=("a", "b")),
]


@pytest.fixture(scope="session")
def mini_reference() -> ReferenceData:
    return ReferenceData(
        year=2023,
        source=SourceInfo(repository="tests", commit="0" * 40, files=(), cite="cms-qpp-measures-data",
                          converted_by="tests/qpp/conftest.py"),
        quality_measures={m.id: m for m in MINI_QUALITY},
        benchmarks={},
        improvement_activities={"IA_ONE": ImprovementActivity(id="IA_ONE", title="one", weight="medium",
                                                              allowed_programs=("mips",))},
        pi_measures={m.id: m for m in [_pi("PI_ATTEST", "boolean"), _pi("PI_PROP", "proportion")]},
        cost_measures={"COST_1": CostMeasure(id="COST_1", title="cost", is_inverse=False)},
    )


@pytest.fixture
def problems(write: Callable[..., Path], reference_2023: ReferenceData) -> Callable[..., list[tuple[str, str]]]:
    """(path, message) of every problem reading + validating a document (none: an empty list)."""
    def run(document: dict[str, Any] | str, reference: ReferenceData | None = None,
            name: str = "submission.json") -> list[tuple[str, str]]:
        try:
            submission, located, display = read_submission(write(document, name))
            validate_submission(submission, reference or reference_2023, located, display)
        except CaseError as exc:
            return [(p.path, p.message) for p in exc.problems]
        return []
    return run


@pytest.fixture
def facts(write: Callable[..., Path], mini_reference: ReferenceData) -> Callable[..., SubmissionFacts]:
    """Facts of a document that must validate cleanly (under `mini_reference` unless given)."""
    def run(document: dict[str, Any], reference: ReferenceData | None = None) -> SubmissionFacts:
        reference = reference or mini_reference
        submission, located, display = read_submission(write(document))
        validate_submission(submission, reference, located, display)
        return derive_facts(submission, reference)
    return run

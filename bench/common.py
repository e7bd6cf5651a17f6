"""What the benchmarks share: generated cases and submissions, and timing of paired measurements."""

from __future__ import annotations

import json
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from engine.case.models import Case
from engine.reference.models import ReferenceData
from engine.rulebook.compiled import Rulebook

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Timing:
    """Repeated measurements in seconds: elapsed time, and the processor time of this process."""

    values: list[float]
    cpu: list[float] | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu) if self.cpu else None

    @property
    def p95(self) -> float:
        ordered = sorted(self.values)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def paired(runs: int, engine: Callable[[int], object], reference: Callable[[int], object]) -> tuple[Timing, Timing]:
    """Time `engine(i)` and `reference(i)` alternately, so that both see the same machine load."""
    timer, clock = time.perf_counter, time.process_time
    first, first_cpu, second = [], [], []
    for i in range(runs):
        start, start_cpu = timer(), clock()
        engine(i)
        middle, middle_cpu = timer(), clock()
        reference(i)
        end = timer()
        first.append(middle - start)
        first_cpu.append(middle_cpu - start_cpu)
        second.append(end - middle)
    return Timing(first, first_cpu), Timing(second)


def timed(runs: int, action: Callable[[int], object]) -> Timing:
    timer, clock = time.perf_counter, time.process_time
    values, cpu = [], []
    for i in range(runs):
        start, start_cpu = timer(), clock()
        action(i)
        values.append(timer() - start)
        cpu.append(clock() - start_cpu)
    return Timing(values, cpu)


def show(value: float) -> str:
    """Seconds in the unit that suits them."""
    if value < 1e-3:
        return f"{value * 1e6:.0f} µs"
    if value < 1:
        return f"{value * 1e3:.2f} ms"
    return f"{value:.2f} s"


def generate_cases(rulebook: Rulebook, count: int, seed: int) -> list[Case]:
    """Random but valid summary cases covering every status and reason of the rulebook, of each entity type
    scored by default as an individual is."""
    rng = random.Random(seed)
    inputs = rulebook.case_inputs
    # the entity types scored by an individual's reporting option by default (the plain-Python reference
    # computes that option's final score; the others must name their program or have rules of their own)
    usual = rulebook.pathway_defaults["individual"].default.pathway
    entity_types = [t for t in inputs.entity_types
                    if t in rulebook.pathway_defaults and rulebook.pathway_defaults[t].default.pathway == usual]
    cases = []
    for index in range(count):
        categories = {}
        for name, spec in inputs.categories.items():
            status = rng.choice(spec.statuses)
            entry: dict = {"status": status}
            if status == "submitted":
                top = spec.score_max if spec.score_max is not None else Decimal(60)
                if isinstance(top, str):
                    top = rulebook.parameter_value(top)
                entry["score"] = Decimal(rng.randint(0, int(top) * 100)) / 100
            elif status == "reweighted":
                entry["reason"] = rng.choice([r for r, s in inputs.reweighting_reasons.items()
                                              if s.case_input and name in s.categories])
            categories[name] = entry
        cases.append(Case.model_validate({
            "case_id": f"bench-{index}",
            "performance_year": rulebook.year,
            "entity": {"type": rng.choice(entity_types)},
            "practice": {"clinician_count": rng.randint(1, 60)},
            "special_statuses": rng.sample(list(inputs.special_statuses), rng.randint(0, 2)),
            "apm_participant": rng.random() < 0.2,
            "automatic_euc": rng.random() < 0.15,
            "categories": categories,
            "bonuses": {"complex_patient": Decimal(rng.randint(0, 1200)) / 100} if rng.random() < 0.5 else {},
        }))
    return cases


def quality_submission(reference: ReferenceData, count: int, seed: int) -> dict:
    """A QPP JSON individual submission (PY of `reference`) with `count` benchmarked registry quality measures."""
    rng = random.Random(seed)
    benchmarked = sorted({b.measure_id for b in reference.benchmarks.values() if b.submission_method == "registry"})
    usable = [m for m in benchmarked if reference.quality_measures[m].metric_type == "singlePerformanceRate"
              and "registry" in reference.quality_measures[m].submission_methods
              and "mips" in reference.quality_measures[m].allowed_programs]
    if len(usable) < count:
        raise SystemExit(f"only {len(usable)} benchmarked registry measures in {reference.year}, asked for {count}")
    measurements = []
    for measure_id in sorted(rng.sample(usable, count)):
        population = rng.randint(40, 400)
        met = rng.randint(0, population)
        measurements.append({"measureId": measure_id, "value": {
            "isEndToEndReported": False, "performanceMet": met, "performanceNotMet": population - met,
            "eligiblePopulation": population}})
    year = reference.year
    return {"entityType": "individual", "taxpayerIdentificationNumber": "123456789",
            "nationalProviderIdentifier": "1234567893", "performanceYear": year,
            "measurementSets": [{"category": "quality", "submissionMethod": "registry", "programName": "mips",
                                 "performanceStart": f"{year}-01-01", "performanceEnd": f"{year}-12-31",
                                 "measurements": measurements}]}


def write_json(path: Path, document: dict) -> Path:
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path

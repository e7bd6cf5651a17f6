"""Join a validated QPP submission with the year's reference data into the records rules read."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from engine.case.facts import SubmittedCategory
from engine.errors import CaseError
from engine.expr import Record
from engine.memo import derived
from engine.qpp.measurements import IAActivity, PIMeasurement, QualityMeasurement, SubmissionFacts
from engine.reference.models import ReferenceData

ENTITY_TYPES = {"individual": "individual", "group": "group", "virtualGroup": "virtual_group",
                "apm": "apm_entity", "subgroup": "subgroup"}
"""QPP JSON entityType -> the case's entity type."""


def _dec(value: Any) -> Any:
    if type(value) is int:
        return Decimal(value)
    return Decimal(value) if isinstance(value, int) and not isinstance(value, bool) else value


def quality_record(m: QualityMeasurement, reference: ReferenceData) -> Record:
    (title, measure_type, high_priority, inverse, benchmark, deciles, benchmark_year, placeholder, topped_out,
     cap_removed, first_year) = _measure_fields(reference, m.measure_id, m.collection_type)
    return Record({
        "measure_id": m.measure_id,
        "collection_type": m.collection_type,
        "title": title,
        "measure_type": measure_type,
        "is_high_priority": high_priority,
        "is_inverse": inverse,
        "performance_rate": m.performance_rate,
        "data_completeness": m.data_completeness,
        "case_count": _dec(m.case_count),
        "benchmark": Record(benchmark) if benchmark is not None else None,
        "benchmark_deciles": deciles,
        "benchmark_year": benchmark_year,
        "benchmark_placeholder": placeholder,
        "topped_out_by_program": topped_out,
        "seven_point_cap_removed": cap_removed,
        "first_performance_year": first_year,
    })


def _measure_fields(reference: ReferenceData, measure_id: str, collection_type: str) -> tuple[Any, ...]:
    """What a quality record takes from the year's reference data for a measure and collection type
    (found once per reference data, measure and collection type)."""
    found: dict[tuple[str, str], tuple[Any, ...]] = derived(reference, "submissions.measure_fields", dict)
    fields = found.get((measure_id, collection_type))
    if fields is None:
        measure = reference.quality_measures[measure_id]
        bench = reference.benchmark(measure_id, collection_type)
        fields = found[(measure_id, collection_type)] = (
            measure.title, measure.measure_type, measure.is_high_priority,
            bench.is_inverse if bench else measure.is_inverse,
            dict(bench.percentiles) if bench and bench.percentiles else None,
            bench.deciles if bench and bench.deciles else None,
            _dec(bench.benchmark_year) if bench else None,
            bench.placeholder if bench else False,
            bench.is_topped_out_by_program if bench else False,
            collection_type in measure.seven_point_cap_removed,
            _dec(measure.first_performance_year))
    return fields


def pi_record(m: PIMeasurement, reference: ReferenceData) -> Record:
    measure = reference.pi_measures[m.measure_id]
    return Record({
        "measure_id": m.measure_id, "title": measure.title, "objective": measure.objective,
        "value": m.value, "numerator": _dec(m.numerator), "denominator": _dec(m.denominator),
        "is_required": measure.is_required, "is_bonus": measure.is_bonus,
        "reporting_category": measure.reporting_category,
    })


def ia_record(m: IAActivity, reference: ReferenceData) -> Record:
    activity = reference.improvement_activities[m.activity_id]
    return Record({"measure_id": m.activity_id, "title": activity.title, "weight": activity.weight,
                   "value": m.value})


def submitted_categories(facts: list[tuple[str, SubmissionFacts]], reference: ReferenceData) -> dict[str, SubmittedCategory]:
    """Categories supplied by one or more submissions; quality measures combine across files and methods."""
    found: dict[str, SubmittedCategory] = {}
    for name, sub in facts:
        parts = {
            "quality": (tuple(quality_record(m, reference) for m in sub.quality), None),
            "pi": (tuple(pi_record(m, reference) for m in sub.pi), sub.pi[0].period.days if sub.pi else None),
            "ia": (tuple(ia_record(m, reference) for m in sub.ia), sub.ia[0].period.days if sub.ia else None),
        }
        for category, (records, days) in parts.items():
            if not records:
                continue
            if category in found and category != "quality":
                raise CaseError(f"{name}: {category} data also come from {found[category].source_file}; "
                                "give each case one Promoting Interoperability and one Improvement Activities set "
                                "(CMS scores conflicting PI submissions 0)")
            earlier = found.get(category)
            found[category] = SubmittedCategory(
                (earlier.measurements if earlier else ()) + records, days,
                f"{earlier.source_file}, {name}" if earlier else name)
    return found

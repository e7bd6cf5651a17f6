"""Per-measure facts of a validated submission: raw counts and CMS's rates, exact and unrounded."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from engine.qpp.models import (
    MeasurementSet,
    MeasurementValue,
    MultiPerformanceRate,
    NonProportion,
    PerformanceStratum,
    Proportion,
    RegistryMultiPerformanceRate,
    RegistrySinglePerformanceRate,
    SinglePerformanceRate,
    Submission,
    read_value,
)
from engine.qpp.rates import Counts, case_count, data_completeness, overall, percent, performance_rate, quotient, stratum_rate
from engine.reference.models import QualityMeasure, ReferenceData

_STRATUM_FORMULA_ALGORITHMS = ("simpleAverage", "overallStratumOnly")


class PerformancePeriod(NamedTuple):
    start: date
    end: date
    days: int
    """Days in the period, both ends included."""


class StratumFacts(NamedTuple):
    name: str
    counts: Counts
    performance_rate: Decimal | None
    """This stratum's rate by the formula its measure's overallAlgorithm uses (percent)."""
    data_completeness: Decimal | None
    case_count: int


class NonProportionCounts(NamedTuple):
    numerator: Decimal
    denominator: Decimal
    observation_instances: int
    numerator_exclusion: Decimal | None
    denominator_exception: Decimal | None


class QualityMeasurement(NamedTuple):
    path: str
    """Where the measurement is in the file, e.g. measurementSets[0].measurements[3]."""
    measure_id: str
    collection_type: str
    """The set's submissionMethod: registry (MIPS CQM / QCDR) or electronicHealthRecord (eCQM)."""
    program: str
    metric_type: str
    overall_algorithm: str | None
    is_end_to_end_reported: bool
    period: PerformancePeriod
    counts: Counts | None
    """Single-rate measurements."""
    strata: tuple[StratumFacts, ...]
    """Multi-rate measurements, in the measure's strata order."""
    non_proportion: NonProportionCounts | None
    performance_rate: Decimal | None
    """CMS's formula, percent 0-100; None when its denominator is 0 and for nonProportion measures
    (sumNumerators: the summed performanceMet, as the docs define it)."""
    submitted_performance_rate: Decimal | None
    """The performanceRate a QCDR (registry* metricType) measurement writes itself."""
    data_completeness: Decimal | None
    """reportingRate, percent; None when the eligible population (or nonProportion denominator) is 0."""
    case_count: int | Decimal
    """Patients counted toward the case minimum (the nonProportion denominator, a JSON number)."""


class PIMeasurement(NamedTuple):
    path: str
    measure_id: str
    program: str
    submission_method: str
    period: PerformancePeriod
    cehrt_id: str | None
    value: bool | None
    """Boolean measures (attestations, exclusions)."""
    numerator: int | None
    denominator: int | None
    proportion: Decimal | None
    """numerator / denominator (0-1) for proportion measures; None when the denominator is 0."""


class IAActivity(NamedTuple):
    path: str
    activity_id: str
    program: str
    submission_method: str
    period: PerformancePeriod
    value: bool


class SubmissionFacts(NamedTuple):
    entity_type: str
    entity_id: str | None
    tin: str | None
    npi: str | None
    performance_year: int
    programs: dict[str, tuple[str, ...]]
    """Category (quality, pi, ia) -> the distinct programNames of its sets, in file order."""
    quality: tuple[QualityMeasurement, ...]
    pi: tuple[PIMeasurement, ...]
    ia: tuple[IAActivity, ...]


def _period(mset: MeasurementSet) -> PerformancePeriod:
    days = (mset.performanceEnd - mset.performanceStart).days + 1
    return PerformancePeriod(mset.performanceStart, mset.performanceEnd, days)


def _counts(value: SinglePerformanceRate | RegistrySinglePerformanceRate | PerformanceStratum) -> Counts:
    return Counts(value.performanceMet, value.performanceNotMet, value.eligiblePopulationExclusion,
                  value.eligiblePopulationException, value.eligiblePopulation,
                  value.numeratorExclusion if type(value) is RegistrySinglePerformanceRate else None)


def _stratum(name: str, counts: Counts, algorithm: str) -> StratumFacts:
    formula = stratum_rate if algorithm in _STRATUM_FORMULA_ALGORITHMS else performance_rate
    return StratumFacts(name, counts, formula(counts), data_completeness([counts]), case_count(counts, True))


_MULTI_RATE = (MultiPerformanceRate, RegistryMultiPerformanceRate)
_WRITTEN_RATE = (RegistrySinglePerformanceRate, RegistryMultiPerformanceRate)
"""Value models whose performanceRate the submitter writes (QCDR measures)."""


def _quality(mset: MeasurementSet, value: MeasurementValue, measure: QualityMeasure, path: str,
             period: PerformancePeriod) -> QualityMeasurement:
    counts: Counts | None = None
    strata: tuple[StratumFacts, ...] = ()
    ratio_counts: NonProportionCounts | None = None
    rate: Decimal | None = None
    kind = type(value)
    if kind is NonProportion:
        ratio_counts = NonProportionCounts(value.numerator, value.denominator, value.observationInstances,
                                           value.numeratorExclusion, value.denominatorException)
        reported = value.observationInstances + (value.denominatorException or 0) + (value.numeratorExclusion or 0)
        completeness, cases = percent(reported, value.denominator), value.denominator
    elif kind in _MULTI_RATE:
        by_name = {s.stratum: _counts(s) for s in value.strata}
        ordered = {s.name: by_name[s.name] for s in measure.strata}
        algorithm = measure.overall_algorithm or ""
        strata = tuple(_stratum(name, c, algorithm) for name, c in ordered.items())
        rate, completeness, cases = overall(algorithm, ordered)
    else:
        counts = _counts(value)
        rate, completeness = performance_rate(counts), data_completeness([counts])
        cases = case_count(counts, subtract_exclusions=kind is RegistrySinglePerformanceRate)
    return QualityMeasurement(
        path, measure.id, mset.submissionMethod, mset.programName, measure.metric_type, measure.overall_algorithm,
        value.isEndToEndReported, period, counts, strata, ratio_counts, rate,
        value.performanceRate if kind in _WRITTEN_RATE else None, completeness, cases)


def _pi(mset: MeasurementSet, measure_id: str, value: MeasurementValue, path: str,
        period: PerformancePeriod) -> PIMeasurement:
    if type(value) is Proportion:
        return PIMeasurement(path, measure_id, mset.programName, mset.submissionMethod, period, mset.cehrtId, None,
                             value.numerator, value.denominator, quotient(value.numerator, value.denominator))
    return PIMeasurement(path, measure_id, mset.programName, mset.submissionMethod, period, mset.cehrtId, value,
                         None, None, None)


def derive_facts(submission: Submission, reference: ReferenceData,
                 values: Mapping[tuple[int, int], MeasurementValue] | None = None) -> SubmissionFacts:
    """Facts of every measurement; `submission` must have passed `validate_submission` for `reference`,
    whose typed measurement values `values` are (read again where not given)."""
    quality: list[QualityMeasurement] = []
    pi: list[PIMeasurement] = []
    ia: list[IAActivity] = []
    programs: dict[str, list[str]] = {}
    typed = values or {}
    for set_index, mset in enumerate(submission.measurementSets):
        category, program = mset.category, mset.programName
        names = programs.setdefault(category, [])
        if program not in names:
            names.append(program)
        period = _period(mset)
        at = f"measurementSets[{set_index}].measurements["
        if category == "ia":
            ia += [IAActivity(f"{at}{index}]", m.measureId, program, mset.submissionMethod, period, m.value)
                   for index, m in enumerate(mset.measurements)]
            continue
        measures = reference.quality_measures if category == "quality" else reference.pi_measures
        for index, measurement in enumerate(mset.measurements):
            measure = measures[measurement.measureId]
            value = typed.get((set_index, index))
            if value is None:
                value = read_value(measure.metric_type, measurement.value)
            if category == "quality":
                quality.append(_quality(mset, value, measure, f"{at}{index}]", period))
            else:
                pi.append(_pi(mset, measurement.measureId, value, f"{at}{index}]", period))
    return SubmissionFacts(
        entity_type=submission.entityType, entity_id=submission.entityId,
        tin=submission.taxpayerIdentificationNumber, npi=submission.nationalProviderIdentifier,
        performance_year=submission.performanceYear,
        programs={category: tuple(names) for category, names in programs.items()},
        quality=tuple(quality), pi=tuple(pi), ia=tuple(ia))

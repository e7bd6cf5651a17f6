"""Per-measure facts of a validated submission: raw counts and CMS's rates, exact and unrounded."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
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
from engine.qpp.rates import (
    Counts,
    case_count,
    data_completeness,
    overall,
    percent,
    performance_rate,
    ratio,
    stratum_rate,
    to_decimal,
)
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
                  value.numeratorExclusion if isinstance(value, RegistrySinglePerformanceRate) else None)


def _stratum(name: str, counts: Counts, algorithm: str) -> StratumFacts:
    formula = stratum_rate if algorithm in _STRATUM_FORMULA_ALGORITHMS else performance_rate
    return StratumFacts(name, counts, to_decimal(formula(counts)), to_decimal(data_completeness([counts])),
                        case_count(counts, True))


def _quality(mset: MeasurementSet, value: MeasurementValue, measure: QualityMeasure, path: str,
             period: PerformancePeriod) -> QualityMeasurement:
    counts: Counts | None = None
    strata: tuple[StratumFacts, ...] = ()
    ratio_counts: NonProportionCounts | None = None
    rate: Fraction | None = None
    if isinstance(value, NonProportion):
        ratio_counts = NonProportionCounts(value.numerator, value.denominator, value.observationInstances,
                                           value.numeratorExclusion, value.denominatorException)
        reported = value.observationInstances + (value.denominatorException or 0) + (value.numeratorExclusion or 0)
        completeness, cases = percent(reported, value.denominator), value.denominator
    elif isinstance(value, (MultiPerformanceRate, RegistryMultiPerformanceRate)):
        by_name = {s.stratum: _counts(s) for s in value.strata}
        ordered = {s.name: by_name[s.name] for s in measure.strata}
        algorithm = measure.overall_algorithm or ""
        strata = tuple(_stratum(name, c, algorithm) for name, c in ordered.items())
        result = overall(algorithm, ordered)
        rate, completeness, cases = result.performance_rate, result.data_completeness, result.case_count
    else:
        counts = _counts(value)
        rate, completeness = performance_rate(counts), data_completeness([counts])
        cases = case_count(counts, subtract_exclusions=isinstance(value, RegistrySinglePerformanceRate))
    written = isinstance(value, (RegistrySinglePerformanceRate, RegistryMultiPerformanceRate))
    return QualityMeasurement(
        path=path, measure_id=measure.id, collection_type=mset.submissionMethod, program=mset.programName,
        metric_type=measure.metric_type, overall_algorithm=measure.overall_algorithm,
        is_end_to_end_reported=value.isEndToEndReported, period=period, counts=counts, strata=strata,
        non_proportion=ratio_counts, performance_rate=to_decimal(rate),
        submitted_performance_rate=value.performanceRate if written else None,
        data_completeness=to_decimal(completeness), case_count=cases)


def _pi(mset: MeasurementSet, measure_id: str, value: MeasurementValue, path: str,
        period: PerformancePeriod) -> PIMeasurement:
    where = (path, measure_id, mset.programName, mset.submissionMethod, period, mset.cehrtId)
    if isinstance(value, Proportion):
        share = to_decimal(ratio(value.numerator, value.denominator))
        return PIMeasurement(*where, value=None, numerator=value.numerator, denominator=value.denominator,
                             proportion=share)
    return PIMeasurement(*where, value=value, numerator=None, denominator=None, proportion=None)


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
        names = programs.setdefault(mset.category, [])
        if mset.programName not in names:
            names.append(mset.programName)
        period = _period(mset)
        for index, measurement in enumerate(mset.measurements):
            path = f"measurementSets[{set_index}].measurements[{index}]"
            if mset.category == "ia":
                ia.append(IAActivity(path, measurement.measureId, mset.programName, mset.submissionMethod,
                                     period, measurement.value))
                continue
            measure = (reference.quality_measures if mset.category == "quality"
                       else reference.pi_measures)[measurement.measureId]
            value = typed.get((set_index, index))
            if value is None:
                value = read_value(measure.metric_type, measurement.value)
            if mset.category == "quality":
                quality.append(_quality(mset, value, measure, path, period))
            else:
                pi.append(_pi(mset, measurement.measureId, value, path, period))
    return SubmissionFacts(
        entity_type=submission.entityType, entity_id=submission.entityId,
        tin=submission.taxpayerIdentificationNumber, npi=submission.nationalProviderIdentifier,
        performance_year=submission.performanceYear,
        programs={category: tuple(names) for category, names in programs.items()},
        quality=tuple(quality), pi=tuple(pi), ia=tuple(ia))

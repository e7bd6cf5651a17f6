"""The shape of a year's converted CMS reference data (`rulebooks/YEAR/reference/`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Stratum(Frozen):
    name: str
    description: str | None = None


class EcqmUuids(Frozen):
    """The population UUIDs of one eCQM population set (CMS measures-data `strata[].eMeasureUuids`)."""

    initial_population: str | None = None
    denominator: str | None = None
    denominator_exclusion: str | None = None
    denominator_exception: str | None = None
    numerator: str | None = None
    numerator_exclusion: str | None = None
    reporting_strata: tuple[str, ...] = ()     # stratifier UUIDs of the population set


class EcqmPopulation(Frozen):
    """One stratum of an eCQM as QRDA III reports it: its name (None for single-rate measures) and UUIDs."""

    stratum: str | None = None
    uuids: EcqmUuids | None = None             # None where CMS gives the stratum no eMeasure UUIDs


class QualityMeasure(Frozen):
    """A quality measure of the year (CMS measures-data.json, category quality)."""

    id: str
    title: str
    measure_type: str                      # process, outcome, intermediateOutcome, patientReportedOutcome, ...
    is_high_priority: bool
    is_inverse: bool
    metric_type: str                       # singlePerformanceRate, multiPerformanceRate, registry..., nonProportion, cahps, costScore
    overall_algorithm: str | None = None   # simpleAverage, weightedAverage, sumNumerators, overallStratumOnly, split
    strata: tuple[Stratum, ...] = ()
    allowed_programs: tuple[str, ...] = ()
    submission_methods: tuple[str, ...] = ()   # collection types: claims, registry, electronicHealthRecord, ...
    is_registry_measure: bool = False          # QCDR measure
    first_performance_year: int | None = None
    last_performance_year: int | None = None
    seven_point_cap_removed: tuple[str, ...] = ()  # collection types exempt from the 7-point cap (PY2025+)
    e_measure_id: str | None = None                # eCQM identifier and version, e.g. CMS122v13
    e_measure_uuid: str | None = None              # version-specific eCQM GUID QRDA III files reference
    e_measure_populations: tuple[EcqmPopulation, ...] = ()  # CMS's strata order, as QRDA III reports them


class Benchmark(Frozen):
    """One benchmark row: a measure under one collection type (CMS benchmarks/YEAR.json)."""

    measure_id: str
    submission_method: str
    benchmark_year: int
    performance_year: int
    is_inverse: bool
    is_topped_out: bool
    is_topped_out_by_program: bool
    metric_type: str | None = None
    format: Literal["percentiles", "deciles"]
    # percentiles: keys "1","10",...,"90","99" as published; deciles: the 9 (or 10) published lower bounds
    percentiles: dict[str, Decimal] | None = None
    deciles: tuple[Decimal, ...] | None = None
    average_performance_rate: Decimal | None = None
    placeholder: bool = False   # CMS's own file marks these rows as mock/placeholder data (e.g. PY2026 cost)


class ImprovementActivity(Frozen):
    id: str
    title: str
    weight: Literal["medium", "high"] | None = None   # None from PY2025 (weights removed)
    subcategory: str | None = None
    allowed_programs: tuple[str, ...] = ()
    first_performance_year: int | None = None
    last_performance_year: int | None = None


class PIMeasure(Frozen):
    id: str
    title: str
    objective: str
    metric_type: Literal["boolean", "proportion"]
    is_required: bool
    is_bonus: bool
    reporting_category: str | None = None     # required, bonus, exclusion, or None (optional attestation)
    exclusions: tuple[str, ...] = ()          # exclusion measure ids that may replace this measure
    substitutes: tuple[str, ...] = ()         # measures that may stand in for this one
    first_performance_year: int | None = None
    last_performance_year: int | None = None


class CostMeasure(Frozen):
    id: str
    title: str
    is_inverse: bool
    first_performance_year: int | None = None
    last_performance_year: int | None = None


class Mvp(Frozen):
    """A MIPS Value Pathway of the year (CMS mvp/YEAR/mvp.json): its measures and what it offers."""

    id: str
    title: str
    clinical_topic: str | None = None
    quality_measure_ids: tuple[str, ...] = ()          # CMS's order; includes 321 where CAHPS is offered
    ia_measure_ids: tuple[str, ...] = ()
    cost_measure_ids: tuple[str, ...] = ()
    foundation_quality_measure_ids: tuple[str, ...] = ()   # population health measures
    foundation_pi_measure_ids: tuple[str, ...] = ()
    administrative_claims_measure_ids: tuple[str, ...] = ()  # outcomes-based administrative claims options
    has_cahps: bool
    has_outcome_admin_claims: bool


class SourceInfo(Frozen):
    repository: str
    commit: str
    files: tuple[str, ...]
    cite: str  # the citation of this data: source key and pinpoint
    converted_by: str
    notes: tuple[str, ...] = ()


class ReferenceData(Frozen):
    year: int
    source: SourceInfo
    quality_measures: dict[str, QualityMeasure]
    benchmarks: dict[str, Benchmark]            # key "MEASURE_ID|submissionMethod"
    improvement_activities: dict[str, ImprovementActivity]
    pi_measures: dict[str, PIMeasure]
    cost_measures: dict[str, CostMeasure]
    mvps: dict[str, Mvp] = {}                  # empty before MVPs exist (PY2023)

    def benchmark(self, measure_id: str, submission_method: str) -> Benchmark | None:
        return self.benchmarks.get(f"{measure_id}|{submission_method}")

"""A CMS QPP submission (Submissions API JSON) as CMS defines it: submission, measurement sets,
measurements, and one model per measurement value shape.

Read-only fields the API adds (ids, timestamps, submitter, calculated rates) are accepted and
ignored; any other key is rejected. Which value shape applies is decided by the measure's
`metricType` in the year's reference data, so `Measurement.value` stays raw here and is read with
`VALUE_MODELS` once the measure is known. Value-domain rules (identifier formats, counts, years)
are checked in `engine.qpp.validate` so that all of them are reported together.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, GetCoreSchemaHandler, StrictBool, StrictInt, StrictStr
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class _Checked:
    """A check pydantic runs itself (no Python call per value), refused with an error of our own words."""

    def __init__(self, schema: CoreSchema, error: str, message: str):
        self.schema = core_schema.custom_error_schema(schema, custom_error_type=error, custom_error_message=message)

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return self.schema


def _number(value: Any) -> Decimal:
    if type(value) is int:
        return Decimal(value)
    if type(value) is not Decimal:
        raise PydanticCustomError("number_type", "Input should be a number")
    return value


def _full_date(value: Any) -> date:
    if type(value) is date:
        return value
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise PydanticCustomError("date_format", "Input should be a date written YYYY-MM-DD (RFC 3339 full-date)")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("date_value", "Input should be a real calendar date") from None


Count = Annotated[int, _Checked(core_schema.int_schema(strict=True), "count_type",
                                "Input should be a whole number written without a decimal point")]
"""A count of patients or episodes: a JSON integer (the sign is checked by validation)."""
Number = Annotated[Decimal, BeforeValidator(_number)]
"""A JSON number, kept exact."""
FullDate = Annotated[date, BeforeValidator(_full_date)]
ReadOnly = Any
"""A field the API adds or calculates: accepted and ignored."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# --- measurement values -------------------------------------------------------------------


class Proportion(Strict):
    """PI proportion measure: numerator and denominator."""

    numerator: Count
    denominator: Count


class NonProportion(Strict):
    """QCDR ratio or continuous-variable measure (metricType nonProportion)."""

    numerator: Number
    denominator: Number
    isEndToEndReported: StrictBool
    numeratorExclusion: Number | None = None
    denominatorException: Number | None = None
    observationInstances: Count
    reportingRate: ReadOnly = None
    caseCount: ReadOnly = None


class _Counts(Strict):
    performanceMet: Count
    performanceNotMet: Count | None = None
    eligiblePopulationExclusion: Count | None = None
    eligiblePopulationException: Count | None = None
    eligiblePopulation: Count


class _Calculated(Strict):
    reportingRate: ReadOnly = None
    caseCount: ReadOnly = None
    performanceRateNumerator: ReadOnly = None
    performanceRateDenominator: ReadOnly = None


class SinglePerformanceRate(_Calculated, _Counts):
    """MIPS CQM or eCQM with one rate; performanceRate is calculated by the API."""

    isEndToEndReported: StrictBool
    performanceRate: ReadOnly = None


class RegistrySinglePerformanceRate(_Calculated, _Counts):
    """QCDR measure with one rate; performanceRate is written by the submitter."""

    isEndToEndReported: StrictBool
    numeratorExclusion: Count | None = None
    performanceRate: Number


class PerformanceStratum(_Counts):
    """One stratum of a multi-rate measure, named as in the measure's strata."""

    stratum: StrictStr
    measurementId: ReadOnly = None


class MultiPerformanceRate(_Calculated):
    """MIPS CQM or eCQM with several rates; the overall rate is calculated by the API."""

    isEndToEndReported: StrictBool
    strata: list[PerformanceStratum]
    performanceRate: ReadOnly = None


class RegistryMultiPerformanceRate(_Calculated):
    """QCDR measure with several rates; performanceRate is written by the submitter."""

    isEndToEndReported: StrictBool
    strata: list[PerformanceStratum]
    performanceRate: Number


PerformanceValue = (SinglePerformanceRate | RegistrySinglePerformanceRate | MultiPerformanceRate
                    | RegistryMultiPerformanceRate)
MeasurementValue = bool | Proportion | NonProportion | PerformanceValue

VALUE_MODELS: dict[str, type[Strict]] = {
    "proportion": Proportion,
    "nonProportion": NonProportion,
    "singlePerformanceRate": SinglePerformanceRate,
    "registrySinglePerformanceRate": RegistrySinglePerformanceRate,
    "multiPerformanceRate": MultiPerformanceRate,
    "registryMultiPerformanceRate": RegistryMultiPerformanceRate,
}
"""Value model of each submittable object metricType; metricType `boolean` takes a bare true/false."""
MULTI_RATE_TYPES = ("multiPerformanceRate", "registryMultiPerformanceRate")


def read_value(metric_type: str, raw: Any) -> MeasurementValue:
    """The typed value of a measurement whose measure has `metric_type` (raises ValidationError)."""
    if metric_type == "boolean":
        return raw
    return VALUE_MODELS[metric_type].model_validate(raw)


# --- submission ----------------------------------------------------------------------------


class Measurement(Strict):
    measureId: StrictStr
    value: Annotated[Any, _Checked(core_schema.union_schema([core_schema.is_instance_schema(bool),
                                                             core_schema.is_instance_schema(dict)]), "value_type",
                                   "Input should be true/false (boolean measures) or an object (proportion and "
                                   "performance-rate measures)")]
    id: ReadOnly = None
    measurementSetId: ReadOnly = None


SubmissionMethod = Literal["registry", "electronicHealthRecord"]
"""What a submitter may write: registry (MIPS CQM, QCDR, non-QRDA PI/IA) or electronicHealthRecord (eCQM, QRDA)."""
SUBMISSION_METHODS: tuple[str, ...] = get_args(SubmissionMethod)


class MeasurementSet(Strict):
    category: Literal["quality", "pi", "ia"]
    submissionMethod: SubmissionMethod
    programName: StrictStr = "mips"
    performanceStart: FullDate
    performanceEnd: FullDate
    cehrtId: StrictStr | None = None
    measurements: list[Measurement] = []
    id: ReadOnly = None
    createdAt: ReadOnly = None
    updatedAt: ReadOnly = None
    submissionId: ReadOnly = None
    submitterId: ReadOnly = None
    submitterType: ReadOnly = None
    suppressed: ReadOnly = None
    source: ReadOnly = None
    practiceDetails: ReadOnly = None


class Submission(Strict):
    entityType: Literal["individual", "group", "virtualGroup", "apm", "subgroup"]
    entityId: StrictStr | None = None
    taxpayerIdentificationNumber: StrictStr | None = None
    nationalProviderIdentifier: StrictStr | None = None
    performanceYear: StrictInt
    measurementSets: list[MeasurementSet] = []
    id: ReadOnly = None
    createdAt: ReadOnly = None
    updatedAt: ReadOnly = None

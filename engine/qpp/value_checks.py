"""Checks on the numbers inside one measurement value; each finding is (path inside the value, message)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel

from engine.qpp.models import (
    MultiPerformanceRate,
    NonProportion,
    PerformanceStratum,
    Proportion,
    RegistryMultiPerformanceRate,
    RegistrySinglePerformanceRate,
    SinglePerformanceRate,
)
from engine.reference.models import QualityMeasure

Finding = tuple[tuple[str | int, ...], str]

_COUNT_RULE = "counts must satisfy met + notMet + exclusions + exceptions <= eligiblePopulation"
_COUNT_FIELDS = ("performanceMet", "performanceNotMet", "eligiblePopulationExclusion",
                 "eligiblePopulationException", "eligiblePopulation", "numeratorExclusion")


_MODEL_FIELDS: dict[type[BaseModel], frozenset[str]] = {}
"""The field names of each value model met."""


def _negatives(value: BaseModel, fields: tuple[str, ...]) -> list[Finding]:
    found = []
    given = _MODEL_FIELDS.get(type(value))
    if given is None:
        given = _MODEL_FIELDS[type(value)] = frozenset(type(value).model_fields)
    for field in fields:
        number = getattr(value, field) if field in given else None
        if number is not None and number < 0:
            found.append(((field,), f"{field} ({number}) is negative; counts are numbers of patients "
                                    f"or episodes, 0 or more"))
    return found


def check_proportion(value: Proportion) -> list[Finding]:
    """0 <= numerator <= denominator (so the denominator is 0 only when the numerator is)."""
    found = _negatives(value, ("numerator", "denominator"))
    if not found and value.numerator > value.denominator:
        found.append((("numerator",), f"numerator ({value.numerator}) is above denominator "
                                      f"({value.denominator}); a proportion needs 0 <= numerator <= denominator"))
    return found


def check_non_proportion(value: NonProportion) -> list[Finding]:
    """observationInstances is a count; the other numbers are unconstrained by CMS."""
    return _negatives(value, ("observationInstances",))


def _check_counts(counts: SinglePerformanceRate | RegistrySinglePerformanceRate | PerformanceStratum,
                  ) -> list[Finding]:
    found = _negatives(counts, _COUNT_FIELDS)
    if found:
        return found
    population = counts.eligiblePopulation
    if counts.performanceMet > population:
        return [(("performanceMet",), f"performanceMet ({counts.performanceMet}) is above eligiblePopulation "
                                      f"({population}); {_COUNT_RULE}")]
    total = (counts.performanceMet + (counts.performanceNotMet or 0) + (counts.eligiblePopulationExclusion or 0)
             + (counts.eligiblePopulationException or 0))
    if total > population:
        return [(("eligiblePopulation",), f"performanceMet + performanceNotMet + eligiblePopulationExclusion + "
                                          f"eligiblePopulationException ({total}) is above eligiblePopulation "
                                          f"({population}); {_COUNT_RULE}")]
    return []


def _check_cqm_exclusion(counts: SinglePerformanceRate | PerformanceStratum, measure: QualityMeasure,
                         submission_method: str) -> list[Finding]:
    """Registry MIPS CQMs (not QCDR) report exclusions by leaving patients out of eligiblePopulation."""
    exclusion = counts.eligiblePopulationExclusion
    if submission_method != "registry" or measure.is_registry_measure or exclusion in (None, 0):
        return []
    return [(("eligiblePopulationExclusion",),
             f"eligiblePopulationExclusion must be 0 or absent for MIPS CQM {measure.id} submitted via registry "
             f"(got {exclusion}); leave excluded patients out of eligiblePopulation instead")]


def _check_rate(rate: Decimal) -> list[Finding]:
    if 0 <= rate <= 100:
        return []
    return [(("performanceRate",), f"performanceRate ({rate}) must be a percentage from 0 to 100")]


def _check_strata(strata: list[PerformanceStratum], measure: QualityMeasure) -> list[Finding]:
    expected = [s.name for s in measure.strata]
    found: list[Finding] = []
    first: dict[str, int] = {}
    for index, stratum in enumerate(strata):
        if stratum.stratum not in expected:
            found.append((("strata", index, "stratum"), f"'{stratum.stratum}' is not a stratum of measure "
                                                       f"{measure.id}; its strata are: {', '.join(expected)}"))
        elif stratum.stratum in first:
            found.append((("strata", index, "stratum"), f"stratum '{stratum.stratum}' is already given in "
                                                       f"strata[{first[stratum.stratum]}]; give each stratum once"))
        else:
            first[stratum.stratum] = index
    missing = [name for name in expected if name not in first]
    if missing:
        found.append((("strata",), f"measure {measure.id} has {len(expected)} strata ({', '.join(expected)}) "
                                   f"and all must be submitted; missing: {', '.join(missing)}"))
    return found


def check_performance(value: SinglePerformanceRate | RegistrySinglePerformanceRate | MultiPerformanceRate
                      | RegistryMultiPerformanceRate, measure: QualityMeasure,
                      submission_method: str) -> list[Finding]:
    """Counts, the registry CQM exclusion rule, the strata of a multi-rate value, and a written performanceRate."""
    if isinstance(value, (SinglePerformanceRate, RegistrySinglePerformanceRate)):
        found = _check_counts(value) + _check_cqm_exclusion(value, measure, submission_method)
    else:
        found = _check_strata(value.strata, measure)
        for index, stratum in enumerate(value.strata):
            for path, message in _check_counts(stratum) + _check_cqm_exclusion(stratum, measure, submission_method):
                found.append((("strata", index, *path), message))
    if isinstance(value, (RegistrySinglePerformanceRate, RegistryMultiPerformanceRate)):
        found += _check_rate(value.performanceRate)
    return found

"""Check a read submission against CMS's submission rules and the year's reference data.

Every problem is collected and reported at once, each with a CMS-style path
(`measurementSets[0].measurements[3].value.performanceMet`), the file position and what to do.
"""

from __future__ import annotations

import re
from dataclasses import replace
from difflib import get_close_matches
from typing import Any

from pydantic import BaseModel, ValidationError

from engine.errors import CaseError, Problem
from engine.memo import derived
from engine.qpp.models import (
    MULTI_RATE_TYPES,
    SUBMISSION_METHODS,
    VALUE_MODELS,
    MeasurementSet,
    MeasurementValue,
    NonProportion,
    Proportion,
    Submission,
    read_value,
)
from engine.qpp.pi_rules import pi_conflicts
from engine.qpp.problems import located_problems
from engine.qpp.rates import algorithm_problem
from engine.qpp.value_checks import Finding, check_non_proportion, check_performance, check_proportion
from engine.reference.models import ImprovementActivity, PIMeasure, QualityMeasure, ReferenceData
from engine.rulebook.validation_messages import dotted
from engine.rulebook.yaml_source import locate

JsonPath = tuple[str | int, ...]
"""A location in the document: keys and list indexes."""
Values = dict[tuple[int, int], MeasurementValue]
"""Typed measurement values (true or false for an attestation) by (measurement set index, measurement index)."""

PI_ENTITY_TYPES = ("individual", "group")
"""Entity types the Submissions API accepts PI measurement sets from (change log, 8/15/21)."""
ENTITY_ID_TYPES = {"apm": "APM Entity", "virtualGroup": "virtual group", "subgroup": "subgroup"}
TIN_ENTITY_TYPES = ("individual", "group")
_CEHRT_ID = re.compile(r"[A-Za-z0-9]{15}")
_CATEGORY_LABELS = {"quality": "a quality measure", "pi": "a PI measure", "ia": "an improvement activity",
                    "cost": "a cost measure"}


class _Report:
    """Collects located problems for one submission file."""

    def __init__(self, document: Any, name: str):
        self.document = document
        self.name = name
        self.problems: list[Problem] = []

    def add(self, path: JsonPath, message: str) -> None:
        where = locate(self.document, path)
        self.problems.append(Problem(self.name, where.line if where else None,
                                     where.column if where else None, dotted(path), message))

    def findings(self, base: JsonPath, findings: list[Finding]) -> None:
        for path, message in findings:
            self.add(base + path, message)

    def value_errors(self, base: JsonPath, error: ValidationError, model: type[BaseModel], raw: Any) -> None:
        """Pydantic errors of a measurement value read on its own, re-rooted at `base`."""
        prefix = dotted(base)
        for problem in located_problems(error, model, raw, self.name):
            joined = prefix + ("" if not problem.path else problem.path if problem.path.startswith("[")
                               else f".{problem.path}")
            self.problems.append(replace(problem, path=joined))


def _a(noun: str) -> str:
    return f"{'an' if noun[0].lower() in 'aeiou' else 'a'} {noun}"


def _known_programs(reference: ReferenceData) -> list[str]:
    """Program names of the year: mips first, then every program a measure or activity allows."""
    def programs() -> list[str]:
        names = {p for m in reference.quality_measures.values() for p in m.allowed_programs}
        names |= {p for a in reference.improvement_activities.values() for p in a.allowed_programs}
        return ["mips"] + sorted(names - {"mips"})
    return derived(reference, "qpp.programs", programs)


def _catalogue(reference: ReferenceData) -> dict[str, dict[str, Any]]:
    return {"quality": reference.quality_measures, "pi": reference.pi_measures,
            "ia": reference.improvement_activities, "cost": reference.cost_measures}


def _check_entity(submission: Submission, reference: ReferenceData, report: _Report) -> None:
    year, kind = submission.performanceYear, submission.entityType
    if year != reference.year:
        report.add(("performanceYear",), f"performanceYear {year} does not match the {reference.year} rulebook; "
                   f"score this file with the {year} rulebook, or correct performanceYear")
    if kind in ENTITY_ID_TYPES and not submission.entityId:
        report.add(("entityId",), f"entityId is required for entityType '{kind}'; add the "
                   f"{ENTITY_ID_TYPES[kind]} identifier")
    tin, npi = submission.taxpayerIdentificationNumber, submission.nationalProviderIdentifier
    if kind in TIN_ENTITY_TYPES and tin is None:
        report.add(("taxpayerIdentificationNumber",), f"taxpayerIdentificationNumber is required for entityType "
                   f"'{kind}'; add the 9-digit TIN")
    elif tin is not None and kind not in TIN_ENTITY_TYPES:
        report.add(("taxpayerIdentificationNumber",), f"taxpayerIdentificationNumber is written only for "
                   f"entityType individual or group; {_a(ENTITY_ID_TYPES[kind])} is identified by entityId, "
                   f"so remove it")
    elif tin is not None and not re.fullmatch(r"[0-9]{9}", tin):
        report.add(("taxpayerIdentificationNumber",), f"taxpayerIdentificationNumber '{tin}' must be exactly "
                   f"9 digits, without dashes or spaces")
    if kind == "individual" and npi is None:
        report.add(("nationalProviderIdentifier",), "nationalProviderIdentifier is required for entityType "
                   "'individual'; add the clinician's 10-digit NPI")
    elif npi is not None and kind != "individual":
        report.add(("nationalProviderIdentifier",), f"nationalProviderIdentifier is written only for entityType "
                   f"'individual'; remove it from this {kind} submission")
    elif npi is not None and not re.fullmatch(r"[0-9]{10}", npi):
        report.add(("nationalProviderIdentifier",), f"nationalProviderIdentifier '{npi}' must be exactly "
                   f"10 digits, without dashes or spaces")


def _check_set_fields(submission: Submission, mset: MeasurementSet, base: JsonPath, reference: ReferenceData,
                      programs: list[str], report: _Report) -> None:
    year = submission.performanceYear
    for field, day in (("performanceStart", mset.performanceStart), ("performanceEnd", mset.performanceEnd)):
        if day.year != year:
            report.add(base + (field,), f"{field} {day} is outside performance year {year}; the performance "
                       f"period must lie within {year}-01-01 to {year}-12-31")
    if mset.performanceEnd < mset.performanceStart:
        report.add(base + ("performanceEnd",), f"performanceEnd {mset.performanceEnd} is before performanceStart "
                   f"{mset.performanceStart}; the performance period must end on or after its start")
    if mset.programName not in programs:
        report.add(base + ("programName",), f"programName '{mset.programName}' is not a program of performance "
                   f"year {reference.year}; use one of: {', '.join(programs)}")
    if mset.category != "pi":
        return
    if submission.entityType not in PI_ENTITY_TYPES:
        report.add(base + ("category",), f"entityType '{submission.entityType}' cannot submit a PI measurement "
                   f"set: the Submissions API accepts PI only for entityType individual or group (PI of an "
                   f"APM Entity is rolled up from its participants); remove this set")
    if mset.cehrtId is None:
        report.add(base + ("cehrtId",), "a PI measurement set needs cehrtId, the 15-character CMS EHR "
                   "Certification ID from CHPL; add it")
    elif not _CEHRT_ID.fullmatch(mset.cehrtId):
        report.add(base + ("cehrtId",), f"cehrtId '{mset.cehrtId}' is not a CMS EHR Certification ID: it has "
                   f"15 letters and digits, as issued by CHPL")


def _unknown(measure_id: str, category: str, reference: ReferenceData) -> str:
    """Why a measure id is not in the set's category, and what to do."""
    label = _CATEGORY_LABELS[category].split(" ", 1)[1]
    for other, known in _catalogue(reference).items():
        if other != category and measure_id in known:
            if other == "cost":
                return f"'{measure_id}' is a cost measure; CMS calculates cost from claims, so remove it"
            return (f"'{measure_id}' is {_CATEGORY_LABELS[other]}, not {_CATEGORY_LABELS[category]}; move it "
                    f"to a measurement set with category '{other}'")
    known = _catalogue(reference)[category]
    close = get_close_matches(measure_id, list(known), n=1, cutoff=0.6)
    suggestion = measure_id.zfill(3) if measure_id.zfill(3) in known else close[0] if close else None
    hint = (f"; did you mean '{suggestion}'?" if suggestion
            else f"; use a measureId from CMS's {reference.year} measures data")
    return f"unknown {label} '{measure_id}' for performance year {reference.year}{hint}"


def _check_program(mset: MeasurementSet, measure: QualityMeasure | ImprovementActivity, base: JsonPath,
                   programs: list[str], reference: ReferenceData, report: _Report) -> None:
    """The set's programName must be one the measure or activity allows (when the year's data lists any),
    as CMS's Submissions API checks ('SV - measure ID 128 is not allowed to be submitted to the mips program')."""
    allowed = measure.allowed_programs
    if not allowed or mset.programName not in programs or mset.programName in allowed:
        return
    kind = "improvement activity" if mset.category == "ia" else "measure"
    rejected = (f"CMS rejects it: 'SV - measure ID {measure.id} is not allowed to be submitted to the "
                f"{mset.programName} program'")
    mvp = reference.mvps.get(mset.programName)
    if mvp is not None:
        own = mvp.ia_measure_ids if mset.category == "ia" else mvp.quality_measure_ids
        report.add(base + ("measureId",), f"{kind} {measure.id} is not in MVP {mvp.id} '{mvp.title}' of "
                   f"performance year {reference.year}; {rejected}. Report the MVP's "
                   f"{'activities' if mset.category == 'ia' else 'quality measures'} ({', '.join(own)}), or "
                   f"remove {measure.id}")
        return
    report.add(base + ("measureId",), f"{kind} {measure.id} cannot be submitted under programName "
               f"'{mset.programName}'; {rejected}. It is allowed for: {', '.join(allowed)}; remove it, or submit "
               f"it in a submission of one of those programs")


def _check_quality(mset: MeasurementSet, measure: QualityMeasure, base: JsonPath, report: _Report) -> bool:
    """Collection type and metric type of a quality measure; False when its value cannot be read."""
    if mset.submissionMethod not in measure.submission_methods:
        usable = [m for m in measure.submission_methods if m in SUBMISSION_METHODS]
        advice = (f"submit it in a measurement set with submissionMethod {' or '.join(usable)}" if usable
                  else "it cannot be submitted in a QPP submission file")
        report.add(base + ("measureId",), f"measure {measure.id} cannot be submitted via submissionMethod "
                   f"'{mset.submissionMethod}': its collection types are {', '.join(measure.submission_methods)}; "
                   f"{advice}")
    if measure.metric_type not in VALUE_MODELS:
        report.add(base + ("measureId",), f"measure {measure.id} (metricType {measure.metric_type}) is "
                   f"calculated by CMS and cannot be submitted; remove it")
        return False
    if measure.metric_type in MULTI_RATE_TYPES:
        problem = algorithm_problem(measure.overall_algorithm, [s.name for s in measure.strata])
        if problem:
            report.add(base + ("measureId",), f"measure {measure.id} cannot be calculated: {problem}")
            return False
    return True


def _check_value(metric_type: str, measure: QualityMeasure | PIMeasure | ImprovementActivity,
                 mset: MeasurementSet, raw: Any, base: JsonPath, report: _Report) -> MeasurementValue | None:
    """Read the value with the model of its metricType, then check its numbers; the value read, if any."""
    if metric_type == "boolean":
        if not isinstance(raw, bool):
            report.add(base, f"{measure.id} is an attestation (boolean) measure: its value must be true or false")
        return None
    model = VALUE_MODELS[metric_type]
    if not isinstance(raw, dict):
        required = [n for n, f in model.model_fields.items() if f.is_required()]
        report.add(base, f"{measure.id} is a {metric_type} measure: its value must be an object with "
                   f"{', '.join(required)}")
        return None
    try:
        value = read_value(metric_type, raw)
    except ValidationError as exc:
        report.value_errors(base, exc, model, raw)
        return None
    if isinstance(value, Proportion):
        report.findings(base, check_proportion(value))
    elif isinstance(value, NonProportion):
        report.findings(base, check_non_proportion(value))
    else:
        report.findings(base, check_performance(value, measure, mset.submissionMethod))
    return value


def _check_measurements(mset: MeasurementSet, base: JsonPath, reference: ReferenceData, programs: list[str],
                        report: _Report, values: Values) -> None:
    known = _catalogue(reference)[mset.category]
    first: dict[str, int] = {}
    for index, measurement in enumerate(mset.measurements):
        path = base + ("measurements", index)
        measure_id = measurement.measureId
        if measure_id in first:
            report.add(path + ("measureId",), f"measure '{measure_id}' is already in this measurement set "
                       f"(measurements[{first[measure_id]}]); keep one measurement per measure")
            continue
        first[measure_id] = index
        measure = known.get(measure_id)
        if measure is None:
            report.add(path + ("measureId",), _unknown(measure_id, mset.category, reference))
            continue
        if mset.category != "pi":
            _check_program(mset, measure, path, programs, reference, report)
        if mset.category == "quality" and not _check_quality(mset, measure, path, report):
            continue
        metric_type = "boolean" if mset.category == "ia" else measure.metric_type
        raw = measurement.value
        if metric_type == "boolean" and type(raw) is bool:
            values[(base[1], index)] = raw
            continue
        value = _check_value(metric_type, measure, mset, raw, path + ("value",), report)
        if value is not None:
            values[(base[1], index)] = value
    if mset.category == "pi":
        ids = [m.measureId for m in mset.measurements]
        for index, message in pi_conflicts(ids, reference.pi_measures):
            report.add(base + ("measurements", index, "measureId"), message)


def validate_submission(submission: Submission, reference: ReferenceData, document: Any, name: str) -> Values:
    """Raise CaseError listing every problem of `submission` (read from `document` in file `name`); return
    the measurement values read with the models of their metricTypes (for `derive_facts`)."""
    report = _Report(document, name)
    values: Values = {}
    _check_entity(submission, reference, report)
    programs = _known_programs(reference)
    seen: dict[tuple[str, str, str], int] = {}
    for index, mset in enumerate(submission.measurementSets):
        base: JsonPath = ("measurementSets", index)
        key = (mset.category, mset.submissionMethod, mset.programName)
        if key in seen:
            report.add(base, f"measurementSets[{seen[key]}] already holds the {mset.category} measurement set "
                       f"submitted via {mset.submissionMethod} for programName '{mset.programName}'; CMS keeps "
                       f"one set per category, submission method and program: merge the two into one")
            continue
        seen[key] = index
        _check_set_fields(submission, mset, base, reference, programs, report)
        _check_measurements(mset, base, reference, programs, report, values)
    if report.problems:
        raise CaseError(report.problems)
    return values

"""CMS's checks of a decoded QRDA III tree, each problem with CMS's error code.

The checks, their order and when a later check is skipped follow CMS's converter (its validators
and their `Checker`): a check that is not forced stops at the first problem its validator found, so
a file gets the codes CMS's converter would give. Validation walks the tree from the document, each
node's checks first, then its children not yet checked by a parent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation

from engine.qrda.decode import program_of
from engine.qrda.nodes import DOCUMENT, Node
from engine.qrda.problems import QrdaProblem
from engine.qrda.spec import ProblemName, QrdaSpec
from engine.qrda.xml_source import XmlDocument, xpath_of
from engine.reference.models import EcqmUuids, QualityMeasure

_TITLES = {DOCUMENT: "Clinical Document", "measure_section": "Measure Section", "ia_section": "IA Section",
           "pi_section": "PI Section", "measure_reference": "Quality Measure", "pi_numerator_denominator": "PI Measure",
           "ia_measure": "Improvement Activity"}
_INT_MAX = 2**31 - 1
_INTEGER = re.compile(r"[+-]?[0-9]+")
_LABELS = ("denominator_exception", "denominator_exclusion", "numerator", "numerator_exclusion", "denominator")
"""Populations whose count of measure data CMS checks (all but the initial population), in CMS's order."""
_UUID_CHECKS = ("denominator_exception", "denominator_exclusion", "numerator", "denominator")


class Context:
    """What validation reads: the year's mapping, its eCQMs by GUID, the document for positions."""

    def __init__(self, spec: QrdaSpec, measures: dict[str, QualityMeasure], document: XmlDocument, program: str | None):
        self.spec = spec
        self.measures = measures
        self.document = document
        self.program = program

    def aliases(self, population: str) -> list[str]:
        return [code for code, name in self.spec.entries.population_codes.value.items() if name == population]

    def problem(self, name: ProblemName, message: str, node: Node | None) -> QrdaProblem:
        code = self.spec.code(name)
        if node is None or node.element is None:
            return QrdaProblem(code, message)
        line, column = self.document.position(node.anchor) if node.anchor is not None else (None, None)
        return QrdaProblem(code, message, line, column, xpath_of(node.element), _context(node, self.measures))


def _context(node: Node, measures: dict[str, QualityMeasure]) -> str:
    """Which part of the report a node is in, as CMS names it ('Quality Measure GUID (CMS122v13)')."""
    current: Node | None = node
    while current is not None and current.kind not in _TITLES:
        current = current.parent
    if current is None:
        return ""
    label = _TITLES[current.kind]
    ident = current.get("measureGuid") or current.get("measureId")
    if ident:
        label += f" {ident}"
        measure = measures.get(ident)
        if measure and measure.e_measure_id:
            label += f" ({measure.e_measure_id})"
    return label


class _Validator:
    """The problems one CMS validator finds on one node."""

    def __init__(self, context: Context):
        self.context = context
        self.problems: list[QrdaProblem] = []

    def check(self, node: Node, force: bool = False) -> _Check:
        return _Check(self, node, force)

    def add(self, name: ProblemName, message: str, node: Node) -> None:
        self.problems.append(self.context.problem(name, message, node))


class _Check:
    """CMS's `Checker`: chained checks on one node that stop at the validator's first problem unless forced."""

    def __init__(self, validator: _Validator, node: Node, force: bool):
        self.validator, self.node, self.force = validator, node, force
        self.last: int | None = None
        node.validated = True

    def skipping(self) -> bool:
        return not self.force and bool(self.validator.problems)

    def _add(self, name: ProblemName, message: str) -> _Check:
        self.validator.add(name, message, self.node)
        return self

    def value(self, name: ProblemName, key: str, message: str) -> _Check:
        if not self.skipping() and self.node.get(key) is None:
            self._add(name, message)
        return self

    def single_value(self, name: ProblemName, key: str, missing: str, repeated: str) -> _Check:
        self.value(name, key, missing)
        if self.node.occurrences(key):
            self._add(name, repeated)
        return self

    def value_in(self, name: ProblemName, key: str, allowed: list[str], message: str) -> _Check:
        given = self.node.get(key)
        if given is None or given.lower() not in {a.lower() for a in allowed}:
            self._add(name, message)
        return self

    def int_value(self, name: ProblemName, key: str, message: str) -> _Check:
        if not self.skipping():
            self.last = java_int(self.node.get(key))
            if self.last is None:
                self._add(name, message)
        return self

    def greater_than(self, name: ProblemName, bound: int, message: str) -> _Check:
        if not self.skipping() and self.last is not None and self.last <= bound:
            self._add(name, message)
        self.last = None
        return self

    def children(self, *kinds: str) -> int:
        return len(self.node.of_kind(*kinds))

    def child_count(self, name: ProblemName, test: Callable[[int], bool], message: str, *kinds: str) -> _Check:
        if not self.skipping() and not test(self.children(*kinds)):
            self._add(name, message)
        return self

    def valid_date(self, name: ProblemName, key: str, message: str) -> _Check:
        if not self.skipping() and cms_date(self.node.get(key)) is None:
            self._add(name, message)
        return self


def java_int(text: str | None) -> int | None:
    """The value as CMS's converter reads a whole number (Java Integer.parseInt), or None."""
    if text is None or not _INTEGER.fullmatch(text):
        return None
    number = int(text)
    return number if -_INT_MAX - 1 <= number <= _INT_MAX else None


def cms_date(text: str | None) -> date | None:
    """A reporting-period date as CMS's converter reads it: yyyyMMdd after removing '-' and '/', anything
    after the eighth character ignored; a day past the month's end is that month's last day."""
    cleaned = (text or "").strip().lower().replace("-", "").replace("/", "")[:8]
    if len(cleaned) != 8 or not cleaned.isdigit():
        return None
    year, month, day = int(cleaned[:4]), int(cleaned[4:6]), int(cleaned[6:])
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    for last in (day, 30, 29, 28):
        if last <= day:
            try:
                return date(year, month, last)
            except ValueError:
                continue
    return None


def _rate(text: str | None) -> Decimal | None:
    cleaned = (text or "").strip().rstrip("fFdD")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


# --- the validators ----------------------------------------------------------------------------------


def _document(v: _Validator, node: Node) -> None:
    spec = v.context.spec
    names = ", ".join(spec.entries.program_names.value)
    check = v.check(node, force=True)
    check.child_count("no_section", lambda n: n >= 1, "the file has no measure section, Promoting "
                      "Interoperability section or Improvement Activities section: it reports nothing",
                      "pi_section", "ia_section", "measure_section")
    check.child_count("duplicate_pi_section", lambda n: n <= 1, "the file has more than one Promoting "
                      "Interoperability section; put every PI measure in one section", "pi_section")
    check.child_count("duplicate_ia_or_measure_section", lambda n: n <= 1, "the file has more than one "
                      "Improvement Activities section; put every activity in one section", "ia_section")
    check.child_count("duplicate_ia_or_measure_section", lambda n: n <= 1, "the file has more than one measure "
                      "section; put every eCQM in one section", "measure_section")
    count = len(v.problems)
    check.single_value("program_name_count", "programName",
                       f"the file names no program (informationRecipient/intendedRecipient/id with root "
                       f"2.16.840.1.113883.3.249.7); name exactly one of: {names}",
                       f"the file names more than one program; name exactly one of: {names}")
    if len(v.problems) > count:
        return
    raw = node.get("rawProgramName") or ""
    check.value_in("program_name_unknown", "programName", spec.entries.accepted_programs.value,
                   f"'{raw}' is not a program name of performance year {spec.year}; use one of: {names}")
    if node.get("entityType") == "virtualGroup":
        check.force = True
        check.value("virtual_group_id", "entityId", "a virtual group file needs the virtual group's id "
                    "(representedOrganization/id with root 2.16.840.1.113883.3.249.5.2)")


def _measure_section(v: _Validator, node: Node) -> None:
    spec = v.context.spec
    extension = spec.entries.category_section.value.extension
    check = v.check(node)
    check.child_count("quality_reporting_parameters", lambda n: n == 1, "the measure section must have exactly "
                      "one Reporting Parameters Act giving its performance period", "reporting_parameters")
    check.child_count("measure_section_empty", lambda n: n >= 1, "the measure section has no measure "
                      "(Measure Reference and Results); add the eCQMs or remove the section", "measure_reference")
    guids = [c.get("measureGuid") for c in node.of_kind("measure_reference")]
    if len(set(guids)) < len(guids):
        repeated = sorted({g or "(none)" for g in guids if guids.count(g) > 1})
        check._add("duplicate_measure_guid", f"the measure section reports the same eCQM more than once "
                   f"(GUID {', '.join(repeated)}); report each measure once")
    missing = (f"the measure section must also carry the QRDA Category III Report Section template "
               f"({spec.entries.category_section.value.root}) with extension {extension}")
    check.single_value("category_section", "categorySection", missing, missing)
    given = node.get("categorySection")
    if given is None or given.lower() != (extension or "").lower():
        shown = f"; the file gives {given}" if given is not None else ""
        check._add("category_section", missing + shown)


def _ia_section(v: _Validator, node: Node) -> None:
    check = v.check(node)
    check.child_count("ia_section_empty", lambda n: n >= 1, "the Improvement Activities section has no "
                      "activity; add the activities performed or remove the section", "ia_measure")
    check.child_count("ia_reporting_parameters", lambda n: n == 1, "the Improvement Activities section must have "
                      "exactly one Reporting Parameters Act giving its performance period", "reporting_parameters")
    if not check.skipping() and any(c.kind not in ("ia_measure", "reporting_parameters") for c in node.children):
        check._add("ia_section_other_child", "the Improvement Activities section may hold only activities and "
                   "one Reporting Parameters Act; move other entries to their own section")


def _pi_section(v: _Validator, node: Node) -> None:
    check = v.check(node, force=True)
    check.child_count("pi_reporting_parameters", lambda n: n == 1, "the Promoting Interoperability section must "
                      "have exactly one Reporting Parameters Act giving its performance period", "reporting_parameters")
    reported = [c.get("measureId") for c in node.of_kind("pi_numerator_denominator")]
    for rule in v.context.spec.entries.restricted_pi_combinations.value:
        if rule.measure in reported:
            clashing = [m for m in rule.not_with if m in reported]
            if clashing:
                v.add("restricted_pi_combination", f"{rule.measure} may not be reported together with "
                      f"{', '.join(clashing)}; keep one of them", node)


def _reporting_parameters(v: _Validator, node: Node) -> None:
    start, end = node.get("performanceStart"), node.get("performanceEnd")
    check = v.check(node)
    check.single_value("performance_start_count", "performanceStart", "the Reporting Parameters Act has no "
                       "performance period start (effectiveTime/low/@value)", "the Reporting Parameters Act "
                       "has more than one performance period start")
    check.single_value("performance_end_count", "performanceEnd", "the Reporting Parameters Act has no performance "
                       "period end (effectiveTime/high/@value)", "the Reporting Parameters Act has more than one "
                       "performance period end")
    check.value("performance_year_missing", "performanceYear", "the Reporting Parameters Act gives no performance "
                "year (the first four digits of its start)")
    for key, given in (("performanceStart", start), ("performanceEnd", end)):
        check.valid_date("performance_period_format", key, f"the performance period {key[11:].lower()} "
                         f"'{given or ''}' is not a date: write it as 20250101, 2025-01-01 or 2025/01/01")


def _measure_reference(v: _Validator, node: Node) -> None:
    context = v.context
    check = v.check(node, force=True)
    check.single_value("measure_guid_count", "measureGuid", "the measure reference has no eCQM GUID "
                       "(reference/externalDocument/id with root 2.16.840.1.113883.4.738)",
                       "the measure reference gives more than one eCQM GUID; give exactly one")
    check.child_count("no_measure_data", lambda n: n >= 1, "the measure has no population data (Measure Data)",
                      "measure_data")
    guid = node.get("measureGuid")
    measure = context.measures.get(guid or "")
    if measure is None:
        if guid is not None:
            _unknown_measure(v, node, guid)
        return
    populations = [p.uuids for p in measure.e_measure_populations if p.uuids is not None]
    if not populations:
        return
    for population in _LABELS:
        expected = sum(1 for p in populations if getattr(p, population))
        actual = sum(1 for c in node.of_kind("measure_data") if _is_type(v, c, population))
        if expected != actual:
            names = " or ".join(context.aliases(population))
            v.add("population_count", f"{_measure_name(measure)} needs {expected} {names} population(s); the "
                  f"file gives {actual}", node)
    for uuids in populations:
        for population in _UUID_CHECKS:
            uuid = getattr(uuids, population)
            if uuid is not None and _find_population(v, node, population, uuid) is None:
                names = " or ".join(context.aliases(population))
                v.add("population_uuid", f"{_measure_name(measure)} needs a {names} population with UUID "
                      f"{uuid} (reference/externalObservation/id/@root); check the measure version", node)
        _denominator_within_population(v, node, uuids)
    for rate in node.of_kind("performance_rate"):
        rate_check = v.check(rate, force=True)
        rate_check.single_value("performance_rate_uuid_count", "performanceRateUuid", "the performance rate "
                                "names no numerator UUID", "the performance rate names more than one numerator UUID")
        rate.validated = False
        uuid = rate.get("performanceRateUuid")
        if uuid is not None and not any((p.numerator or "").lower() == uuid.lower() for p in populations):
            expected = " or ".join(p.numerator for p in populations if p.numerator)
            v.add("population_uuid", f"{_measure_name(measure)}: the performance rate refers to numerator {uuid}; "
                  f"it must refer to {expected}", node)


def _unknown_measure(v: _Validator, node: Node, guid: str) -> None:
    year = v.context.spec.year
    v.add("unknown_measure", f"eCQM GUID {guid} is not a measure of CMS's {year} measures data; check the "
          f"measure version against the {year} implementation guide's list of eCQM GUIDs", node)


def _measure_name(measure: QualityMeasure) -> str:
    return f"measure {measure.id} ({measure.e_measure_id})" if measure.e_measure_id else f"measure {measure.id}"


def _is_type(v: _Validator, data: Node, population: str) -> bool:
    """CMS's population type test, which also checks the measure data gives one population code."""
    check = v.check(data, force=True)
    check.single_value("population_type_count", "type", "the measure data gives no population code",
                       "the measure data gives more than one population code")
    data.validated = False
    return data.get("type") in v.context.aliases(population)


def _find_population(v: _Validator, node: Node, population: str, uuid: str) -> Node | None:
    for data in node.of_kind("measure_data"):
        if not _is_type(v, data, population):
            continue
        check = v.check(data, force=True)
        check.single_value("population_id_count", "populationId", "the measure data names no population UUID",
                           "the measure data names more than one population UUID")
        data.validated = False
        if (data.get("populationId") or "").lower() == uuid.lower():
            return data
    return None


def _denominator_within_population(v: _Validator, node: Node, uuids: EcqmUuids) -> None:
    denominator = _exact(v, node, "denominator", uuids.denominator)
    population = _exact(v, node, "initial_population", uuids.initial_population)
    if denominator is None or population is None:
        return
    counted, limit = denominator.find_first("aggregate_count"), population.find_first("aggregate_count")
    if counted is None or limit is None:
        return
    check = v.check(counted, force=True)
    counted.validated = False
    check.int_value("count_not_integer", "aggregateCount", f"the count '{counted.get('aggregateCount')}' is not a "
                    "whole number")
    ceiling = java_int(limit.get("aggregateCount"))
    if ceiling is not None and check.last is not None and check.last > ceiling:
        check._add("denominator_above_population", f"the denominator ({check.last}) of population {uuids.denominator} "
                   f"is larger than its initial population ({ceiling})")


def _exact(v: _Validator, node: Node, population: str, uuid: str | None) -> Node | None:
    if uuid is None:
        return None
    return next((d for d in node.of_kind("measure_data") if d.get("type") in v.context.aliases(population)
                 and d.get("populationId") == uuid), None)


def _measure_data(v: _Validator, node: Node) -> None:
    population = node.get("populationId") or "empty population id"
    missing = f"the measure data of population {population} must have exactly one aggregate count"
    check = v.check(node)
    if not check.skipping() and not node.children:
        check._add("measure_data_count", missing)
    check.child_count("measure_data_count", lambda n: n == 1, missing, "aggregate_count")
    if check.skipping():
        return
    count = node.find_first("aggregate_count")
    assert count is not None
    _count_checks(v, count, f"the measure data of population {population}")
    inner = v.check(count)
    inner.last = java_int(count.get("aggregateCount"))
    inner.greater_than("measure_data_negative", -1, f"the count of population {population} is negative; "
                       "counts are whole numbers of 0 or more")


def _count_checks(v: _Validator, count: Node, owner: str) -> None:
    check = v.check(count)
    given = count.get("aggregateCount")
    check.single_value("count_not_single", "aggregateCount", f"{owner} has an aggregate count without a value",
                       f"{owner} gives {count.occurrences('aggregateCount')} aggregate count values; give one")
    check.int_value("count_not_integer", "aggregateCount", f"the aggregate count '{given}' of {owner} is not a "
                    "whole number")


def _aggregate_count(v: _Validator, node: Node) -> None:
    _count_checks(v, node, "this element")


def _performance_rate(v: _Validator, node: Node) -> None:
    if node.get("nullRate") == "NA":
        return
    check = v.check(node)
    rate = node.get("rate")
    if not rate:
        check._add("performance_rate_missing", "the performance rate has no value; give it, or nullFlavor NA")
        return
    value = _rate(rate)
    if value is None or not 0 <= value <= 1:
        check._add("performance_rate_value", f"the performance rate '{rate}' must be a decimal from 0 to 1")


def _ia_measure(v: _Validator, node: Node) -> None:
    v.check(node).child_count("ia_answer_count", lambda n: n == 1, f"activity {node.get('measureId')} must have "
                              "exactly one measure-performed answer (Y or N)", "measure_performed")


def _measure_performed(v: _Validator, node: Node) -> None:
    codes = list(v.context.spec.entries.attestation_codes.value)
    message = f"the measure-performed answer must be one of {', '.join(codes)}"
    check = v.check(node)
    check.single_value("attestation_answer", "measurePerformed", message, message + " (given more than once)")
    check.value_in("attestation_answer", "measurePerformed", codes, message + f"; the file gives "
                   f"'{node.get('measurePerformed') or ''}'")


def _pi_numerator_denominator(v: _Validator, node: Node) -> None:
    measure = node.get("measureId") or "(no id)"
    check = v.check(node)
    if not check.skipping() and (node.parent is None or node.parent.kind != "pi_section"):
        check._add("pi_measure_outside_pi_section", f"PI measure {measure} must be inside the Promoting "
                   "Interoperability section")
    check.single_value("pi_measure_id", "measureId", "the PI measure has no measure id "
                       "(reference/externalDocument/id/@extension)", "the PI measure gives more than one measure id")
    if not check.skipping() and not node.children:
        check._add("pi_measure_empty", f"PI measure {measure} has no numerator and denominator")
    for kind, label in (("pi_denominator", "denominator"), ("pi_numerator", "numerator")):
        check.child_count("pi_numerator_denominator", lambda n: n == 1, f"PI measure {measure} must have "
                          f"exactly one {label}", kind)


def _pi_measure_performed(v: _Validator, node: Node) -> None:
    check = v.check(node, force=True)
    check.child_count("pi_attestation_answer", lambda n: n == 1, f"PI attestation {node.get('measureId')} must "
                      "have exactly one measure-performed answer (Y or N)", "measure_performed")
    check.single_value("pi_attestation_id", "measureId", "the PI attestation has no measure id",
                       "the PI attestation gives more than one measure id")


def _pi_count(label: str) -> Callable[[_Validator, Node], None]:
    def validate(v: _Validator, node: Node) -> None:
        measure = node.parent.get("measureId") if node.parent else None
        owner = f"the {label} of PI measure {measure}"
        check = v.check(node)
        check.child_count("pi_count_not_single", lambda n: n == 1, f"{owner} must have exactly one aggregate count",
                          "aggregate_count")
        if check.skipping():
            return
        count = node.find_first("aggregate_count")
        assert count is not None
        given = count.get("aggregateCount") or "empty"
        inner = v.check(count)
        inner.single_value("pi_count_invalid", "aggregateCount", f"{owner} has no value",
                           f"{owner} gives more than one value")
        inner.int_value("pi_count_not_integer", "aggregateCount", f"{owner} is '{given}'; it must be a whole number")
        inner.greater_than("pi_count_invalid", -1, f"{owner} is '{given}'; it must be 0 or more")
    return validate


VALIDATORS: dict[str, Callable[[_Validator, Node], None]] = {
    DOCUMENT: _document,
    "measure_section": _measure_section,
    "ia_section": _ia_section,
    "pi_section": _pi_section,
    "reporting_parameters": _reporting_parameters,
    "measure_reference": _measure_reference,
    "measure_data": _measure_data,
    "aggregate_count": _aggregate_count,
    "performance_rate": _performance_rate,
    "ia_measure": _ia_measure,
    "measure_performed": _measure_performed,
    "pi_numerator_denominator": _pi_numerator_denominator,
    "pi_measure_performed": _pi_measure_performed,
    "pi_numerator": _pi_count("numerator"),
    "pi_denominator": _pi_count("denominator"),
}


def validate_tree(document: Node, context: Context) -> list[QrdaProblem]:
    """Every problem of the tree, in CMS's order, cut to the year's limit plus one problem giving the total."""
    problems: list[QrdaProblem] = []
    checks_ecqms = context.program in context.spec.entries.ecqm_check_programs.value

    def visit(node: Node) -> None:
        validate = VALIDATORS.get(node.kind)
        if validate is not None:
            validator = _Validator(context)
            if node.kind == "measure_reference" and not checks_ecqms:
                guid = node.get("measureGuid")
                if guid is not None and guid not in context.measures:
                    _unknown_measure(validator, node, guid)
            else:
                validate(validator, node)
            problems.extend(validator.problems)
        for child in node.children:
            if not child.validated:
                visit(child)

    visit(document)
    limit = context.spec.entries.problem_limit.value
    if len(problems) > limit:
        total = len(problems)
        problems = problems[:limit] + [context.problem("too_many_problems", f"the file has {total} problems; the "
                                                       f"first {limit} are listed: correct them and convert again",
                                                       None)]
    return problems


def document_program(spec: QrdaSpec, document: Node) -> str | None:
    """The program whose checks apply (CMS's context program), None when the program name is unknown."""
    return program_of(spec, document)

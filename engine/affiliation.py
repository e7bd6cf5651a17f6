"""A subgroup's affiliated group: its facts read from its case file, its result JSON, or the subgroup's case.

The group's facts become `facts.affiliated_group.*`; the year's rulebook decides what the subgroup takes
from them (rules/subgroup.yaml). This stage only reads and checks where they come from.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from engine.case.facts import GroupCategory, GroupFacts
from engine.case.models import AffiliatedGroup, Case
from engine.errors import CaseError, Problem
from engine.expr import Record
from engine.rulebook.text_source import SourceError, read_text
from engine.result import Result
from engine.rulebook.compiled import Rulebook
from engine.rulebook.registry import display_path
from engine.rulebook.validation_messages import problems_from
from engine.rulebook.yaml_source import LocatedDict, locate

GROUP_TYPE = "group"
"""The entity type of an affiliated group (a subgroup's TIN reporting as a group)."""
CLAIMS_FACTS = {"cost": "facts.cost.cms_measures", "quality": "facts.quality.cms_measures"}
"""The facts holding the measure results CMS computes from claims, per category."""
REPORTED_BONUS = "complex_patient_bonus.reported"

Scorer = Callable[[Path], Result]


def group_facts(case: Case, case_path: Path, name: str, document: Any, book: Rulebook,
                scorer: Scorer, allow_outside: bool = False) -> GroupFacts | None:
    """The affiliated group's facts for a subgroup case (None when the case names no group).

    The group's case or result file is read beneath the subgroup case's folder unless `allow_outside`.
    """
    group = case.affiliated_group
    if group is None:
        return None
    if group.case is not None:
        path = _beneath(case_path, group.case, "case", name, document, allow_outside)
        if path.is_file() and path.resolve() == case_path.resolve():
            raise _problem(name, document, ("affiliated_group", "case"), "this is the subgroup's own case file; "
                           "name the case file of its affiliated group")
        return _from_case(group, case, path, name, document, book, scorer)
    if group.result is not None:
        path = _beneath(case_path, group.result, "result", name, document, allow_outside)
        return _from_result_file(group, case, path, name, document, book)
    categories = {c: GroupCategory(given.status, given.score, given.reason,
                                   tuple(Record(m.model_dump()) for m in given.measures) if given.measures else None)
                  for c, given in group.categories.items()}
    label = f"stated in {name}" + (f" for {group.name}" if group.name else "")
    return GroupFacts(label, categories, dict(group.bonuses))


def _beneath(case_path: Path, entry: str, key: str, name: str, document: Any, allow_outside: bool) -> Path:
    """A file the case names, refused when it lies outside the case file's folder (unless allowed)."""
    path = case_path.parent / entry
    try:
        inside = path.resolve().is_relative_to(case_path.parent.resolve())
    except (OSError, RuntimeError):
        inside = False
    if not inside and not allow_outside:
        raise _problem(name, document, ("affiliated_group", key), f"'{entry}' lies outside the case file's "
                       "folder; move it beside the case, or pass --allow-outside to read it")
    return path


def _problem(name: str, document: Any, path: tuple[str, ...], message: str) -> CaseError:
    where = locate(document, path)
    return CaseError([Problem(name, where.line if where else None, where.column if where else None,
                              ".".join(path), message)])


def _check_identity(group: AffiliatedGroup, case: Case, found: dict[str, Any], name: str, document: Any,
                    key: str) -> None:
    """The group's file is a group result of the subgroup's year and TIN."""
    where = ("affiliated_group", key)
    if found["year"] != case.performance_year:
        raise _problem(name, document, where, f"the affiliated group's {found['what']} is for "
                       f"{found['year']}, the subgroup for {case.performance_year}; use the group's "
                       f"{case.performance_year} {found['what']}")
    if found["entity_type"] is not None and found["entity_type"] != GROUP_TYPE:
        raise _problem(name, document, where, f"the affiliated group's {found['what']} has entity type "
                       f"'{found['entity_type']}', not 'group'; name the {found['what']} of the group (the TIN) "
                       "the subgroup belongs to")
    tins = {t for t in (case.entity.tin, group.tin, found["tin"]) if t is not None}
    if len(tins) > 1:
        raise _problem(name, document, where, f"the TINs differ ({', '.join(sorted(tins))}); a subgroup "
                       "belongs to the group of its own TIN")


def _from_case(group: AffiliatedGroup, case: Case, path: Path, name: str, document: Any, book: Rulebook,
               scorer: Scorer) -> GroupFacts:
    shown = display_path(path)
    if not path.is_file():
        raise _problem(name, document, ("affiliated_group", "case"), f"no such case file {shown} (the "
                       "path is relative to this case file)")
    result = scorer(path)
    facts = result.evaluation.facts
    _check_identity(group, case, {"what": "case", "year": result.rulebook.year,
                                  "entity_type": facts["facts.entity.type"],
                                  "tin": result.case.entity.tin if result.case else None},
                    name, document, "case")
    categories = {}
    for category in book.categories:
        measurements = facts.get(CLAIMS_FACTS.get(category, ""))
        score = result.value(f"{category}.score")
        categories[category] = GroupCategory(
            _status(result.value(f"{category}.status")),
            None if measurements and category == "cost" else score,
            result.value(f"{category}.reason"), measurements)
    bonuses = {bonus: result.value(REPORTED_BONUS) if bonus == "complex_patient" and REPORTED_BONUS in result.rulebook.outputs
               else facts.get(f"facts.bonuses.{bonus}") for bonus in book.case_inputs.bonuses}
    return GroupFacts(f"{shown} (the group's case, scored with this rulebook)", categories, bonuses)


def _status(status: str) -> str:
    """A group category's status as a case states it (automatic IA credit counts as submitted)."""
    return status if status in ("submitted", "not_submitted", "reweighted") else "submitted"


class _ResultCategory(BaseModel):
    model_config = ConfigDict(extra="ignore", defer_build=True)
    status: str
    score: Decimal | None = None
    reason: str | None = None


class _ResultBook(BaseModel):
    model_config = ConfigDict(extra="ignore", defer_build=True)
    year: int
    sha256: str


class _ResultFile(BaseModel):
    """The parts of a `mips score --format json` result a subgroup reads."""

    model_config = ConfigDict(extra="ignore", defer_build=True)
    performance_year: int
    categories: dict[str, _ResultCategory]
    bonuses: dict[str, Decimal | None] = {}
    rulebook: _ResultBook
    trace: list[dict[str, Any]] = []


def _from_result_file(group: AffiliatedGroup, case: Case, path: Path, name: str, document: Any,
                      book: Rulebook) -> GroupFacts:
    from engine.qpp.json_source import parse_json  # located JSON, only for a group's result file

    shown = display_path(path)
    if not path.is_file():
        raise _problem(name, document, ("affiliated_group", "result"), f"no such result file {shown} (the "
                       "path is relative to this case file)")
    try:
        data = parse_json(read_text(path))
    except SourceError as exc:
        raise CaseError([Problem(shown, exc.line, exc.column, "", exc.message)]) from None
    data = _own_result(data, shown)
    try:
        result = _ResultFile.model_validate(data)
    except ValidationError as exc:
        raise CaseError(problems_from(exc, _ResultFile, data, shown)) from None
    reads = _trace_reads(result.trace)
    _check_identity(group, case, {"what": "result", "year": result.performance_year,
                                  "entity_type": reads.get("facts.entity.type"), "tin": None},
                    name, document, "result")
    unknown = [c for c in result.categories if c not in book.categories]
    if unknown:
        raise CaseError([Problem(shown, None, None, f"categories.{unknown[0]}", f"unknown category "
                                 f"'{unknown[0]}'; the {book.year} rulebook has {', '.join(book.categories)}")])
    categories = {}
    for category, given in result.categories.items():
        measurements = _records(reads.get(CLAIMS_FACTS.get(category, "")))
        categories[category] = GroupCategory(_status(given.status),
                                             None if measurements and category == "cost" else given.score,
                                             given.reason, measurements)
    outputs = _trace_outputs(result.trace)
    bonuses = {bonus: outputs.get(REPORTED_BONUS, result.bonuses.get(bonus)) if bonus == "complex_patient"
               else result.bonuses.get(bonus) for bonus in book.case_inputs.bonuses}
    return GroupFacts(f"{shown} (the group's result, scored with {result.rulebook.year} rulebook "
                      f"{result.rulebook.sha256[:12]})", categories, bonuses)


def _own_result(data: Any, shown: str) -> Any:
    """A plain result as is; of a comparison of several results, the group's own (submitted) one."""
    if not isinstance(data, LocatedDict):
        raise CaseError([Problem(shown, 1, None, "", "a result must be the JSON object mips score --format "
                                 "json writes")])
    if "results" not in data:
        return data
    own = [r for r in data["results"] if isinstance(r, dict) and r.get("origin") == "submitted"]
    if len(own) != 1:
        raise CaseError([Problem(shown, None, None, "results", "this comparison holds several submitted "
                                 "results; give the result of the group's own case")])
    return own[0]


def _walk(nodes: list[dict[str, Any]]):
    for node in nodes:
        if isinstance(node, dict):
            yield node
            yield from _walk(node.get("children", []))


def _trace_reads(trace: list[dict[str, Any]]) -> dict[str, Any]:
    """Fact values the trace recorded, by name (the first read of each)."""
    found: dict[str, Any] = {}
    for node in _walk(trace):
        for read in node.get("reads", []):
            if isinstance(read, dict) and read.get("kind") == "fact":
                found.setdefault(read.get("name"), read.get("value"))
    return found


def _trace_outputs(trace: list[dict[str, Any]]) -> dict[str, Any]:
    return {node.get("rule"): node.get("output") for node in _walk(trace)}


def _records(value: Any) -> tuple[Record, ...] | None:
    if not isinstance(value, list) or not value:
        return None
    return tuple(Record({k: Decimal(v) if isinstance(v, int) and not isinstance(v, bool) else v
                         for k, v in item.items()}) for item in value if isinstance(item, dict))

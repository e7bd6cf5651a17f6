"""Read a case file strictly and check it against the vocabulary of its year's rulebook."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine.case.models import AffiliatedGroup, Case, CategoryInput
from engine.errors import CaseError, Problem
from engine.rulebook.compiled import Rulebook
from engine.rulebook.models import CaseInputs, CategorySpec
from engine.rulebook.registry import display_path
from engine.rulebook.validation_messages import problems_from
from engine.rulebook.text_source import SourceError, missing, read_text
from engine.rulebook.yaml_source import LocatedDict, locate, locate_key, parse_yaml


def read_case(path: Path) -> tuple[Case, Any, str]:
    """Parse and structurally validate a case file (YAML or JSON); returns case, document, display name."""
    document, name = read_case_document(path)
    return validate_case(document, name), document, name


def read_case_document(path: Path, text: str | None = None) -> tuple[LocatedDict, str]:
    """Parse a case (or profile) file strictly into a located mapping (`text`: its content, already read)."""
    name = display_path(path)
    if text is None and not path.is_file():
        raise CaseError(f"{name}: {missing(path, 'case file')}")
    try:
        document = _parsed(read_text(path) if text is None else text)
    except SourceError as exc:
        raise CaseError([Problem(name, exc.line, exc.column, "", exc.message)]) from None
    if not isinstance(document, LocatedDict):
        raise CaseError([Problem(name, 1, None, "", "a case must be a mapping (YAML or JSON object)")])
    return document, name


def submission_paths(case_path: Path, document: LocatedDict, name: str, allow_outside: bool = False) -> list[Path]:
    """The QPP files a case lists under `submissions`, resolved beneath the case file's folder.

    A listed file outside that folder (`../x.json`, an absolute path, a symbolic link leading out)
    is refused unless `allow_outside`; the message names only the entry, never the file's content.
    """
    entries = document.get("submissions", []) or []
    if not entries:
        return []
    folder = case_path.parent.resolve()
    paths, problems = [], []
    for index, entry in enumerate(entries):
        if not isinstance(entry, str):
            continue  # the case model reports the wrong type
        path = case_path.parent / entry
        try:
            inside = path.resolve().is_relative_to(folder)
        except (OSError, RuntimeError):
            inside = False
        if not inside and not allow_outside:
            where = locate(document, ("submissions", index))
            problems.append(Problem(name, where.line if where else None, where.column if where else None,
                                    f"submissions[{index}]", f"'{entry}' lies outside the case file's folder; "
                                    "move it beside the case, or pass --allow-outside to read it"))
        paths.append(path)
    if problems:
        raise CaseError(problems)
    return paths


@lru_cache(maxsize=64)
def _parsed(text: str) -> Any:
    """A case or profile text, parsed once per process (many submissions share one profile); the
    document is read, never changed, by what follows."""
    return parse_yaml(text)


def validate_case(document: Any, name: str) -> Case:
    """Structurally validate a parsed case document."""
    try:
        return Case.model_validate(document)
    except ValidationError as exc:
        raise CaseError(problems_from(exc, Case, document, name)) from None


def entity_type_problem(case: Case, inputs: CaseInputs, document: Any, name: str) -> Problem | None:
    """The problem of an entity type the year does not know (None when it knows it)."""
    if case.entity.type in inputs.entity_types:
        return None
    where = locate(document, ("entity", "type"))
    return Problem(name, where.line if where else None, where.column if where else None, "entity.type",
                   f"unknown entity type '{case.entity.type}'; use one of {', '.join(inputs.entity_types)}")


def check_case(case: Case, rulebook: Rulebook, document: Any, name: str,
               submitted: frozenset[str] = frozenset(), known_measures: frozenset[str] | None = None) -> None:
    """Reject values the rulebook's year does not know or allow; report every problem at once.

    `submitted` names the categories a QPP submission supplies for this case; `known_measures`, when
    given, the measure ids of the year's reference data that measure results may name.
    """
    inputs = rulebook.case_inputs
    problems: list[Problem] = []

    def add(path: tuple[str | int, ...], message: str, key: bool = False) -> None:
        where = (locate_key if key else locate)(document, path)
        text = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")
        problems.append(Problem(name, where.line if where else None, where.column if where else None,
                                text, message))

    entity = inputs.entity_types.get(case.entity.type)
    unknown = entity_type_problem(case, inputs, document, name)
    if unknown is not None:
        problems.append(unknown)
    elif entity.affiliated_group and case.affiliated_group is None:
        add(("entity", "type"), f"{entity.label} cases name their affiliated group, whose facts they take: add "
            "affiliated_group with 'case' (the group's case file), 'result' (its mips score --format json "
            "output) or the group's 'categories'")
    elif not entity.affiliated_group and case.affiliated_group is not None:
        takers = [spec.label for spec in inputs.entity_types.values() if spec.affiliated_group]
        add(("affiliated_group",), f"only {' or '.join(takers) or 'subgroup'} cases name an affiliated group; "
            f"this case is of a {entity.label}; remove affiliated_group", key=True)
    for index, status in enumerate(case.special_statuses):
        if status not in inputs.special_statuses:
            add(("special_statuses", index), f"unknown special status '{status}' for {rulebook.year}; "
                f"known: {', '.join(inputs.special_statuses)}")
    given_type = case.eligibility.clinician_type if case.eligibility else None
    if given_type is not None and given_type not in inputs.clinician_types:
        add(("eligibility", "clinician_type"), f"unknown clinician type '{given_type}' for {rulebook.year}; "
            f"known: {', '.join(inputs.clinician_types) or 'none'}")
    for bonus in case.bonuses:
        if bonus not in inputs.bonuses:
            add(("bonuses", bonus), f"unknown bonus '{bonus}'; known: {', '.join(inputs.bonuses)}", key=True)
    for category in case.categories:
        if category not in inputs.categories:
            add(("categories", category), f"unknown category '{category}'; the {rulebook.year} rulebook has "
                f"{', '.join(inputs.categories)}", key=True)
    for category, spec in inputs.categories.items():
        given = case.categories.get(category)
        if given is None:
            if category not in submitted and not spec.optional:
                add(("categories",), f"missing category '{category}'; give its status "
                    f"({', '.join(spec.statuses)})")
            continue
        if given.from_submission and category not in submitted:
            add(("categories", category, "from_submission"), f"no submission of this case has {spec.label} "
                "data; add the QPP JSON file under 'submissions' or give a score")
        takes = entity is not None and entity.affiliated_group and case.affiliated_group is not None
        if given.from_affiliated_group and not (spec.from_affiliated_group and takes):
            takers = [c.label for c in inputs.categories.values() if c.from_affiliated_group]
            add(("categories", category, "from_affiliated_group"), (
                f"in {rulebook.year} {spec.label} is not taken from an affiliated group; give the subgroup's own "
                f"data (a subgroup takes {' and '.join(takers) or 'no category'} from its group)")
                if not spec.from_affiliated_group else
                "only a subgroup that names its affiliated_group takes category data from it")
        if category in submitted and not given.from_submission:
            add(("categories", category), f"{spec.label} comes from a submission of this case; remove it "
                "here or write 'status: submitted' with 'from_submission: true' to add prior-year facts", key=True)
        _check_category(("categories", category), given, spec, inputs, case.entity.type, rulebook, known_measures, add)
    if case.affiliated_group is not None:
        _check_group(case.affiliated_group, inputs, rulebook, known_measures, add)
    if problems:
        raise CaseError(problems)


Add = Callable[..., None]


def _check_category(path: tuple[str | int, ...], given: CategoryInput, spec: CategorySpec, inputs: CaseInputs,
                    entity_type: str, rulebook: Rulebook, known_measures: frozenset[str] | None, add: Add) -> None:
    """One category's measure results, status, score range and reweighting reason against the year's vocabulary."""
    category = str(path[-1])
    if given.measures is not None and not spec.measure_input:
        add(path + ("measures",), f"{spec.label} takes no measure results in a case; "
            "give a score" + (" or its QPP submission" if category != "cost" else ""))
    first: dict[str, int] = {}
    points = spec.measure_points
    for index, measure in enumerate(given.measures or []):
        at = path + ("measures", index)
        if measure.measure_id in first:
            add(at + ("measure_id",), f"measure '{measure.measure_id}' is already given "
                f"(measures[{first[measure.measure_id]}]); give each measure once")
        first.setdefault(measure.measure_id, index)
        if known_measures is not None and measure.measure_id not in known_measures:
            add(at + ("measure_id",), f"unknown measure "
                f"'{measure.measure_id}' for {rulebook.year}; use a measure id of that year's CMS reference data")
        if points is not None and not points.min <= measure.achievement_points <= points.max:
            add(at + ("achievement_points",), f"{measure.achievement_points} is outside {points.min} to "
                f"{points.max}, the achievement points a {spec.label} measure earns")
    if given.status not in spec.statuses:
        add(path + ("status",), f"status '{given.status}' is not possible for {spec.label}; "
            f"use one of {', '.join(spec.statuses)}")
    if given.score is not None:
        unit = "a percentage" if spec.score_unit == "percent" else "points"
        top = rulebook.parameter_value(spec.score_max) if isinstance(spec.score_max, str) else spec.score_max
        if given.score < spec.score_min:
            add(path + ("score",), f"{given.score} is below {spec.score_min}; "
                f"the {spec.label} score is {unit} from {spec.score_min}"
                + (f" to {top}" if top is not None else ""))
        elif top is not None and given.score > top:
            add(path + ("score",), f"{given.score} is above {top}; "
                f"the {spec.label} score is {unit} from {spec.score_min} to {top}")
    _check_facts(given.facts, spec, path, add)
    if given.reason is not None:
        reason = inputs.reweighting_reasons.get(given.reason)
        allowed = [r for r, s in inputs.reweighting_reasons.items() if s.case_input and category in s.categories]
        if reason is None or not reason.case_input or category not in reason.categories:
            add(path + ("reason",), f"'{given.reason}' is not a reweighting reason for "
                f"{spec.label} a case can state; use one of {', '.join(allowed) or 'none'}")
        elif reason.entity_types is not None and entity_type not in reason.entity_types:
            spec_type = inputs.entity_types.get(entity_type)
            label = spec_type.label if spec_type else entity_type
            add(path + ("reason",), f"in {rulebook.year} {label} cases cannot state '{given.reason}' "
                f"({reason.label}); it is open to {', '.join(reason.entity_types)} cases"
                + ("; a subgroup takes its affiliated group's reweighting instead (give the group's under "
                   "affiliated_group)" if spec_type is not None and spec_type.affiliated_group else ""))


def _check_group(group: AffiliatedGroup, inputs: CaseInputs, rulebook: Rulebook,
                 known_measures: frozenset[str] | None, add: Add) -> None:
    """The stated categories and bonuses of an affiliated group (a group case's vocabulary)."""
    for category, given in group.categories.items():
        spec = inputs.categories.get(category)
        if spec is None:
            add(("affiliated_group", "categories", category), f"unknown category '{category}'; the "
                f"{rulebook.year} rulebook has {', '.join(inputs.categories)}", key=True)
            continue
        _check_category(("affiliated_group", "categories", category), given, spec, inputs, "group", rulebook,
                        known_measures, add)
    for bonus in group.bonuses:
        if bonus not in inputs.bonuses:
            add(("affiliated_group", "bonuses", bonus), f"unknown bonus '{bonus}'; known: "
                f"{', '.join(inputs.bonuses)}", key=True)


def _check_facts(facts: dict[str, Any], spec: CategorySpec, at: tuple[str | int, ...], add: Any) -> None:
    """Each stated category fact is one the year declares, of its type and within its range."""
    for name, value in facts.items():
        path = at + ("facts", name)
        fact = spec.facts.get(name)
        if fact is None:
            known = ", ".join(spec.facts) or "none"
            add(path, f"unknown fact '{name}' for {spec.label}; facts this year's case inputs declare: {known}", key=True)
        elif fact.type == "boolean" and not isinstance(value, bool):
            add(path, f"{fact.label}: give true or false (got {value!r})")
        elif fact.type == "text_list" and not (isinstance(value, list) and all(isinstance(v, (str, int)) and
                                                                                  not isinstance(v, bool) for v in value)):
            add(path, f"{fact.label}: give a list of ids, for example [\"236\", \"047\"] (got {value!r})")
        elif fact.type == "number":
            if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
                add(path, f"{fact.label}: give a number (got {value!r})")
            elif fact.min is not None and value < fact.min:
                add(path, f"{fact.label}: {value} is below {fact.min}")
            elif fact.max is not None and value > fact.max:
                add(path, f"{fact.label}: {value} is above {fact.max}")

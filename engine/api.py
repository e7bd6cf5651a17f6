"""The engine's front door: load rulebooks once, score case files, keep every result traced."""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from engine.affiliation import group_facts
from engine.case.facts import GroupFacts, PlaceFacts, Submitted, build_facts
from engine.case.loader import check_case, read_case, read_case_document, submission_paths, validate_case
from engine.case.models import Case, CategoryInput
from engine.case.place import place_facts
from engine import kinds as _kinds  # noqa: F401  (registers the year data kinds with the loader)
from engine.errors import CaseError, EvaluationError, MipsError, Problem
from engine.evaluate import Evaluation
from engine.memo import derived
from engine.pathways import Selection, select_pathway
from engine.result import Result, collect_unconfirmed
from engine.rulebook import contract
from engine.rulebook.compiled import Rulebook
from engine.rulebook.loading import load_rulebook
from engine.rulebook.registry import available_years, display_path, rulebooks_root
from engine.rulebook.yaml_source import LocatedDict, locate


def rulebook_for(year_or_path: str) -> Rulebook:
    """A loaded rulebook, kept for the process under the name it was asked by (in the rulebooks root
    and working folder of the moment).

    Loading itself is cached by content (engine.rulebook.loading.load_rulebook): a year and a path
    naming the same folder, and the years extending one another, share what was compiled once.
    """
    return _named_rulebook(str(year_or_path), str(rulebooks_root()), os.getcwd())


@lru_cache(maxsize=32)
def _named_rulebook(year_or_path: str, root: str, cwd: str) -> Rulebook:
    return load_rulebook(year_or_path)


EVALUATION_SECONDS = 10.0
"""The time one case's evaluation may take before it is stopped with a message (a case takes milliseconds)."""


def pathway_rulebook(base: Rulebook, name: str) -> Rulebook:
    """The rulebook of one of a year's reporting options (its overlays over the year's rules), composed once
    per year's rulebook; an option without overlays is the year's rulebook itself."""
    key = ("api.pathway", name)
    if key not in base.derived:
        pathway = base.pathways.get(name)
        if pathway is not None and not pathway.option.overlays:
            base.derived[key] = base
        else:
            from engine.rulebook.loader import load_pathway  # composes the overlays (and imports the checks)
            base.derived[key] = load_pathway(base, name)
    return base.derived[key]


def select(case: Case, base: Rulebook, document: Any = None, case_file: str = "",
           submissions: list[tuple[Any, Any, str]] | None = None) -> Selection:
    """The year's reporting option that scores the case (and its submissions), with why."""
    return select_pathway(base, case, document, case_file, lambda: _reference(base.year), submissions or [],
                          _other_years)


def _reference(year: int) -> Any:
    """A year's CMS reference data (the reference stage is imported only when a program list is read)."""
    from engine.reference.loader import load_reference
    return load_reference(year)


def _other_years() -> list[tuple[Rulebook, Any]]:
    """Every year's rulebook with a reader of its reference data (for messages naming other years)."""
    found = []
    for year in available_years():
        try:
            book = rulebook_for(str(year))
        except MipsError:
            continue
        found.append((book, lambda y=year: _reference(y)))
    return found


def score(case: Case, rulebook: Rulebook, case_file: str = "", submitted: Submitted | None = None,
          place: PlaceFacts | None = None, selection: Selection | None = None,
          group: GroupFacts | None = None) -> Result:
    """Evaluate one case (its submitted data, its place, its affiliated group) under the reporting option it
    selects in the year's rulebook, and return the traced result; the selection is the trace's first step."""
    if selection is None:
        selection = select(case, rulebook, case_file=case_file)
    book = pathway_rulebook(rulebook, selection.name)
    facts = build_facts(case, book.case_inputs, submitted, place, program=selection.program, group=group)
    return score_facts(facts, book, case.case_id, case_file, selection, case)


def score_facts(facts: dict[str, Any], rulebook: Rulebook, case_id: str | None = None, case_file: str = "",
                selection: Selection | None = None, case: Case | None = None) -> Result:
    """Evaluate the rulebook for facts already built (every fact name present, None when missing), as built
    for a case or as another way of scoring it changes them; the selection, when given, is the trace's
    first step."""
    evaluation = Evaluation(rulebook, facts, seconds=EVALUATION_SECONDS)
    try:
        roots = evaluation.run_all(_reported(rulebook), contract.EXPLAINED_PREFIXES)
    except RecursionError:
        raise EvaluationError(f"{rulebook.root}: the rules nest too deeply to evaluate for this case; run "
                              f"`mips rulebook validate {rulebook.root}`") from None
    if selection:
        roots.insert(0, selection.trace_node())  # the evaluation's own list: steps evaluated later join it
    return Result(case_id, case_file, rulebook, evaluation, roots, collect_unconfirmed(roots, rulebook), selection,
                  case)


def _reported(rulebook: Rulebook) -> list[str]:
    """The outputs a result reports, in the order they head the trace (derived once per rulebook)."""
    key = ("api.reported",)
    if key not in rulebook.derived:
        rulebook.derived[key] = (list(contract.TOP_LEVEL)
                                 + [n for n in contract.OPTIONAL_TOP_LEVEL if n in rulebook.outputs]
                                 + [f"{c}.{f}" for c in rulebook.categories for f in contract.PER_CATEGORY])
    return rulebook.derived[key]


def score_file(path: Path, rulebook: str | None = None, profile: Path | None = None,
               allow_outside: bool = False, more: Sequence[Path] = (), *, text: str | None = None,
               _within: tuple[Path, ...] = ()) -> Result:
    """Score a case file, or a QPP submission (and `more` of the same clinician) with a profile of the facts they lack.

    A case may list QPP JSON files under `submissions` (relative to the case file, beneath its folder
    unless `allow_outside`); their quality, PI and IA data then feed the category scores. `text` is
    the content of `path` when it was read already (standard input); `path` then names it in messages.
    """
    if profile is None:
        from engine.inputs import require_profile
        require_profile(path, text)
    case_path = profile if profile is not None else path
    document, name = read_case_document(case_path, text if profile is None else None)
    paths = submission_paths(case_path, document, name, allow_outside)
    given = [(path, text), *((p, None) for p in more)] if profile is not None else []
    read = _read_submissions(given + [(p, None) for p in paths])
    year_at = (document, name, ("performance_year",))
    if read:
        if "performance_year" not in document:
            year_at = (read[0][1], read[0][2], ("performanceYear",))
        document = _with_identity(document, read)
    case = _validated(document, name)
    base = _rulebook(case, year_at, rulebook)
    selection = select(case, base, document, name, read)
    book = pathway_rulebook(base, selection.name)
    submitted: Submitted = {}
    if read:
        from engine.case.submissions import submitted_categories
        from engine.qpp.measurements import SubmissionFacts, derive_facts
        from engine.qpp.validate import validate_submission
        from engine.reference.loader import load_reference

        reference = load_reference(book.year)
        facts: list[tuple[str, SubmissionFacts]] = []
        problems: list[Problem] = []
        for submission, sub_document, sub_name in read:
            try:
                values = validate_submission(submission, reference, sub_document, sub_name)
            except CaseError as exc:
                problems += exc.problems
                continue
            facts.append((sub_name, derive_facts(submission, reference, values)))
        if problems:
            raise CaseError(problems)
        submitted = submitted_categories(facts, reference)
    check_case(case, book, document, name, frozenset(submitted), _known_measures(case, book.year))
    filled = {c: CategoryInput(status="submitted", from_submission=True) for c in submitted if c not in case.categories}
    if filled:
        case = case.model_copy(update={"categories": case.categories | filled})
    scored = read[0][2] if profile is not None else name  # the file a result is of: the submission, not its profile
    group = group_facts(case, case_path, name, document, book, _group_scorer(case_path, rulebook, allow_outside, _within),
                        allow_outside)
    return score(case, base, scored, submitted, place_facts(case, book.year, name), selection, group)


def score_as_year(path: Path, book: Rulebook) -> Result:
    """Score a case file that gives category scores under another year's rulebook (its year replaced)."""
    parsed, document, name = read_case(path)
    if parsed.submissions:
        raise CaseError(f"{name}: a case with QPP submissions is scored under its own year only; "
                        "compare years with a case that gives category scores, or with the other year's files")
    case = parsed.model_copy(update={"performance_year": book.year})
    check_case(case, book, document, name)
    return score(case, book, name, place=place_facts(case, book.year, name))


def _group_scorer(case_path: Path, rulebook: str | None, allow_outside: bool, within: tuple[Path, ...]):
    """Scores an affiliated group's case file (under the same rulebook), refusing a file that names itself."""
    def run(path: Path) -> Result:
        chain = within + (case_path.resolve(),)
        if path.resolve() in chain:
            raise CaseError(f"{display_path(case_path)}: affiliated_group.case: the group's case leads back "
                            f"to {display_path(path)}; name the group's own case file")
        return score_file(path, rulebook, None, allow_outside, _within=chain)
    return run


def _read_submissions(files: list[tuple[Path, str | None]]) -> list[tuple[Any, Any, str]]:
    """Each submission file (QPP JSON, or QRDA III XML converted as CMS does) read and structurally checked
    (the QPP and QRDA stages are imported only when there is one)."""
    if not files:
        return []
    from engine.inputs import read_any_submission
    return [read_any_submission(path, text) for path, text in files]


def _known_measures(case: Case, year: int) -> frozenset[str] | None:
    """Measure ids of the year's reference data, when the case gives measure results to check."""
    if not any(c.measures for c in case.categories.values()):
        return None
    from engine.reference.loader import load_reference
    reference = load_reference(year)
    return derived(reference, "api.measure_ids",
                   lambda: frozenset(reference.quality_measures) | frozenset(reference.cost_measures))


def _with_identity(document: LocatedDict, read: list[tuple[Any, Any, str]]) -> LocatedDict:
    """Take the performance year and entity from the first submission where the case does not give them
    (made once per case document and identity: the document is read, never changed)."""
    from engine.case.submissions import ENTITY_TYPES
    submission, _, sub_name = read[0]
    for other, _, other_name in read[1:]:
        if other.performanceYear != submission.performanceYear:
            raise CaseError(f"{other_name}: performance year {other.performanceYear} differs from "
                            f"{submission.performanceYear} in {sub_name}; score one year at a time")
    entity = {k: v for k, v in {
        "type": ENTITY_TYPES.get(submission.entityType, submission.entityType),
        "tin": submission.taxpayerIdentificationNumber,
        "npi": submission.nationalProviderIdentifier}.items() if v is not None}

    def filled() -> LocatedDict:
        given = LocatedDict(document)
        given.where, given.key_where, given.value_where = document.where, document.key_where, document.value_where
        given.setdefault("performance_year", submission.performanceYear)
        given.setdefault("entity", entity)
        return given
    return derived(document, f"api.identity {submission.performanceYear!r} {entity!r}", filled)


def _validated(document: LocatedDict, name: str) -> Case:
    """The case of a parsed document, validated once per document (the document is read, never changed;
    a document that does not validate raises each time it is read)."""
    return derived(document, "api.case", lambda: validate_case(document, name))


def _rulebook(case: Case, year_at: tuple[Any, str, tuple[str, ...]], rulebook: str | None) -> Rulebook:
    """The case's rulebook; `year_at` is the document, file name and key that gave its performance year."""
    document, name, key = year_at
    if rulebook is not None:
        book = rulebook_for(rulebook)
        if book.year != case.performance_year:
            raise MipsError(f"{name}: the case is for {case.performance_year} but the rulebook "
                            f"{book.root} is for {book.year}")
        return book
    if str(case.performance_year) not in {str(y) for y in available_years()}:
        where = locate(document, key)
        years = ", ".join(str(y) for y in available_years()) or "none"
        raise CaseError([Problem(name, where.line if where else None, where.column if where else None,
                                 key[0], f"no rulebook for performance year "
                                 f"{case.performance_year}; available years: {years}")])
    return rulebook_for(str(case.performance_year))

"""Select the reporting option (pathway) that scores a case, from what the year's pathways.yaml declares.

A QPP submission selects by the programName of its measurement sets, a case by its `program` field,
and a case that names no program by its entity type's default. Every decision names where it is
written; a program the year does not declare, one that cannot be reported by the entity type, or two
programs in one case are refused with their location and what to do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from engine.case.facts import ProgramFacts
from engine.case.loader import entity_type_problem
from engine.case.models import Case
from engine.errors import CaseError, Problem
from engine.rulebook.compiled import Origin, Pathway, Rulebook
from engine.rulebook.validation_messages import dotted
from engine.rulebook.yaml_source import locate
from engine.trace import Read, TraceNode
from engine.trace.node import ItemStep

if TYPE_CHECKING:
    from engine.qpp.models import Submission
    from engine.reference.models import Mvp, ReferenceData

SubmissionRead = tuple["Submission", Any, str]
"""A read submission: the model, its located document and its display name."""
PROGRAM_LISTS: dict[str, tuple[Callable[[ReferenceData], dict[str, Mvp]], str]] = {
    "mvps": (lambda reference: reference.mvps, "an MVP id"),
}
"""Reference data lists a pathway's programName may come from (pathways.yaml `program_list`), and how
messages name one of their ids."""


class Selection(NamedTuple):
    """The option that scores a case: which, the programName that chose it, why, and where that is written."""

    pathway: Pathway
    program: ProgramFacts
    why: str
    at: Origin
    source: str
    status: str
    note: str | None
    reads: tuple[Read, ...]

    @property
    def name(self) -> str:
        return self.pathway.name

    @property
    def label(self) -> str:
        return self.pathway.option.label

    @property
    def display_name(self) -> str:
        """The option as a sentence names it: its label, with the program's id and title when the program
        is one of a list (an MVP)."""
        if self.program.title == self.label:
            return self.label
        return f"{self.label}, {self.program.name} '{self.program.title}'"

    def trace_node(self) -> TraceNode:
        """The selection as the first step of the trace (what it read are facts of the case and its files)."""
        step = ItemStep("pathway", f"Reporting option that scores this case: {self.why}", self.at, self.source,
                        self.status, self.note)
        node = TraceNode(step, lambda name: ("fact", None, None))
        node.values.update((read.name, read.value) for read in self.reads)
        node.output = self.pathway.name
        return node

    def to_data(self) -> dict[str, Any]:
        return {"name": self.pathway.name, "label": self.label, "program": self.program.name,
                "program_title": self.program.title, "why": self.why, "at": str(self.at),
                "source": self.source, "status": self.status}


class _Declared(NamedTuple):
    """A programName stated by a submission's measurement set or by the case, with its location."""

    program: str
    file: str
    path: tuple[str | int, ...]
    document: Any
    entity_path: tuple[str | int, ...]

    def problem(self, message: str, path: tuple[str | int, ...] | None = None) -> Problem:
        where = locate(self.document, path or self.path)
        return Problem(self.file, where.line if where else None, where.column if where else None,
                       dotted(path or self.path), message)

    @property
    def place(self) -> str:
        return f"{dotted(self.path)} of {self.file}"


Reference = Callable[[], "ReferenceData"]
"""Reads a year's reference data when (and only when) a program list is consulted."""
OtherYears = Callable[[], Iterable[tuple[Rulebook, Reference]]]


def select_pathway(book: Rulebook, case: Case, document: Any, name: str, reference: Reference,
                   submissions: Iterable[SubmissionRead] = (), other_years: OtherYears = lambda: ()) -> Selection:
    """The option of `book`'s year that scores the case; raise CaseError naming what is wrong and where.

    `other_years` gives every year's rulebook and reference data, read only to say in which years a
    program unknown this year exists.
    """
    unknown = entity_type_problem(case, book.case_inputs, document, name)
    if unknown is not None:
        raise CaseError([unknown])
    declared = _declared(case, document, name, list(submissions))
    if not declared:
        return _by_default(book, case, document, name, reference)
    first = declared[0]
    for other in declared[1:]:
        if other.program != first.program:
            raise CaseError([other.problem(
                f"programName '{other.program}' differs from '{first.program}' ({first.place}); CMS scores each "
                "program on its own: score the measurement sets of each program as a case of their own")])
    pathway, program = _option(book, first, reference, other_years)
    entity_type = case.entity.type
    if entity_type not in pathway.option.entity_types:
        raise CaseError([first.problem(
            f"a {_entity(book, entity_type)} cannot report {pathway.option.label} (programName "
            f"'{first.program}'); it is open to: "
            + ", ".join(_entity(book, e) for e in pathway.option.entity_types)
            + "; report another program or correct the entity type", first.entity_path)])
    stated = ("the case states program" if first.path == ("program",)
              else f"the submission declares ({dotted(first.path)}) programName")
    why = f"{stated} {first.program}{_titled(program, pathway)}, which selects {pathway.option.label}"
    reads = (Read("program", "fact", first.program), Read("facts.entity.type", "fact", entity_type))
    return Selection(pathway, program, why, pathway.origin, pathway.option.source, pathway.option.status,
                     pathway.option.note, reads)


def _declared(case: Case, document: Any, name: str, submissions: list[SubmissionRead]) -> list[_Declared]:
    """Every programName the case and its submissions state, case first."""
    found = []
    if case.program is not None:
        found.append(_Declared(case.program, name, ("program",), document, ("entity", "type")))
    for submission, sub_document, sub_name in submissions:
        for index, mset in enumerate(submission.measurementSets):
            found.append(_Declared(mset.programName, sub_name, ("measurementSets", index, "programName"),
                                   sub_document, ("entityType",)))
    return found


def _by_default(book: Rulebook, case: Case, document: Any, name: str, reference: Reference) -> Selection:
    default = book.pathway_defaults.get(case.entity.type)
    if default is None:
        where = locate(document, ("entity", "type"))
        programs = ", ".join(_program_names(book, reference)) or "none"
        raise CaseError([Problem(name, where.line if where else None, where.column if where else None, "program",
                                 f"a {_entity(book, case.entity.type)} case must state the program it reports "
                                 f"in {book.year}: add 'program:' with one of {programs}")])
    pathway = book.pathways[default.default.pathway]
    program = ProgramFacts(_default_program(pathway), pathway.name, pathway.option.label)
    why = f"the case names no program, and {' '.join(default.default.reason.split())}"
    reads = (Read("facts.entity.type", "fact", case.entity.type),)
    return Selection(pathway, program, why, default.origin, default.default.source, default.default.status,
                     default.default.note, reads)


def _default_program(pathway: Pathway) -> str:
    return pathway.option.programs[0] if pathway.option.programs else pathway.name


def _option(book: Rulebook, declared: _Declared, reference: Reference,
            other_years: OtherYears) -> tuple[Pathway, ProgramFacts]:
    found = _match(book, declared.program, reference)
    if found is not None:
        return found
    elsewhere = sorted({(year_book.year, match[0].option.label) for year_book, year_reference in other_years()
                        if year_book.year != book.year
                        and (match := _match(year_book, declared.program, year_reference)) is not None})
    programs = ", ".join(_program_names(book, reference))
    if elsewhere:
        years = ", ".join(str(year) for year, _ in elsewhere)
        label = elsewhere[-1][1]
        message = (f"programName '{declared.program}' ({label}) is a program of performance year {years}, not of "
                   f"{book.year}; for {book.year} use one of: {programs}")
    else:
        message = (f"programName '{declared.program}' is not a program of performance year {book.year} that "
                   f"this engine scores; use one of: {programs}")
    raise CaseError([declared.problem(message)])


def _match(book: Rulebook, program: str, reference: Reference) -> tuple[Pathway, ProgramFacts] | None:
    """The option a programName selects in a year, with the program's facts; None when none does."""
    for pathway in book.pathways.values():
        option = pathway.option
        if program in option.programs:
            return pathway, ProgramFacts(program, pathway.name, option.label)
        if option.program_list is not None:
            record = PROGRAM_LISTS[option.program_list][0](reference()).get(program)
            if record is not None:
                return pathway, _mvp_facts(record, pathway)
    return None


def _mvp_facts(mvp: Mvp, pathway: Pathway) -> ProgramFacts:
    return ProgramFacts(mvp.id, pathway.name, mvp.title, mvp.quality_measure_ids, mvp.ia_measure_ids,
                        mvp.cost_measure_ids, mvp.foundation_quality_measure_ids,
                        mvp.administrative_claims_measure_ids, mvp.has_cahps)


def _program_names(book: Rulebook, reference: Reference) -> list[str]:
    """The programName values of a year, with what each selects (an MVP list shortened to its ids)."""
    names = []
    for pathway in book.pathways.values():
        option = pathway.option
        names += [f"{program} ({option.label})" for program in option.programs]
        if option.program_list is not None:
            listed, noun = PROGRAM_LISTS[option.program_list]
            ids = sorted(listed(reference()))
            if ids:
                names.append(f"{noun} ({option.label}: {', '.join(ids)})")
    return names


def _titled(program: ProgramFacts, pathway: Pathway) -> str:
    return f" ('{program.title}')" if program.title != pathway.option.label else ""


def _entity(book: Rulebook, entity_type: str) -> str:
    spec = book.case_inputs.entity_types.get(entity_type)
    return spec.label if spec else entity_type


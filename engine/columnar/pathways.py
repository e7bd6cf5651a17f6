"""Score each row of a population under the reporting option (pathway) that scores it.

`rulebooks/population/YEAR/reporting.yaml` says which column of the public use file names a row's
reporting option and which pathway of the year's `pathways.yaml` each value selects; a row whose
column is empty takes its entity type's default, as a case naming no program does. Every pathway's
composed rulebook (engine.api.pathway_rulebook) is compiled on its own, the rows are split by
pathway, each part is scored by its plan and the parts are joined back in row order. Which pathway
a row gets, or why it gets none, is decided at compile time for every (entity type, value) pair by
one function the traced check calls too; at run time each row only looks its pair up.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from engine.api import pathway_rulebook, rulebook_for
from engine.datafiles import read_model
from engine.errors import MipsError, Problem, RulebookError
from engine.rulebook import citations
from engine.rulebook.compiled import Rulebook
from engine.rulebook.registry import display_path
from engine.rulebook.yaml_source import locate

from .expressions import ExpressionCompiler
from .inputs import MAX_SHOWN, ROW, reading, typed
from .mapping import COLUMN_PREFIX, Mapping, population_root, population_years
from .plan import PROBLEM
from .scorer import Scorer, compile_scorer
from .values import Col, Errors

FILE = "reporting.yaml"
PATHWAY = "pathway"
"""Output column: the reporting option that scored the row (null when none could)."""
ENTITY_FACT = "facts.entity.type"
_WHY = "pathway!problem"
_ENTITY = "pathway!entity"
UNDECLARED = "the row's entity type is none the rulebook declares (see the mapping's facts.entity.type)"

Transform = Callable[[Rulebook], Rulebook]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Value(_Strict):
    pathway: str = Field(description="the pathway of the year's pathways.yaml this value selects")
    status: Literal["confirmed", "secondary", "derived", "unconfirmed"] | None = None
    note: str | None = None


class ReportingFile(_Strict):
    description: str
    column: str | None = Field(description="alias (columns.yaml) of the column naming the reporting option; "
                                           "null when the file has none")
    values: dict[str, Value]
    source: str
    status: Literal["confirmed", "secondary", "derived", "unconfirmed"]
    note: str | None = None


@dataclass(frozen=True)
class Reporting:
    """A loaded reporting.yaml: the file family's year, its display name and the line of each value."""

    year: int
    file: str
    spec: ReportingFile
    lines: dict[str, int]

    def where(self, value: str | None = None) -> str:
        line = self.lines.get(value or "column")
        return f"{self.file}:{line}" if line else self.file


def load_reporting(year: int) -> Reporting:
    """The reporting option mapping of performance year `year`'s file (the latest at or before it)."""
    years = [y for y in population_years() if y <= year and (population_root() / str(y) / FILE).is_file()]
    if not years:
        raise MipsError(f"no reporting option mapping for performance year {year} or before "
                        f"(rulebooks/population/YEAR/{FILE})")
    path = population_root() / str(years[-1]) / FILE
    data, spec, problems = read_model(path, ReportingFile)
    problems += citations.check_file(data, path)
    if spec is None or problems:
        raise RulebookError(problems)
    lines = {"column": _line(data, ("column",))}
    lines |= {value: _line(data, ("values", value)) for value in spec.values}
    return Reporting(years[-1], display_path(path), spec, lines)


def _line(data: Any, path: tuple[str, ...]) -> int:
    found = locate(data, path)
    return found.line if found else 0


def check_reporting(reporting: Reporting, mapping: Mapping) -> None:
    """Refuse a reporting mapping whose column is not declared or whose pathways its year does not know."""
    problems: list[Problem] = []
    column = reporting.spec.column
    if column is not None and column not in mapping.spec.columns:
        close = difflib.get_close_matches(column, list(mapping.spec.columns), n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        problems.append(Problem(reporting.file, reporting.lines["column"] or None, None, "column",
                                f"'{column}' is no column alias of {mapping.file}{hint}"))
    known = rulebook_for(str(reporting.year)).pathways
    for value, item in reporting.spec.values.items():
        if item.pathway not in known:
            problems.append(Problem(reporting.file, reporting.lines[value] or None, None, f"values.{value}.pathway",
                                    f"'{item.pathway}' is no reporting option of performance year {reporting.year}; "
                                    f"its options: {', '.join(known)}"))
    if problems:
        raise RulebookError(problems)


def choose(book: Rulebook, reporting: Reporting, mapping: Mapping, entity_type: Any,
           value: str | None) -> tuple[str | None, str | None]:
    """The pathway of `book`'s year that scores a row of this entity type and reporting option value,
    or None and why no pathway can (the selection stage's rules: a named option, else the entity
    type's default, and only an option open to the entity type)."""
    column = _column_name(reporting, mapping)
    entity = _entity_label(book, entity_type)
    if value is None:
        default = book.pathway_defaults.get(entity_type) if isinstance(entity_type, str) else None
        if default is None:
            where = f"'{column}' is empty" if column else "the file names no reporting option"
            return None, (f"{where} and {entity} has no default reporting option in {book.year} "
                          f"(pathways.yaml defaults); the row cannot be scored")
        return default.default.pathway, None
    item = reporting.spec.values.get(value)
    if item is None:
        return None, f"'{column}' value '{value}' is not listed in {reporting.file}"
    pathway = book.pathways.get(item.pathway)
    if pathway is None:
        return None, (f"'{column}' is '{value}' ({reporting.where(value)}), and performance year {book.year} has no "
                      f"reporting option '{item.pathway}'; its options: {', '.join(book.pathways)}")
    if entity_type not in pathway.option.entity_types:
        return None, (f"{entity} cannot report {pathway.option.label} ('{column}' is '{value}', {pathway.origin}); "
                      f"it is open to: {', '.join(book.case_inputs.entity_types[e].label if e in book.case_inputs.entity_types else e for e in pathway.option.entity_types)}")
    return item.pathway, None


def _column_name(reporting: Reporting, mapping: Mapping) -> str | None:
    alias = reporting.spec.column
    return mapping.spec.columns[alias].name if alias is not None else None


def _entity_label(book: Rulebook, entity_type: Any) -> str:
    if entity_type is None:
        return "a row with no entity type"
    spec = book.case_inputs.entity_types.get(entity_type)
    return f"entity type '{spec.label}'" if spec else f"entity type '{entity_type}'"


class _Other:
    """An entity type outside the rulebook's declared ones."""


@dataclass
class PopulationScorer:
    """Every pathway of a year compiled over a mapping's columns, and how a row picks its pathway."""

    base: Rulebook
    mapping: Mapping
    reporting: Reporting
    scorers: dict[str, Scorer]
    entity: pl.Expr
    pathway: pl.Expr
    why: pl.Expr

    @property
    def rulebook(self) -> Rulebook:
        return self.base

    def columns(self) -> list[str]:
        """Every output column of any pathway, the year's own (traditional) outputs first."""
        names: list[str] = []
        for scorer in self.scorers.values():
            names += [name for name in scorer.plan.columns() if name not in names]
        return names

    @property
    def extras(self) -> dict[str, pl.Expr]:
        return next(iter(self.scorers.values())).extras

    @property
    def not_compiled(self) -> dict[str, dict[str, str]]:
        """Per pathway, the rules with no columnar form and why (rows that need one get a problem)."""
        return {name: scorer.not_compiled for name, scorer in self.scorers.items()}

    def typed(self, path: Path, frame: pl.LazyFrame | None = None, check_values: bool = True) -> pl.LazyFrame:
        """The file typed as the mapping says (inputs.typed), its reporting option values checked."""
        result = typed(path, self.mapping, frame, check_values)
        if check_values:
            with reading(path):
                self._check_values(path, result)
        return result

    def _check_values(self, path: Path, frame: pl.LazyFrame) -> None:
        alias = self.reporting.spec.column
        if alias is None:
            return
        column = COLUMN_PREFIX + alias
        known = list(self.reporting.spec.values)
        bad = frame.filter(pl.col(column).is_not_null() & ~pl.col(column).is_in(known))
        count = bad.select(pl.len()).collect().item()
        if not count:
            return
        shown = bad.select(ROW, column).head(MAX_SHOWN).collect()
        rows = ", ".join(f"row {row} '{value}'" for row, value in shown.iter_rows())
        more = f" and {count - shown.height} more" if count > shown.height else ""
        name = self.mapping.spec.columns[alias].name
        raise MipsError(f"{path}: column '{name}': {count} value(s) name no reporting option {self.reporting.file} "
                        f"knows: {rows}{more}; known values: {', '.join(known)} (or empty)")

    def score(self, frame: pl.LazyFrame, extras: bool = True, keep: tuple[str, ...] = ()) -> pl.LazyFrame:
        """Each row scored by its pathway's plan, in row order: the row number, `keep`, the extras (label,
        weight, breakdowns), the pathway, every output of any pathway (null where a row's pathway has
        no such output) and the problem."""
        frame = frame.with_columns(self.entity.alias(_ENTITY)).with_columns(
            self.pathway.alias(PATHWAY), self.why.alias(_WHY))
        kept = (*keep, PATHWAY)
        parts = [scorer.score(frame.filter(pl.col(PATHWAY) == name), extras, kept)
                 for name, scorer in self.scorers.items()]
        first = next(iter(self.scorers.values()))
        unscored = first.score(frame.filter(pl.col(PATHWAY).is_null()), extras, (*kept, _WHY))
        outputs = first.plan.columns()
        parts.append(unscored.with_columns(*[pl.lit(None).cast(dtype).alias(name) for name, dtype in
                                             unscored.collect_schema().items() if name in outputs],
                                           pl.col(_WHY).alias(PROBLEM)).drop(_WHY))
        joined = pl.concat(parts, how="diagonal_relaxed").sort(ROW)
        head = [ROW, *[c for c in keep if c != ROW]]
        if extras:
            head += [name for name in self.extras if name not in head]
        return joined.select(*head, PATHWAY, *self.columns(), PROBLEM)


def compile_population(base: Rulebook, mapping: Mapping, reporting: Reporting | None = None,
                       transform: Transform | None = None) -> PopulationScorer:
    """Compile every pathway of `base`'s year (its composed rulebook, through `transform` when given)
    over the mapping, with the reporting option mapping of the file's year (by default `base`'s)."""
    reporting = reporting or load_reporting(base.year)
    check_reporting(reporting, mapping)
    scorers: dict[str, Scorer] = {}
    names = list(base.pathways) or ["traditional"]
    for name in names:
        book = pathway_rulebook(base, name) if base.pathways else base
        scorers[name] = compile_scorer(transform(book) if transform else book, mapping)
    entity = _entity_expression(mapping)
    entities: list[Any] = [*base.case_inputs.entity_types, None, _Other]
    values: list[str | None] = [*reporting.spec.values, None, "(another value)"]
    pathways: list[str | None] = []
    whys: list[str | None] = []
    for entity_type in entities:
        for value in values:
            if entity_type is _Other:
                pathway, why = None, UNDECLARED
            else:
                pathway, why = choose(base, reporting, mapping, entity_type, value)
            pathways.append(pathway)
            whys.append(why)
    entity_index = _index(pl.col(_ENTITY), list(base.case_inputs.entity_types))
    alias = reporting.spec.column
    if alias is None:
        value_index = pl.lit(len(values) - 2, pl.Int64)
    else:
        value_index = _index(pl.col(COLUMN_PREFIX + alias), list(reporting.spec.values))
    key = entity_index * len(values) + value_index
    pathway = pl.lit(pl.Series(pathways, dtype=pl.String)).gather(key)
    why = pl.lit(pl.Series([_problem(w) for w in whys], dtype=pl.String)).gather(key)
    return PopulationScorer(base, mapping, reporting, scorers, entity, pathway, why)


def _index(column: pl.Expr, known: list[str]) -> pl.Expr:
    """A value's position among `known`; len(known) for a missing value, len(known) + 1 for another."""
    found = column.replace_strict(known, list(range(len(known))), default=len(known) + 1, return_dtype=pl.Int64)
    return pl.when(column.is_null()).then(pl.lit(len(known), pl.Int64)).otherwise(found)


def _problem(why: str | None) -> str | None:
    return None if why is None else f"reporting option: {why}"


def _entity_expression(mapping: Mapping) -> pl.Expr:
    """The entity type of each row, as the mapping computes it (null where it cannot)."""
    expression = mapping.facts.get(ENTITY_FACT)
    if expression is None:
        return pl.lit(None, pl.String)
    columns = {COLUMN_PREFIX + alias: Col(spec.type, pl.col(COLUMN_PREFIX + alias))
               for alias, spec in mapping.spec.columns.items()}
    col = ExpressionCompiler(columns.__getitem__, Errors(), ENTITY_FACT).compile(expression.source)
    if col.kind != "string":
        return pl.lit(None, pl.String)
    return col.polars()


def row_pathway(population: PopulationScorer, row: dict[str, Any]) -> tuple[str | None, str | None]:
    """One row's pathway (or why none), decided the traced way: the mapping's expression evaluated on the
    row, then `choose`."""
    expression = population.mapping.facts.get(ENTITY_FACT)
    entity = expression.evaluate(row.__getitem__) if expression is not None else None
    alias = population.reporting.spec.column
    value = row[COLUMN_PREFIX + alias] if alias is not None else None
    if entity is not None and entity not in population.base.case_inputs.entity_types:
        return None, _problem(UNDECLARED)
    pathway, why = choose(population.base, population.reporting, population.mapping, entity, value)
    return pathway, _problem(why)

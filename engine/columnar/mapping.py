"""The population column mapping: which columns of a public use file become which facts.

`rulebooks/population/YEAR/columns.yaml` names the file's columns (as CMS publishes them) with a
short alias and a type, and gives each fact a rulebook reads as an expression of the language over
`col.ALIAS` names. The same expressions build one row's facts for the traced engine and compile to
columns for a whole population: the mapping is data, read the same way by both.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.datafiles import read_model
from engine.rulebook import citations
from engine.errors import MipsError, Problem, RulebookError
from engine.expr import Expression, ExpressionSyntaxError, compile_expression
from engine.rulebook.registry import display_path, rulebooks_root
from engine.rulebook.yaml_source import locate

FOLDER = "population"
FILE = "columns.yaml"
"""Population data live beside the year rulebooks, in `rulebooks/population/YEAR/`: they describe
CMS's files and results, not rules, so they are not part of any rulebook (nor of its hash)."""
COLUMN_PREFIX = "col."


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColumnSpec(_Strict):
    name: str = Field(description="the column's name in the file, exactly as CMS publishes it")
    type: Literal["number", "boolean", "string"]
    description: str
    optional: bool = Field(default=False, description="a file without this column is read as if it were empty")


class Booleans(_Strict):
    true_values: list[str] = Field(min_length=1)
    false_values: list[str] = Field(min_length=1)


class Derived(_Strict):
    value: str = Field(description="an expression over col.ALIAS names")
    description: str | None = None
    note: str | None = None


class Compared(_Strict):
    value: str = Field(description="an expression over col.ALIAS names: the file's own value of the output")
    tolerance: Decimal = Field(ge=0, description="largest difference counted as agreement (the file's rounding)")
    description: str | None = None


class MappingFile(_Strict):
    description: str
    file: str = Field(description="the file this mapping reads (title and where to download it)")
    source: str
    status: Literal["confirmed", "secondary", "derived", "unconfirmed"]
    note: str | None = None
    booleans: Booleans
    columns: dict[str, ColumnSpec]
    facts: dict[str, Derived]
    label: str = Field(description="an expression naming a row in messages (for example its NPI)")
    weight: Derived | None = Field(default=None, description="each row's weight in payment totals")
    breakdowns: dict[str, Derived] = Field(default_factory=dict)
    compare: dict[str, Compared] = Field(default_factory=dict, description="rulebook outputs the file also gives")


@dataclass(frozen=True)
class Mapping:
    """A loaded mapping: expressions compiled once, every position known for messages."""

    year: int
    file: str
    spec: MappingFile
    facts: dict[str, Expression]
    label: Expression
    weight: Expression | None
    breakdowns: dict[str, Expression]
    compare: dict[str, Expression]
    lines: dict[str, int]

    def where(self, key: str) -> str:
        line = self.lines.get(key)
        return f"{self.file}:{line}" if line else self.file


def mapping_year(year: int) -> int:
    """The latest year at or before `year` that has a column mapping (the file family it belongs to)."""
    years = [y for y in population_years() if y <= year and _path(y).is_file()]
    if not years:
        known = ", ".join(str(y) for y in population_years() if _path(y).is_file()) or "none"
        raise MipsError(f"no public use file column mapping for performance year {year} or before; "
                        f"years with one: {known}")
    return years[-1]


def load_mapping(year: int) -> Mapping:
    """The column mapping that reads performance year `year`'s public use file."""
    return load_mapping_file(_path(mapping_year(year)))


def load_mapping_file(path: Path) -> Mapping:
    data, spec, problems = read_model(path, MappingFile)
    problems += citations.check_file(data, path)
    name = display_path(path)
    if spec is None:
        raise RulebookError(problems)
    lines: dict[str, int] = {}

    def expression(where: tuple[str, ...], source: str) -> Expression | None:
        found = locate(data, where)
        line = found.line if found else None
        lines[".".join(where[:2])] = line or 0
        try:
            expr = compile_expression(source)
        except ExpressionSyntaxError as exc:
            problems.append(Problem(name, line, None, ".".join(where), str(exc)))
            return None
        for ref in expr.names:
            alias = ref.removeprefix(COLUMN_PREFIX)
            if not ref.startswith(COLUMN_PREFIX) or alias not in spec.columns:
                close = difflib.get_close_matches(alias, list(spec.columns), n=1)
                hint = f"; did you mean col.{close[0]}?" if close else ""
                problems.append(Problem(name, line, None, ".".join(where),
                                        f"'{ref}' is no declared column (write col.ALIAS with an alias "
                                        f"under 'columns'){hint}"))
        return expr

    facts = {fact: expression(("facts", fact, "value"), item.value) for fact, item in spec.facts.items()}
    for fact in spec.facts:
        if not fact.startswith("facts."):
            found = locate(data, ("facts",))
            problems.append(Problem(name, found.line if found else None, None, f"facts.{fact}",
                                    f"'{fact}' is no fact name; facts are named facts.*"))
    label = expression(("label",), spec.label)
    weight = expression(("weight", "value"), spec.weight.value) if spec.weight else None
    breakdowns = {key: expression(("breakdowns", key, "value"), item.value) for key, item in spec.breakdowns.items()}
    compare = {key: expression(("compare", key, "value"), item.value) for key, item in spec.compare.items()}
    for alias, column in spec.columns.items():
        found = locate(data, ("columns", alias))
        lines[f"columns.{alias}"] = found.line if found else 0
    if problems:
        raise RulebookError(sorted(problems, key=lambda p: (p.line or 0, p.path)))
    year = int(path.parent.name) if path.parent.name.isdigit() else 0
    return Mapping(year, name, spec, {k: v for k, v in facts.items() if v is not None}, label,  # type: ignore[arg-type]
                   weight, {k: v for k, v in breakdowns.items() if v is not None},  # type: ignore[misc]
                   {k: v for k, v in compare.items() if v is not None}, lines)  # type: ignore[misc]


def check_fact_names(mapping: Mapping, known: set[str]) -> None:
    """Refuse a mapping that gives a fact the rulebook does not know (a misspelling, a removed fact)."""
    problems = []
    for fact in mapping.facts:
        if fact not in known:
            close = difflib.get_close_matches(fact, sorted(known), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            line = mapping.lines.get(f"facts.{fact}")
            problems.append(Problem(mapping.file, line or None, None, f"facts.{fact}",
                                    f"'{fact}' is no fact of the rulebook{hint}"))
    if problems:
        raise RulebookError(problems)


def population_root() -> Path:
    return rulebooks_root() / FOLDER


def population_years() -> list[int]:
    """Years with a population data folder."""
    root = population_root()
    return sorted(int(p.name) for p in root.iterdir() if p.is_dir() and p.name.isdigit()) if root.is_dir() else []


def _path(year: int) -> Path:
    return population_root() / str(year) / FILE

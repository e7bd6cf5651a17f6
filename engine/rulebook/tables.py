"""Decision tables: load-time checks (row sums, overlaps, coverage) and row lookup."""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any, NamedTuple

from engine.rulebook import models

ANY = "any"
MAX_SITUATIONS = 100_000
MAX_INDEXED = 4096
"""Most situations a table lists ahead with their rows, for lookups by a single dictionary read."""


class TableRow(NamedTuple):
    id: str
    label: str
    when: dict[str, Any]
    then: dict[str, Decimal]
    source: str
    status: str
    note: str | None
    line: int
    file: str

    def matches(self, situation: dict[str, Any]) -> bool:
        return all(cond == ANY or situation[name] == cond for name, cond in self.when.items())


@dataclass(frozen=True)
class DecisionTable:
    name: str
    description: str
    file: str
    line: int
    inputs: dict[str, models.TableInput]
    outputs: dict[str, models.TableOutput]
    rows: tuple[TableRow, ...]
    unreachable: tuple[models.Unreachable, ...]
    source: str
    status: str
    checks: models.TableChecks = models.TableChecks.model_construct()
    """No checks by default (constructed: an empty value needs no validation, which would build the model
    when the module is imported)."""

    def domain(self, name: str) -> tuple[Any, ...]:
        spec = self.inputs[name]
        return (True, False) if spec.type == "boolean" else tuple(spec.values or ())

    def match(self, situation: dict[str, Any]) -> TableRow | None:
        """The single row matching a situation (uniqueness is guaranteed at load time). A table's first
        lookup in a process reads its rows; the next ones list every situation ahead (`_index`)."""
        if "_looked_up" in self.__dict__:
            index = self._index
        else:  # kept in __dict__ beside the cached index (the dataclass is frozen)
            self.__dict__["_looked_up"] = True
            index = None
        if index is not None:
            key = tuple((type(situation[name]), situation[name]) for name in self.inputs)
            try:
                return index[key]
            except (KeyError, TypeError):  # a value outside the listed ones, or one that is no key
                pass
        for row in self.rows:
            if row.matches(situation):
                return row
        return None

    @cached_property
    def _index(self) -> dict[tuple, TableRow | None] | None:
        """Every situation of the inputs' listed values and its row (None when they are not all listed)."""
        domains = [self.domain(name) for name in self.inputs]
        size = 1
        for domain in domains:
            size *= len(domain)
        if not domains or not size or size > MAX_INDEXED:
            return None
        index: dict[tuple, TableRow | None] = {}
        for combo in itertools.product(*domains):
            situation = dict(zip(self.inputs, combo))
            index[tuple((type(v), v) for v in combo)] = next((r for r in self.rows if r.matches(situation)), None)
        return index

    def is_unreachable(self, situation: dict[str, Any]) -> models.Unreachable | None:
        for item in self.unreachable:
            if all(situation[k] == v for k, v in item.when.items()):
                return item
        return None


def describe(situation: dict[str, Any]) -> str:
    return ", ".join(f"{k}={_text(v)}" for k, v in situation.items())


def _text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def build_table(name: str, spec: models.Table, file: str, line: int,
                row_lines: list[int]) -> tuple[DecisionTable, list[tuple[int, str, str]]]:
    """Build a table and check it; returns the table and (line, path, message) problems."""
    problems: list[tuple[int, str, str]] = []
    for input_name, input_spec in spec.inputs.items():
        if input_spec.type == "enum" and not input_spec.values:
            problems.append((line, f"inputs.{input_name}", "an enum input needs 'values'"))
        if input_spec.type == "boolean" and input_spec.values:
            problems.append((line, f"inputs.{input_name}", "a boolean input takes no 'values'"))
    rows = []
    for index, (row, row_line) in enumerate(zip(spec.rows, row_lines)):
        path = f"rows[{index}]"
        problems += _check_keys(row.when, spec.inputs, f"{path}.when", row_line, "input")
        problems += _check_keys(row.then, spec.outputs, f"{path}.then", row_line, "output")
        for input_name, cond in row.when.items():
            if input_name in spec.inputs and cond != ANY and cond not in _domain(spec.inputs[input_name]):
                problems.append((row_line, f"{path}.when.{input_name}",
                                 f"'{_text(cond)}' is not a value of input '{input_name}'; use one of "
                                 f"{', '.join(_text(v) for v in _domain(spec.inputs[input_name]))} or '{ANY}'"))
        rows.append(TableRow(row.id, row.label, dict(row.when), dict(row.then),
                             row.source or spec.source, row.status or spec.status, row.note, row_line, file))
    seen: dict[str, int] = {}
    for row in rows:
        if row.id in seen:
            problems.append((row.line, "rows", f"row id '{row.id}' is used twice (also line {seen[row.id]})"))
        seen.setdefault(row.id, row.line)
    table = DecisionTable(name, spec.description, file, line, dict(spec.inputs), dict(spec.outputs),
                          tuple(rows), tuple(spec.unreachable), spec.source, spec.status, spec.checks)
    if problems:
        return table, problems
    return table, check_table(table, line)


def check_table(table: DecisionTable, line: int) -> list[tuple[int, str, str]]:
    """The row-sum, overlap and coverage checks of a built table."""
    return _check_sums(table, table.checks.row_sum, line) + _check_coverage(table, line)


def change_rows(base: DecisionTable, spec: models.TableRows, file: str, line: int,
                row_lines: list[int]) -> tuple[DecisionTable, list[tuple[int, str, str]]]:
    """The table of the extended year with the rows a later year changes, adds (`new: true`) and removes,
    checked again as a whole; the ids each change names were checked by the caller. Returns the table and
    (line, path, message) problems."""
    problems: list[tuple[int, str, str]] = []
    rows = {row.id: row for row in base.rows if row.id not in spec.remove}
    for index, (change, row_line) in enumerate(zip(spec.rows, row_lines)):
        path = f"rows[{index}]"
        old = rows.get(change.id)
        if change.new:
            assert change.label is not None and change.when is not None and change.then is not None
            row = TableRow(change.id, change.label, dict(change.when), dict(change.then),
                           change.source or base.source, change.status or base.status, change.note, row_line, file)
        elif old is not None:
            given = {k: v for k, v in change.model_dump(exclude={"id", "new"}).items() if v is not None}
            row = TableRow(**{**old._asdict(), **given, "line": row_line, "file": file})
        else:
            continue
        problems += _check_keys(row.when, base.inputs, f"{path}.when", row_line, "input")
        problems += _check_keys(row.then, base.outputs, f"{path}.then", row_line, "output")
        for input_name, cond in row.when.items():
            if input_name in base.inputs and cond != ANY and cond not in base.domain(input_name):
                problems.append((row_line, f"{path}.when.{input_name}",
                                 f"'{_text(cond)}' is not a value of input '{input_name}'; use one of "
                                 f"{', '.join(_text(v) for v in base.domain(input_name))} or '{ANY}'"))
        rows[change.id] = row
    table = dataclasses.replace(base, rows=tuple(rows.values()), file=file, line=line)
    if problems:
        return table, problems
    return table, check_table(table, line)


def _domain(spec: models.TableInput) -> tuple[Any, ...]:
    return (True, False) if spec.type == "boolean" else tuple(spec.values or ())


def _check_keys(given: dict[str, Any], declared: dict[str, Any], path: str, line: int,
                kind: str) -> list[tuple[int, str, str]]:
    problems = []
    for name in given:
        if name not in declared:
            problems.append((line, f"{path}.{name}", f"'{name}' is not a declared {kind}; declared "
                             f"{kind}s: {', '.join(declared)}"))
    for name in declared:
        if name not in given:
            problems.append((line, path, f"missing {kind} '{name}' (write '{ANY}' to match every value)"
                             if kind == "input" else f"missing {kind} '{name}'"))
    return problems


def _check_sums(table: DecisionTable, check: models.RowSumCheck | None,
                line: int) -> list[tuple[int, str, str]]:
    if check is None:
        return []
    problems = []
    for column in check.columns:
        if column not in table.outputs:
            problems.append((line, "checks.row_sum.columns", f"'{column}' is not an output of the table"))
    ids = {row.id for row in table.rows}
    for row_id in check.except_rows:
        if row_id not in ids:
            problems.append((line, "checks.row_sum.except_rows", f"no row has id '{row_id}'"))
    if problems:
        return problems
    for index, row in enumerate(table.rows):
        if row.id in check.except_rows:
            continue
        total = sum((row.then[c] for c in check.columns), Decimal(0))
        if total != check.equals:
            problems.append((row.line, f"rows[{index}].then",
                             f"row '{row.id}' sums to {total}; each row's {' + '.join(check.columns)} "
                             f"must equal {check.equals}"))
    return problems


def _check_coverage(table: DecisionTable, line: int) -> list[tuple[int, str, str]]:
    names = list(table.inputs)
    domains = [table.domain(n) for n in names]
    size = 1
    for domain in domains:
        size *= len(domain)
    if size > MAX_SITUATIONS:
        return [(line, "inputs", f"{size} input combinations are too many to check; split the table")]
    problems: list[tuple[int, str, str]] = []
    reported: set[tuple[str, ...]] = set()
    for combo in itertools.product(*domains):
        situation = dict(zip(names, combo))
        matching = [row for row in table.rows if row.matches(situation)]
        if len(matching) > 1:
            key = tuple(row.id for row in matching)
            if key not in reported:
                reported.add(key)
                rows = " and ".join(f"'{r.id}' (line {r.line})" for r in matching)
                problems.append((matching[1].line, "rows",
                                 f"rows {rows} overlap: both match {describe(situation)}; "
                                 "make their conditions exclusive"))
        elif not matching and table.is_unreachable(situation) is None:
            problems.append((line, "rows", f"no row matches {describe(situation)}; add a row for it "
                             "or declare it under 'unreachable' with a reason"))
    return problems

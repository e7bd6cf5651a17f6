"""Compile a decision-table lookup into columns: a situation key, then a gather of each output.

Which row a situation matches is decided at compile time by the table itself (`DecisionTable.match`,
the same code the traced engine runs), for every combination of input values, including a missing
input and, for text inputs, a value outside the declared ones. At run time each row only computes
its situation's number and picks the answers from small constant lists.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import polars as pl

from engine.rulebook.compiled import Rule
from engine.rulebook.tables import DecisionTable, describe

from .values import CODE, NUMBER, Col, Err, Errors, first

MAX_SITUATIONS = 100_000


class _Other:
    """A text value outside the input's declared values: it equals no condition."""

    def __eq__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return 0

    def __str__(self) -> str:
        return "another value"


OTHER = _Other()


@dataclass(frozen=True)
class CompiledLookup:
    outputs: dict[str, Col]     # rule output name -> column
    row: Col                    # id of the matched row
    key: pl.Expr


def compile_lookup(rule: Rule, inputs: dict[str, Col], errors: Errors, failure: Err) -> CompiledLookup | str:
    """The lookup's outputs and matched row as columns, or why it has no columnar form."""
    spec = rule.lookup
    assert spec is not None
    table = spec.table
    domains: list[tuple[Any, ...]] = []
    indexes: list[pl.Expr] = []
    for name in table.inputs:
        col = inputs[name]
        declared = table.domain(name)
        if col.kind == "boolean":
            domain = (True, False, None)
            index = col.polars().not_().cast(pl.Int64)
        elif col.kind == "string":
            domain = tuple(declared) + (None, OTHER)
            index = col.polars().replace_strict(list(declared), list(range(len(declared))), default=len(declared) + 1,
                                                return_dtype=pl.Int64)
        elif col.kind == "null":
            domain, index = (None,), pl.lit(0, pl.Int64)
        else:
            return f"input '{name}' of table '{table.name}' is {col.kind}; a table input is a boolean or a text"
        if col.may_be_null:
            index = index.fill_null(domain.index(None))
        domains.append(domain)
        indexes.append(index)
    size = 1
    for domain in domains:
        size *= len(domain)
    if size > MAX_SITUATIONS:
        return f"table '{table.name}' has {size} input combinations, too many to compile"
    key = pl.lit(0, pl.Int64)
    stride = 1
    strides = []
    for domain, index in reversed(list(zip(domains, indexes))):
        strides.append(stride)
        key = key + index * stride
        stride *= len(domain)
    names = list(table.inputs)
    row_ids: list[str | None] = []
    values: dict[str, list[Any]] = {column: [] for column in spec.outputs}
    codes: list[int | None] = []
    for combo in itertools.product(*domains):
        situation = dict(zip(names, combo))
        row = table.match(situation)
        row_ids.append(row.id if row else None)
        for column in spec.outputs:
            values[column].append(row.then[column] if row else None)
        codes.append(None if row else errors.code(rule.id, _no_row(rule, table, situation)))
    outputs = {name: Col("number", pl.lit(pl.Series(values[column], dtype=NUMBER)).gather(key), nullable=False)
               for column, name in spec.outputs.items()}
    row_col = Col("string", pl.lit(pl.Series(row_ids, dtype=pl.String)).gather(key), nullable=False)
    if any(code is not None for code in codes):
        failure = first(failure, pl.lit(pl.Series(codes, dtype=CODE)).gather(key))
    outputs = {name: Col(col.kind, col.expr, error=failure, nullable=False) for name, col in outputs.items()}
    return CompiledLookup(outputs, Col(row_col.kind, row_col.expr, error=failure, nullable=False), key)


def _no_row(rule: Rule, table: DecisionTable, situation: dict[str, Any]) -> str:
    unreachable = table.is_unreachable(situation) if all(
        v is not None and v is not OTHER for v in situation.values()) else None
    why = f" (declared unreachable: {unreachable.reason})" if unreachable else ""
    return f"no row of table '{table.name}' ({table.file}) matches {describe(situation)}{why}"

"""Compiled values: a polars expression (or a constant), its type, and where it fails.

The traced engine raises an error the moment an expression it reaches goes wrong (a missing operand,
a wrong type, a division by zero). A column evaluates every row at once, so each compiled value
carries its failure as data instead: an Int32 error code that is set on exactly the rows where the
traced engine would have raised, and null elsewhere. Codes index the messages of an `Errors` table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Union

import polars as pl

SCALE = 18
"""Decimal places of every number column: results are exact while they need no more places."""
NUMBER = pl.Decimal(38, SCALE)
CODE = pl.Int32

KINDS = {"number": NUMBER, "boolean": pl.Boolean, "string": pl.String, "null": NUMBER}

Err = Union[None, int, pl.Expr]
"""No failure (None), a failure on every row that reaches it (an error code), or a per-row code."""


@dataclass
class Errors:
    """The messages behind error codes: (where, message), where is a rule id or a mapped fact."""

    messages: list[tuple[str, str]] = field(default_factory=list)
    _index: dict[tuple[str, str], int] = field(default_factory=dict)

    def code(self, where: str, message: str) -> int:
        key = (where, message)
        if key not in self._index:
            self._index[key] = len(self.messages)
            self.messages.append(key)
        return self._index[key]

    def text(self, code: int) -> str:
        where, message = self.messages[code]
        return f"{where}: {message}"


@dataclass(frozen=True)
class Col:
    """A compiled value. `expr` is None for a constant (then `value` holds it) or an unknown value."""

    kind: str                       # number | boolean | string | null | list | unknown
    expr: pl.Expr | None = None
    value: Any = None
    nullable: bool = True
    error: Err = None
    items: tuple[Col, ...] = ()     # the compiled items of a list literal whose items vary by row
    ref: str | None = None          # the reference a plain name read (for missing-value messages)
    reason: str | None = None       # why an unknown value has no columnar form

    @property
    def constant(self) -> bool:
        return self.expr is None and self.kind != "unknown" and not (self.kind == "list" and self.value is None)

    @property
    def may_be_null(self) -> bool:
        return self.value is None if self.constant else self.nullable and self.kind != "unknown"

    def polars(self) -> pl.Expr:
        """The value as a polars expression (constants become typed literals)."""
        if self.expr is not None:
            return self.expr
        return literal(self.value, self.kind)


def const(value: Any, error: Err = None) -> Col:
    """A compile-time constant (a literal, a parameter, a folded expression)."""
    return Col(kind_of(value), None, value, value is None, error)


def unknown(reason: str, error: Err) -> Col:
    """A value with no columnar form: reaching it is the error `error`."""
    return Col("unknown", None, None, True, error, reason=reason)


def literal(value: Any, kind: str) -> pl.Expr:
    if kind == "list":
        raise TypeError("a list has no single-column form")
    return pl.lit(value, dtype=KINDS.get(kind, NUMBER))


def kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (Decimal, int)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, tuple):
        return "list"
    return "record"


def first(*errors: Err) -> Err:
    """The first failure in evaluation order (what the traced engine would raise first)."""
    parts: list[pl.Expr] = []
    for error in errors:
        if error is None:
            continue
        if isinstance(error, int):
            if not parts:
                return error
            parts.append(pl.lit(error, CODE))
            break
        if not any(error.meta.eq(part) for part in parts):   # a failure already checked adds nothing
            parts.append(error)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else pl.coalesce(parts)


def only_where(condition: pl.Expr | bool, error: Err) -> Err:
    """A failure that happens only on rows where `condition` is true (the branch is reached)."""
    if error is None or condition is False:
        return None
    if condition is True:
        return error
    return pl.when(condition).then(error if isinstance(error, pl.Expr) else pl.lit(error, CODE))

"""Syntax tree: frozen dataclasses, each recording the 1-based line and column where it starts."""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from functools import cached_property
from types import MappingProxyType
from typing import Iterator, Union

Record = MappingProxyType
"""A read-only record of named values (a measure, a benchmark); made by the engine, never by Python objects."""

Value = Union[Decimal, bool, str, None, tuple["Value", ...], Record]
"""A runtime value; None means *missing*, a tuple is a list, a Record maps field names to values."""


@dataclass(frozen=True)
class Node:
    """Base of all nodes."""

    line: int
    column: int

    def children(self) -> Iterator[Node]:
        """The direct sub-nodes, in source order."""
        for field in fields(self):
            value = getattr(self, field.name)
            for item in value if isinstance(value, tuple) else (value,):
                if isinstance(item, Node):
                    yield item

    @cached_property
    def height(self) -> int:
        """Number of node levels below this one (0 for a leaf)."""
        return max((child.height + 1 for child in self.children()), default=0)


@dataclass(frozen=True)
class Literal(Node):
    """A number, string, true, false or null."""

    value: Value


@dataclass(frozen=True)
class Name(Node):
    """A dotted reference, resolved only through the caller's lookup."""

    name: str


@dataclass(frozen=True)
class ListExpr(Node):
    """A list literal `[a, b, ...]`."""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class Unary(Node):
    """`-x` or `not x`."""

    op: str
    operand: Node


@dataclass(frozen=True)
class BoolOp(Node):
    """`a and b and ...` or `a or b or ...` (one operator throughout)."""

    op: str
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Arith(Node):
    """A left-associative chain of same-precedence operators: `a + b - c` or `a * b / c`."""

    operands: tuple[Node, ...]
    ops: tuple[str, ...]


@dataclass(frozen=True)
class Compare(Node):
    """A comparison chain `a < b <= c`: each inner operand is evaluated once."""

    operands: tuple[Node, ...]
    ops: tuple[str, ...]


@dataclass(frozen=True)
class Conditional(Node):
    """`body if test else orelse`."""

    body: Node
    test: Node
    orelse: Node


@dataclass(frozen=True)
class Call(Node):
    """A call of a whitelisted function."""

    name: str
    args: tuple[Node, ...]

"""Syntax tree: immutable nodes, each recording the 1-based line and column where it starts.

Plain classes rather than dataclasses: every command that reads a rulebook imports them, and a
dataclass is compiled from generated source when its module is imported. Each node lists its
`fields` in the order its constructor takes them; nodes compare and hash by class and fields.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property
from types import MappingProxyType
from typing import Any, Iterator, Union

Record = MappingProxyType
"""A read-only record of named values (a measure, a benchmark); made by the engine, never by Python objects."""

Value = Union[Decimal, bool, str, None, tuple["Value", ...], Record]
"""A runtime value; None means *missing*, a tuple is a list, a Record maps field names to values."""


class Node:
    """Base of all nodes."""

    fields: tuple[str, ...] = ("line", "column")
    line: int
    column: int

    def __init__(self, *values: Any) -> None:
        if len(values) != len(self.fields):
            raise TypeError(f"{type(self).__name__} takes {', '.join(self.fields)}")
        self.__dict__.update(zip(self.fields, values))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"a {type(self).__name__} node cannot be changed")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a {type(self).__name__} node cannot be changed")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self.fields)})"

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.fields)

    def children(self) -> Iterator[Node]:
        """The direct sub-nodes, in source order."""
        for name in self.fields:
            value = getattr(self, name)
            for item in value if isinstance(value, tuple) else (value,):
                if isinstance(item, Node):
                    yield item

    @cached_property
    def height(self) -> int:
        """Number of node levels below this one (0 for a leaf)."""
        return max((child.height + 1 for child in self.children()), default=0)


class Literal(Node):
    """A number, string, true, false or null."""

    fields = Node.fields + ("value",)
    value: Value


class Name(Node):
    """A dotted reference, resolved only through the caller's lookup."""

    fields = Node.fields + ("name",)
    name: str


class ListExpr(Node):
    """A list literal `[a, b, ...]`."""

    fields = Node.fields + ("items",)
    items: tuple[Node, ...]


class Unary(Node):
    """`-x` or `not x`."""

    fields = Node.fields + ("op", "operand")
    op: str
    operand: Node


class BoolOp(Node):
    """`a and b and ...` or `a or b or ...` (one operator throughout)."""

    fields = Node.fields + ("op", "operands")
    op: str
    operands: tuple[Node, ...]


class Arith(Node):
    """A left-associative chain of same-precedence operators: `a + b - c` or `a * b / c`."""

    fields = Node.fields + ("operands", "ops")
    operands: tuple[Node, ...]
    ops: tuple[str, ...]


class Compare(Node):
    """A comparison chain `a < b <= c`: each inner operand is evaluated once."""

    fields = Node.fields + ("operands", "ops")
    operands: tuple[Node, ...]
    ops: tuple[str, ...]


class Conditional(Node):
    """`body if test else orelse`."""

    fields = Node.fields + ("body", "test", "orelse")
    body: Node
    test: Node
    orelse: Node


class Call(Node):
    """A call of a whitelisted function."""

    fields = Node.fields + ("name", "args")
    name: str
    args: tuple[Node, ...]

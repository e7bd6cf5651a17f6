"""The trace node: one rule step, what it read, what it produced and how."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True, slots=True)
class Read:
    """A fact, parameter or rule output read by a step, with the value it had."""

    name: str
    kind: Literal["fact", "param", "rule", "item"]
    value: Any
    source: str | None = None
    status: str | None = None


@dataclass(frozen=True)
class RoundingApplied:
    places: int
    mode: str
    before: Any
    after: Any


@dataclass(frozen=True)
class MatchedRow:
    """The decision-table row that matched, on which conditions."""

    table: str
    file: str
    id: str
    label: str
    line: int
    conditions: dict[str, Any]
    situation: dict[str, Any]
    source: str
    status: str
    note: str | None


@dataclass(frozen=True)
class Choice:
    """One record considered by a selection: kept or dropped, and why."""

    label: str
    selected: bool
    why: str


@dataclass
class TraceNode:
    rule_id: str
    description: str
    file: str
    line: int
    source: str
    status: str
    note: str | None = None
    reads: list[Read] = field(default_factory=list)
    output: Any = None
    rounding: RoundingApplied | None = None
    row: MatchedRow | None = None
    selection: list[Choice] | None = None
    children: list[TraceNode] = field(default_factory=list)

    def walk(self):
        """This node and every descendant, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

"""The trace node: one rule step, what it read, what it produced and how."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Literal, NamedTuple, Protocol

Kind = Literal["fact", "param", "rule", "item"]
Describe = Callable[[str], tuple[Kind, "str | None", "str | None"]]
"""What a name read by a step is: its kind, and the source and status of a parameter or rule."""


class Read(NamedTuple):
    """A fact, parameter or rule output read by a step, with the value it had."""

    name: str
    kind: Kind
    value: Any
    source: str | None = None
    status: str | None = None


class RoundingApplied(NamedTuple):
    places: int
    mode: str
    before: Any
    after: Any


class MatchedRow(NamedTuple):
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


class Choice(NamedTuple):
    """One record considered by a selection: kept or dropped, and why."""

    label: str
    selected: bool
    why: str


class Where(Protocol):
    file: str
    line: int


class Step(Protocol):
    """What a step is, shared by every case: a rule of the rulebook, or one item of a scope."""

    id: str
    description: str
    origin: Where
    source: str
    status: str
    note: str | None


class ItemStep(NamedTuple):
    """The step of one item of a scope (`rule[label]`), described by its scope."""

    id: str
    description: str
    origin: Where
    source: str
    status: str
    note: str | None = None


class TraceNode:
    """One step of a case's evaluation: the rule, what it read (in first-read order) and what it produced.

    The rule's words and place are read from the rule itself, and the names a step read are kept with
    their values; each is described as a `Read` (kind, source, status) only when `reads` is asked for.
    """

    output: Any = None
    rounding: RoundingApplied | None = None
    row: MatchedRow | None = None
    selection: list[Choice] | None = None
    _reads: list[Read] | None = None
    """What a step has not set is read from the class: a node is made with the four attributes every step sets."""

    def __init__(self, step: Step, describe: Describe):
        self.step = step
        self.values: dict[str, Any] = {}
        self.children: list[TraceNode] = []
        self.describer = describe
        """What describes each name this step read (one per rulebook and scope)."""

    @property
    def rule_id(self) -> str:
        return self.step.id

    @property
    def description(self) -> str:
        return self.step.description

    @property
    def file(self) -> str:
        return self.step.origin.file

    @property
    def line(self) -> int:
        return self.step.origin.line

    @property
    def source(self) -> str:
        return self.step.source

    @property
    def status(self) -> str:
        return self.step.status

    @property
    def note(self) -> str | None:
        return self.step.note

    def kind_of(self, name: str) -> Kind:
        """The kind of a name this step read."""
        return self.describer(name)[0]

    def describe(self, name: str) -> tuple[Kind, str | None, str | None]:
        """What a name this step read is: its kind, and the source and status of a parameter or rule."""
        return self.describer(name)

    @property
    def reads(self) -> list[Read]:
        """Each fact, parameter, item field or rule output the step read, once, in first-read order."""
        if self._reads is None:
            reads = []
            for name, value in self.values.items():
                kind, source, status = self.describer(name)
                reads.append(Read(name, kind, value, source, status))
            self._reads = reads
        return self._reads

    def walk(self) -> Iterator[TraceNode]:
        """This node and every descendant, depth first."""
        pending = [self]
        while pending:
            node = pending.pop()
            yield node
            pending += reversed(node.children)

    def __repr__(self) -> str:
        return f"TraceNode({self.rule_id!r}, output={self.output!r})"


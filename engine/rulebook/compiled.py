"""The loaded rulebook: parameters, tables and rules, parsed once and ready to evaluate.

Its plain records are named tuples: cheap to define when a command starts and to read back from the cache.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from functools import cached_property
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from engine.rulebook import models

if TYPE_CHECKING:
    from engine.expr import Expression
    from engine.rulebook.bibliography import Bibliography
    from engine.rulebook.tables import DecisionTable

Value = Any  # Decimal | bool | str | None | tuple
_PARENT = "_parent_pickle"


class Origin(NamedTuple):
    """Where something is written: rulebook file (relative to the rulebooks root) and line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class Parameter(NamedTuple):
    name: str
    value: Value
    unit: str | None
    description: str
    source: str
    status: str
    note: str | None
    origin: Origin
    bounds: tuple[Decimal | None, Decimal | None] = (None, None)
    """The `min` and `max` the parameter declares (inherited by an override that keeps its unit)."""


@dataclass(frozen=True)
class LookupSpec:
    table: DecisionTable
    inputs: dict[str, Expression]
    outputs: dict[str, str]


class EachSpec(NamedTuple):
    items: Expression
    scope: str
    label: Expression


class SelectSpec(NamedTuple):
    source: str
    where: str | None
    best_per: str | None
    order_by: tuple[str, ...]
    required: models.Required | None
    limit: Expression | None
    where_reason: str | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    source: str
    status: str
    note: str | None
    origin: Origin
    expression: Expression | None = None
    lookup: LookupSpec | None = None
    each: EachSpec | None = None
    select: SelectSpec | None = None
    rounding: models.Rounding | None = None

    @property
    def expressions(self) -> list[Expression]:
        """Every expression the rule evaluates (for reference and dependency checks)."""
        if self.expression:
            return [self.expression]
        if self.lookup:
            return list(self.lookup.inputs.values())
        if self.each:
            return [self.each.items]
        return [self.select.limit] if self.select and self.select.limit else []

    @property
    def reads(self) -> list[str]:
        """Every name the rule reads, in order."""
        names = [n for e in self.expressions for n in e.names]
        return names + ([self.select.source] if self.select else [])

    @property
    def outputs(self) -> tuple[str, ...]:
        return tuple(self.lookup.outputs.values()) if self.lookup else (self.id,)


@dataclass
class ScopeRules:
    """Rules evaluated once per item; names `ITEM.field` are the item's fields, `ITEM.rule` its rules."""

    name: str
    item: str
    fields: dict[str, str]
    description: str
    origin: Origin
    rules: dict[str, Rule]

    @cached_property
    def prefix(self) -> str:
        return self.item + "."


class Pathway(NamedTuple):
    """A reporting option the year declares (pathways.yaml), with where it is written."""

    name: str
    option: models.PathwayOption
    origin: Origin


class PathwayDefault(NamedTuple):
    """The option a case of one entity type gets when it names no program, with where it is written."""

    entity_type: str
    default: models.DefaultPathway
    origin: Origin


@dataclass
class Rulebook:
    year: int
    title: str
    status: str
    root: str
    sha256: str
    files: tuple[str, ...]
    parameters: dict[str, Parameter]
    tables: dict[str, DecisionTable]
    rules: dict[str, Rule]
    case_inputs: models.CaseInputs
    manifest_origin: Origin
    parent: Rulebook | None
    """The rulebook of the year this one extends; read back from a pickle only when asked for."""
    to_confirm: tuple[str, ...] = ()
    scopes: dict[str, ScopeRules] = field(default_factory=dict)
    outputs: dict[str, tuple[Rule, str | None]] = field(default_factory=dict)
    pathways: dict[str, Pathway] = field(default_factory=dict)
    """The year's reporting options (pathways.yaml, merged over the extended year's)."""
    pathway_defaults: dict[str, PathwayDefault] = field(default_factory=dict)
    """Entity type -> the option a case that names no program gets."""
    pathway: str | None = None
    """The option whose overlays this rulebook applies; None for the year's own rules."""
    folder: Path | None = None
    """The year folder (pathway overlays are looked up from it)."""
    bibliography: Bibliography | None = None
    derived: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)
    """What the stages that use the rulebook derive from it once (lookup tables), by key."""

    def __post_init__(self) -> None:
        for rule in self.rules.values():
            if rule.lookup:
                for column, name in rule.lookup.outputs.items():
                    self.outputs[name] = (rule, column)
            else:
                self.outputs[rule.id] = (rule, None)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without what the stages derived from it (each process derives its own), with the rulebook
        it extends as a pickle of its own: scoring never reads it, so a start does not build it."""
        parent = pickle.dumps(self.parent, pickle.HIGHEST_PROTOCOL)
        state = self.__dict__ | {"derived": {}, _PARENT: parent}
        del state["parent"]
        return state

    def __getattr__(self, name: str) -> Any:
        """`parent` of a rulebook read back from a pickle, built at its first use."""
        if name != "parent" or _PARENT not in self.__dict__:
            raise AttributeError(name)
        parent = self.parent = pickle.loads(self.__dict__.pop(_PARENT))
        return parent

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(self.case_inputs.categories)

    def parameter_value(self, name: str) -> Value:
        return self.parameters[name].value

    @property
    def pending_confirmation(self) -> tuple[str, ...]:
        """Parameters listed under `to_confirm` that are still inherited from the year extended."""
        own = self.root + "/"
        return tuple(name for name in self.to_confirm if name in self.parameters
                     and not str(self.parameters[name].origin).startswith(own))


def as_decimal(value: Any) -> Any:
    """Normalise YAML ints (and lists of them) to Decimal; leave other values untouched."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, list | tuple):
        return tuple(as_decimal(v) for v in value)
    return value

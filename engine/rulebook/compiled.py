"""The loaded rulebook: parameters, tables and rules, parsed once and ready to evaluate."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from engine.rulebook import models

if TYPE_CHECKING:
    from engine.expr import Expression
    from engine.rulebook.tables import DecisionTable

Value = Any  # Decimal | bool | str | None | tuple


@dataclass(frozen=True)
class Origin:
    """Where something is written: rulebook file (relative to the rulebooks root) and line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Parameter:
    name: str
    value: Value
    unit: str | None
    description: str
    source: str
    status: str
    note: str | None
    origin: Origin


@dataclass(frozen=True)
class LookupSpec:
    table: DecisionTable
    inputs: dict[str, Expression]
    outputs: dict[str, str]


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
    rounding: models.Rounding | None = None

    @property
    def outputs(self) -> tuple[str, ...]:
        return tuple(self.lookup.outputs.values()) if self.lookup else (self.id,)


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
    outputs: dict[str, tuple[Rule, str | None]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for rule in self.rules.values():
            if rule.lookup:
                for column, name in rule.lookup.outputs.items():
                    self.outputs[name] = (rule, column)
            else:
                self.outputs[rule.id] = (rule, None)

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(self.case_inputs.categories)

    def parameter_value(self, name: str) -> Value:
        return self.parameters[name].value


def as_decimal(value: Any) -> Any:
    """Normalise YAML ints (and lists of them) to Decimal; leave other values untouched."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, list | tuple):
        return tuple(as_decimal(v) for v in value)
    return value

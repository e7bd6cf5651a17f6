"""The units rulebook parameters may carry (rulebooks/common/units.yaml) and the range each admits."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pydantic import Field, ValidationError, field_validator, model_validator

from engine.errors import Problem
from engine.rulebook.models import Strict, _decimal_ints
from engine.rulebook.registry import display_path, rulebooks_root
from engine.rulebook.validation_messages import problems_from
from engine.rulebook.yaml_source import LocatedDict, YamlSyntaxError, parse_yaml

FILE = Path("common/units.yaml")


class Unit(Strict):
    description: str
    min: Decimal
    max: Decimal
    whole: bool = Field(default=False, description="the value is a whole number (a count, a year)")

    _ints = field_validator("min", "max", mode="before")(_decimal_ints)

    @model_validator(mode="after")
    def _ordered(self) -> "Unit":
        if self.max < self.min:
            raise ValueError(f"max {self.max} is below min {self.min}")
        return self


class UnitsFile(Strict):
    description: str
    units: dict[str, Unit] = Field(min_length=1)


@dataclass(frozen=True)
class Range:
    """The values a number may take: between `low` and `high`, whole numbers only when `whole`."""

    low: Decimal
    high: Decimal
    whole: bool

    def problem(self, value: Decimal, origin: str, unit: str) -> str | None:
        """Why `value` lies outside the range (`origin`: where the range comes from), or None."""
        if not value.is_finite() or not self.low <= value <= self.high:
            return f"{value} is outside {self.low} to {self.high}, {origin}"
        if self.whole and value != value.to_integral_value():
            return f"{value} is not a whole number, as its unit '{unit}' requires"
        return None


def load_units() -> tuple[dict[str, Unit], list[Problem]]:
    """The units vocabulary of the rulebooks root, with the problems of its file."""
    path = rulebooks_root() / FILE
    name = display_path(path)
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except OSError:
        return {}, [Problem(name, None, None, "", "missing file; every rulebook's parameters need the units "
                            "vocabulary")]
    except UnicodeDecodeError:
        return {}, [Problem(name, None, None, "", "not a UTF-8 text file")]
    except YamlSyntaxError as exc:
        return {}, [Problem(name, exc.line, exc.column, "", exc.message)]
    if not isinstance(data, LocatedDict):
        return {}, [Problem(name, 1, None, "", "the file must hold a YAML mapping")]
    try:
        return dict(UnitsFile.model_validate(data).units), []
    except ValidationError as exc:
        return {}, problems_from(exc, UnitsFile, data, name)


def unit_range(name: str, unit: Unit, low: Decimal | None, high: Decimal | None) -> Range | tuple[str, str]:
    """A parameter's range: its unit's, narrowed by its own `min`/`max`; or, when a bound lies outside
    the unit's range, which one ('min' or 'max') and why."""
    for key, bound in (("min", low), ("max", high)):
        if bound is not None and not unit.min <= bound <= unit.max:
            return key, f"{bound} lies outside {unit.min} to {unit.max}, the range of its unit '{name}'"
    return Range(unit.min if low is None else low, unit.max if high is None else high, unit.whole)


def unknown_unit(name: str, units: dict[str, Unit]) -> str:
    close = difflib.get_close_matches(name, sorted(units), n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"unknown unit '{name}'; {hint}the units are listed in rulebooks/{FILE.as_posix()}"

"""Published population figures (calibration targets) and the synthetic generator's assumptions.

`rulebooks/population/YEAR/published.yaml` holds what CMS published about a year's results (mean
and median final score, rows, participation option counts), each with its source;
`synthetic.yaml` holds what the generator assumes where nothing is published. A year without its
own file uses the latest earlier year's, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from engine.datafiles import read_model
from engine.rulebook import citations
from engine.errors import MipsError, RulebookError
from engine.columnar.mapping import population_root, population_years
from engine.errors import Problem
from engine.rulebook.registry import display_path
from engine.rulebook.validation_messages import problems_from
from engine.rulebook.text_source import SourceError, read_text
from engine.rulebook.yaml_source import LocatedDict, locate, parse_yaml
Status = Literal["confirmed", "secondary", "derived", "unconfirmed"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cited(_Strict):
    source: str
    status: Status
    note: str | None = None


class ScoreFigures(Cited):
    mean: Decimal
    median: Decimal


class Count(Cited):
    value: int = Field(gt=0)


class Counts(Cited):
    counts: dict[str, int]
    within: str | None = Field(default=None, description="the participation option these counts split")


class Published(_Strict):
    description: str
    year: int
    final_score: ScoreFigures | None = None
    rows: Count | None = None
    participation_option: Counts | None = None
    reporting_option: Counts | None = None


class SizeBand(_Strict):
    low: int = Field(ge=1)
    high: int = Field(ge=1)
    share: Decimal = Field(gt=0)
    small_practice: bool


class Category(_Strict):
    center: Decimal
    loading: Decimal
    noise: Decimal = Field(ge=0)


class Share(_Strict):
    share: Decimal = Field(ge=0, le=1)
    max: Decimal = Field(gt=0)


class LogNormal(_Strict):
    median: Decimal = Field(gt=0)
    spread: Decimal = Field(ge=0)


class Synthetic(_Strict):
    extends: int | None = None  # an earlier year whose assumptions this file changes (load_synthetic)
    description: str
    status: Status
    source: str
    participation_option: dict[str, Decimal]
    reporting_option: dict[str, dict[str, Decimal]]
    practice_size: list[SizeBand] = Field(min_length=1)
    special_status: dict[str, Decimal]
    automatic_euc: Decimal = Field(ge=0, le=1)
    reweighting: dict[str, Decimal]
    not_submitted: dict[str, Decimal]
    complex_patient_bonus: Share
    allowed_charges: LogNormal
    categories: dict[str, Category]
    ia_points: list[Decimal] = Field(min_length=1)
    states: dict[str, Decimal]


M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class YearFile(Generic[M]):
    """A population data file and the year whose folder it came from."""

    year: int
    file: str
    data: M


def load_published(year: int) -> YearFile[Published]:
    return _load(year, "published.yaml", Published, "published population figures")


def load_synthetic(year: int) -> YearFile[Synthetic]:
    """A year's generator assumptions. A file with `extends: YEAR` states only what differs from that
    year's assumptions: each top-level entry it gives replaces the extended one whole."""
    years = [y for y in population_years() if y <= year and _path(y, "synthetic.yaml").is_file()]
    data = _document(_path(years[-1], "synthetic.yaml")) if years else None
    if data is None or "extends" not in data:
        return _load(year, "synthetic.yaml", Synthetic, "synthetic population assumptions")
    path, base = _path(years[-1], "synthetic.yaml"), data["extends"]
    if type(base) is not int or base >= years[-1]:
        where = locate(data, ("extends",))
        raise RulebookError([Problem(display_path(path), where.line if where else None, None, "extends",
                                     f"extends: {base!r} is not an earlier performance year; name the year "
                                     "whose assumptions this file changes")])
    extended = load_synthetic(base)
    merged = LocatedDict(extended.data.model_dump() | data)
    merged.where, merged.key_where, merged.value_where = data.where, data.key_where, data.value_where
    problems = citations.check_file(data, path)
    try:
        spec = Synthetic.model_validate(merged)
    except ValidationError as exc:
        raise RulebookError(problems + problems_from(exc, Synthetic, merged, display_path(path))) from None
    if problems:
        raise RulebookError(problems)
    return YearFile(years[-1], f"{display_path(path)} (over {extended.file})", spec)


def _document(path: Path) -> LocatedDict | None:
    """A population file's YAML mapping, or None when it cannot be read (its loader then says why)."""
    try:
        data = parse_yaml(read_text(path))
    except SourceError:
        return None
    return data if isinstance(data, LocatedDict) else None


def _load(year: int, name: str, model: type[M], what: str) -> YearFile[M]:
    years = [y for y in population_years() if y <= year and _path(y, name).is_file()]
    if not years:
        raise MipsError(f"no {what} for performance year {year} or before (rulebooks/population/YEAR/{name})")
    path = _path(years[-1], name)
    data, spec, problems = read_model(path, model)
    problems += citations.check_file(data, path)
    if spec is None or problems:
        raise RulebookError(problems)
    return YearFile(years[-1], display_path(path), spec)


def _path(year: int, name: str) -> Path:
    return population_root() / str(year) / name

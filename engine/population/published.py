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

from pydantic import BaseModel, ConfigDict, Field

from engine.datafiles import read_model
from engine.rulebook import citations
from engine.errors import MipsError, RulebookError
from engine.columnar.mapping import population_root, population_years
from engine.rulebook.registry import display_path
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
    return _load(year, "synthetic.yaml", Synthetic, "synthetic population assumptions")


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

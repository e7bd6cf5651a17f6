"""Pydantic models of the EUC data files: `euc/events.yaml`, `euc/SOURCE.yaml`, and the state list."""

from __future__ import annotations

from datetime import date as Date
from typing import Annotated

from pydantic import Field

from engine.rulebook.models import Cited, Name, Status, Strict

StateCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]


class PlaceSpec(Cited):
    """Places of one state an event covers: named counties, or the whole state or territory.

    `source` and `status` are those of assigning these places to this event.
    """

    state: StateCode
    counties: list[Annotated[str, Field(min_length=1)]] | None = Field(default=None, min_length=1)
    whole_state: bool = False


class EventSpec(Cited):
    """An automatic EUC event: a disaster or emergency and the places designated for it."""

    name: str = Field(min_length=3)
    declarations: list[str] = Field(default_factory=list)
    announced: Date | None = None
    places: list[PlaceSpec] = Field(min_length=1)


class EventsFile(Cited):
    """A performance year's events; `source`/`status` are those of the list as a whole."""

    description: str
    year: int = Field(ge=2017, le=2100)
    events: dict[Name, EventSpec] = Field(default_factory=dict)


class Upstream(Strict):
    repository: str
    url: str
    commit: Annotated[str, Field(pattern=r"^[0-9a-f]{40}$")]
    commit_date: str
    files: list[str] = Field(min_length=1)


class NameMatch(Strict):
    state: StateCode
    crosswalk: str
    staging: str
    method: str


class SourceFile(Strict):
    """Where `places.csv` comes from; written by scripts/convert_euc_data.py."""

    description: str
    year: int
    source: Upstream
    cite: str = Field(min_length=3, description="the citation of these places: source key and pinpoint")
    converted_by: str
    status: Status
    rows: int = Field(ge=0)
    counties: int = Field(ge=0)
    name_matches: list[NameMatch] = Field(default_factory=list)


class StatesFile(Cited):
    """Two-letter codes of the states, DC and the territories."""

    description: str
    states: dict[StateCode, str] = Field(min_length=1)

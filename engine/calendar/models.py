"""Pydantic models of `rulebooks/YEAR/calendar.yaml`, as policy staff write it.

Conventions (also in docs/calendar-and-euc.md):
- Every moment has a date, a time of day and an IANA time zone. `time: unknown` records that the
  sources give only the date; `date: unknown` that they give no date at all.
- A window is open from `opens` (inclusive) to `closes` (exclusive): one minute before a close at
  20:00 it is open, at 20:00 exactly it is closed. A deadline passes at its exact minute the same way.
- With an unknown time, an opening or a release counts from the start of its day (00:00) and a close
  or a deadline runs to the end of its day (the next day's 00:00, exclusive).
- A moment may instead be relative: `after: <event id>` plus `days`, resolved from that event's date
  once it is known (e.g. targeted review closes 30 days after payment adjustments are released).
"""

from __future__ import annotations

from datetime import date as Date
from datetime import datetime
from datetime import time as Time
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BeforeValidator, Field

from engine.rulebook.models import Cited, Name, Strict

UNKNOWN = "unknown"


def _date_or_unknown(value: object) -> object:
    if value == UNKNOWN or value is None:
        return None
    if isinstance(value, Date) and not isinstance(value, datetime):
        return value
    raise ValueError("write the date as YYYY-MM-DD (unquoted), or 'unknown'")


def _time_or_unknown(value: object) -> object:
    if value == UNKNOWN:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        raise ValueError("write the time in quotes, like \"20:00\" (unquoted, YAML reads 20:00 as a number)")
    if isinstance(value, str) and len(value) == 5 and value[2] == ":":
        try:
            return Time(int(value[:2]), int(value[3:]))
        except ValueError:
            pass
    raise ValueError("write the time as \"HH:MM\" (24-hour clock), or 'unknown'")


def _known_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone '{value}'; use an IANA name such as America/New_York") from None
    return value


DateOrUnknown = Annotated[Date | None, BeforeValidator(_date_or_unknown)]
TimeOrUnknown = Annotated[Time | None, BeforeValidator(_time_or_unknown)]
Zone = Annotated[str, AfterValidator(_known_zone)]


class MomentSpec(Strict):
    """A fixed moment (`date`) or one relative to another event (`after` + `days`)."""

    date: DateOrUnknown = Field(default=None, validate_default=False)
    after: Name | None = None
    days: int | None = None
    time: TimeOrUnknown
    zone: Zone


class EventSpec(Cited):
    """A window (`opens`, `closes`, optional `extended_from`) or a single `at` moment."""

    name: str = Field(min_length=3)
    kind: Literal["window", "deadline", "release"]
    opens: MomentSpec | None = None
    closes: MomentSpec | None = None
    extended_from: MomentSpec | None = None
    at: MomentSpec | None = None


class ProgramZone(Cited):
    zone: Zone


class CalendarFile(Strict):
    description: str
    year: int = Field(ge=2017, le=2100)
    reviewed: Date
    program_time_zone: ProgramZone
    events: dict[Name, EventSpec] = Field(min_length=1)

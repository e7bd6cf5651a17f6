"""Resolved moments and events of a program calendar, and how they turn into instants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date
from datetime import datetime, timedelta
from datetime import time as Time
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Moment:
    """A date (None while unknown), a time of day (None when only the date is known) and a zone."""

    date: Date | None
    time: Time | None
    zone: str
    after: str | None = None
    days: int | None = None

    def instant(self, end_of_day: bool) -> datetime | None:
        """The aware instant; an unknown time counts from 00:00, or to the day's end if `end_of_day`."""
        if self.date is None:
            return None
        day, clock = self.date, self.time or Time(0, 0)
        if self.time is None and end_of_day:
            day += timedelta(days=1)
        return datetime.combine(day, clock, tzinfo=ZoneInfo(self.zone))

    def to_data(self, end_of_day: bool) -> dict:
        """Date, time, zone and the instant as ISO 8601 with its UTC offset, for output."""
        instant = self.instant(end_of_day)
        return {
            "date": self.date.isoformat() if self.date else "unknown",
            "weekday": self.date.strftime("%a") if self.date else None,
            "time": self.time.strftime("%H:%M") if self.time else "unknown",
            "zone": self.zone,
            "zone_abbreviation": instant.tzname() if instant and self.time else None,
            "counted": None if self.time else ("to the end of the day" if end_of_day else "from the start of the day"),
            "instant": instant.isoformat() if instant else None,
            "relative_to": {"event": self.after, "days": self.days} if self.after else None,
        }


@dataclass(frozen=True)
class Event:
    """One event of a performance year's calendar, with its citation."""

    year: int
    id: str
    name: str
    kind: str
    source: str
    status: str
    note: str | None
    origin: str
    opens: Moment | None = None
    closes: Moment | None = None
    extended_from: Moment | None = None
    at: Moment | None = None

    @property
    def start(self) -> datetime | None:
        """When a window opens or a release happens (None if not known)."""
        moment = self.opens if self.kind == "window" else self.at if self.kind == "release" else None
        return moment.instant(end_of_day=False) if moment else None

    @property
    def end(self) -> datetime | None:
        """When a window closes or a deadline passes (None if not known)."""
        moment = self.closes if self.kind == "window" else self.at if self.kind == "deadline" else None
        return moment.instant(end_of_day=True) if moment else None

    @property
    def uid_base(self) -> str:
        return f"py{self.year}-{self.id.replace('_', '-')}"

    def to_data(self) -> dict:
        """Every field of the event, moments included, for JSON and templates."""
        data: dict = {"year": self.year, "id": self.id, "name": self.name, "kind": self.kind}
        for role, moment, end_of_day in (("opens", self.opens, False), ("closes", self.closes, True),
                                         ("extended_from", self.extended_from, True),
                                         ("at", self.at, self.kind == "deadline")):
            data[role] = moment.to_data(end_of_day) if moment is not None else None
        data.update(source=self.source, status=self.status, note=self.note, defined_at=self.origin)
        return data


@dataclass(frozen=True)
class Calendar:
    """A performance year's calendar file, loaded and checked."""

    year: int
    reviewed: Date
    program_zone: str
    events: tuple[Event, ...]
    file: str

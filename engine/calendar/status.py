"""What is open, closing soon, just closed or opening soon at a given moment, across years."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from engine.calendar.loader import load_calendars
from engine.calendar.moments import Calendar, Event
from engine.errors import MipsError


@dataclass(frozen=True)
class Entry:
    """An event seen from a moment: the instant that matters and the time to or since it."""

    event: Event
    instant: datetime
    distance: timedelta
    opening_recorded: bool = True
    closes_soon: bool = False

    def to_data(self) -> dict:
        return {**self.event.to_data(), "instant": self.instant.isoformat(), "distance": duration(self.distance),
                "opening_recorded": self.opening_recorded, "closes_soon": self.closes_soon}


@dataclass(frozen=True)
class CalendarStatus:
    """The program calendar as seen at `moment` (lists sorted by instant, then year and id).

    An open window is listed under `open` only (flagged `closes_soon` when it does); `closing_soon`
    holds deadlines, and windows not known to be open yet. A window whose opening is not recorded
    counts as open once its close is within `soon_days`. `waiting` holds events dated relative to an
    event whose date is not known yet; `undated` every other event whose date is not recorded.
    """

    moment: datetime
    years: tuple[int, ...]
    soon_days: int
    recent_days: int
    open: tuple[Entry, ...]
    closing_soon: tuple[Entry, ...]
    just_closed: tuple[Entry, ...]
    opening_soon: tuple[Entry, ...]
    just_released: tuple[Entry, ...]
    waiting: tuple[Event, ...]
    undated: tuple[Event, ...] = ()

    def to_data(self) -> dict:
        lists = ("open", "closing_soon", "just_closed", "opening_soon", "just_released")
        return {"moment": self.moment.isoformat(), "moment_zone_abbreviation": self.moment.tzname(),
                "years": list(self.years), "soon_days": self.soon_days, "recent_days": self.recent_days,
                **{name: [entry.to_data() for entry in getattr(self, name)] for name in lists},
                "waiting": [event.to_data() for event in self.waiting],
                "undated": [event.to_data() for event in self.undated]}


def status_on(moment: datetime, years: Iterable[int] | None = None, soon_days: int = 30,
              recent_days: int = 30) -> CalendarStatus:
    """Classify every event of the given years' calendars (all if None) relative to `moment`."""
    if moment.tzinfo is None:
        raise MipsError("the moment needs a time zone or UTC offset")
    calendars = load_calendars(years)
    return classify(moment, calendars, soon_days, recent_days)


def classify(moment: datetime, calendars: list[Calendar], soon_days: int = 30,
             recent_days: int = 30) -> CalendarStatus:
    """The classification itself, for calendars already loaded."""
    soon, recent = timedelta(days=soon_days), timedelta(days=recent_days)
    found: dict[str, list[Entry]] = {k: [] for k in ("open", "closing_soon", "just_closed", "opening_soon",
                                                      "just_released")}
    waiting, undated = [], []
    for event in (e for calendar in calendars for e in calendar.events):
        start, end = event.start, event.end
        if event.kind == "release":
            if start is not None and moment < start <= moment + soon:
                found["opening_soon"].append(Entry(event, start, start - moment))
            elif start is not None and moment - recent < start <= moment:
                found["just_released"].append(Entry(event, start, moment - start))
            continue
        if end is None:
            if any(m is not None and m.after and m.date is None for m in (event.closes, event.at)):
                waiting.append(event)
            else:
                undated.append(event)
            continue
        closes_soon = moment < end <= moment + soon
        is_open = event.kind == "window" and moment < end and (
            (start is not None and start <= moment) or (start is None and closes_soon))
        if is_open:
            found["open"].append(Entry(event, end, end - moment, start is not None, closes_soon))
        elif closes_soon:
            found["closing_soon"].append(Entry(event, end, end - moment))
        elif moment - recent < end <= moment:
            found["just_closed"].append(Entry(event, end, moment - end))
        if start is not None and moment < start <= moment + soon:
            found["opening_soon"].append(Entry(event, start, start - moment))
    order = lambda entry: (entry.instant, entry.event.year, entry.event.id)  # noqa: E731
    return CalendarStatus(moment, tuple(c.year for c in calendars), soon_days, recent_days,
                          *(tuple(sorted(found[k], key=order)) for k in found), tuple(waiting), tuple(undated))


def duration(delta: timedelta) -> dict:
    """A length of time in whole days, hours and minutes (seconds dropped), and as words."""
    minutes = int(delta.total_seconds()) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in ((days, "day"), (hours, "hour"),
                                                                     (minutes, "minute")) if n]
    return {"days": days, "hours": hours, "minutes": minutes, "text": " ".join(parts) or "less than a minute"}


def program_zone(calendars: list[Calendar]) -> str:
    """The one time zone the calendars state deadlines in (a bare date is read there)."""
    zones = sorted({calendar.program_zone for calendar in calendars})
    if not zones:
        raise MipsError("no program calendar found")
    if len(zones) > 1:
        raise MipsError(f"the calendars name different program time zones ({', '.join(zones)}); "
                        "give --on as a date-time with a UTC offset")
    return zones[0]


def read_moment(text: str, zone: str) -> datetime:
    """A date (midnight in `zone`) or an ISO 8601 date-time with a UTC offset."""
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(0, 0), tzinfo=ZoneInfo(zone))
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise MipsError(f"--on '{text}' is neither a date (2026-11-22) nor a date-time with a UTC offset "
                        "(2026-11-22T14:30-05:00)") from None
    if moment.tzinfo is None:
        raise MipsError(f"--on '{text}' has no UTC offset; add one (e.g. {text}-05:00 or {text}Z) "
                        "or give just the date")
    return moment

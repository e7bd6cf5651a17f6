"""Write program calendars as an iCalendar file (RFC 5545), byte-identical for the same data.

One VEVENT per event, its UID stable (`py2026-mvp-registration@mips-rulebook-engine`) and its
DTSTAMP the calendar's `reviewed` date, so that the output depends on the data only. A window is one
event from opening to close; a deadline or release with a known time is a point in time (DTSTART
only: RFC 5545 section 3.6.1 lets it end when it starts); a date without a time is an all-day event.
A window whose opening is not recorded shows its close only. Events without a date are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date
from datetime import datetime, timedelta
from pathlib import Path

from engine.atomic import write_atomically
from engine.calendar.moments import Calendar, Event, Moment
from engine.calendar.vtimezone import vtimezone
from engine.explain.render import environment

PRODID = "-//mips-rulebook-engine//program calendar//EN"
DOMAIN = "mips-rulebook-engine"
LIMIT = 75


@dataclass(frozen=True)
class IcsResult:
    """The file's bytes, and the events left out because they have no date yet."""

    data: bytes
    written: tuple[Event, ...]
    skipped: tuple[Event, ...]


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 section 3.3.11)."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold(line: str) -> bytes:
    """One content line folded at 75 octets, never inside a UTF-8 character (section 3.1)."""
    raw, chunks, limit = line.encode("utf-8"), [], LIMIT
    while len(raw) > limit:
        cut = limit
        while cut > 0 and (raw[cut] & 0xC0) == 0x80:
            cut -= 1
        chunks.append(raw[:cut])
        raw, limit = raw[cut:], LIMIT - 1
    chunks.append(raw)
    return b"\r\n ".join(chunks) + b"\r\n"


def _local(moment: Moment, end_of_day: bool) -> str:
    instant = moment.instant(end_of_day)
    assert instant is not None
    return f";TZID={moment.zone}:{instant.strftime('%Y%m%dT%H%M%S')}"


def _day(day: Date) -> str:
    return f";VALUE=DATE:{day.strftime('%Y%m%d')}"


@dataclass(frozen=True)
class _Shown:
    """DTSTART/DTEND lines of an event, which part of it they show, and the moments given a TZID."""

    lines: list[str]
    part: str
    zoned: list[Moment]


def _times(event: Event) -> _Shown | None:
    """How an event is written, or None when nothing of it is dated."""
    if event.kind != "window":
        return _point(event.at, False, event.kind) if event.at and event.at.date else None
    opens, closes = event.opens, event.closes
    if opens and opens.date and closes and closes.date:
        if opens.time is None and closes.time is None:
            return _Shown([f"DTSTART{_day(opens.date)}", f"DTEND{_day(closes.date + timedelta(days=1))}"],
                          "window", [])
        return _Shown([f"DTSTART{_local(opens, False)}", f"DTEND{_local(closes, True)}"], "window", [opens, closes])
    if closes and closes.date:
        return _point(closes, True, "closes")
    return _point(opens, False, "opens") if opens and opens.date else None


def _point(moment: Moment, end_of_day: bool, part: str) -> _Shown:
    """A single moment: all-day when only its date is known, else a point in time."""
    assert moment.date is not None
    if moment.time is None:
        return _Shown([f"DTSTART{_day(moment.date)}", f"DTEND{_day(moment.date + timedelta(days=1))}"], part, [])
    return _Shown([f"DTSTART{_local(moment, end_of_day)}"], part, [moment])


def build_ics(calendars: list[Calendar]) -> IcsResult:
    """The iCalendar bytes for the given calendars (in year order, events in file order)."""
    template = environment().get_template("ics_description.txt.j2")
    body, zones, written, skipped = [], set(), [], []
    years: list[int] = []
    for calendar in sorted(calendars, key=lambda c: c.year):
        stamp = datetime.combine(calendar.reviewed, datetime.min.time()).strftime("%Y%m%dT%H%M%SZ")
        for event in calendar.events:
            shown = _times(event)
            if shown is None:
                skipped.append(event)
                continue
            lines, part = shown.lines, shown.part
            for moment in shown.zoned:
                assert moment.date is not None
                zones.add(moment.zone)
                years.append(moment.date.year)
            summary = f"PY{event.year}: {event.name}" + (f" ({part})" if part in ("opens", "closes") else "")
            description = template.render(event=event.to_data()).strip()
            body += ["BEGIN:VEVENT", f"UID:{event.uid_base}@{DOMAIN}", f"DTSTAMP:{stamp}",
                     f"SUMMARY:{escape(summary)}", *lines, f"DESCRIPTION:{escape(description)}",
                     f"STATUS:{'TENTATIVE' if event.status == 'unconfirmed' else 'CONFIRMED'}", "TRANSP:TRANSPARENT",
                     "END:VEVENT"]
            written.append(event)
    timezones = [line for zone in sorted(zones) for line in vtimezone(zone, min(years), max(years))]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             *timezones, *body, "END:VCALENDAR"]
    return IcsResult(b"".join(fold(line) for line in lines), tuple(written), tuple(skipped))


def write_ics(path: Path, calendars: list[Calendar]) -> IcsResult:
    """Build the file and write it atomically (a temporary file renamed over `path`)."""
    result = build_ics(calendars)
    write_atomically(path, result.data)
    return result

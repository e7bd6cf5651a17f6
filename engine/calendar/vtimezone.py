"""VTIMEZONE components (RFC 5545 section 3.6.5) computed from the IANA zone data."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

HOUR = timedelta(hours=1)


def _offset(zone: ZoneInfo, instant: datetime) -> timedelta:
    return instant.astimezone(zone).utcoffset() or timedelta(0)


def _transitions(zone: ZoneInfo, start: datetime, end: datetime) -> list[datetime]:
    """UTC instants in [start, end) where the zone's UTC offset changes (to the second)."""
    found = []
    current = start
    while current < end:
        following = current + HOUR
        if _offset(zone, current) != _offset(zone, following):
            low, high = current, following
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                low, high = (middle, high) if _offset(zone, middle) == _offset(zone, low) else (low, middle)
            found.append(high.replace(microsecond=0))
        current = following
    return found


def _text(offset: timedelta) -> str:
    seconds = int(offset.total_seconds())
    sign, seconds = ("-" if seconds < 0 else "+"), abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


def vtimezone(name: str, first_year: int, last_year: int) -> list[str]:
    """Content lines of a VTIMEZONE valid (with a day to spare) from `first_year` through `last_year`."""
    zone = ZoneInfo(name)
    start = datetime(first_year - 1, 12, 31, tzinfo=timezone.utc)
    end = datetime(last_year + 1, 1, 2, tzinfo=timezone.utc)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{name}"]
    before = _offset(zone, start)
    onsets = [(start, before)] + [(t, _offset(zone, t - HOUR)) for t in _transitions(zone, start, end)]
    for instant, offset_from in onsets:
        local = instant.astimezone(zone)
        kind = "DAYLIGHT" if local.dst() else "STANDARD"
        lines += [f"BEGIN:{kind}", f"DTSTART:{(instant + offset_from).strftime('%Y%m%dT%H%M%S')}",
                  f"TZOFFSETFROM:{_text(offset_from)}", f"TZOFFSETTO:{_text(local.utcoffset() or timedelta(0))}",
                  f"TZNAME:{local.tzname()}", f"END:{kind}"]
    return lines + ["END:VTIMEZONE"]

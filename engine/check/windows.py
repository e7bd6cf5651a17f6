"""The calendar window a rule names, seen from the moment a question is asked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from engine.calendar import load_calendar
from engine.calendar.moments import Event
from engine.calendar.status import duration
from engine.errors import MipsError


@dataclass(frozen=True)
class WindowStatus:
    """A calendar event at a moment: open, closed, not yet open, or unknown while its close is not recorded."""

    event: Event
    moment: datetime
    state: str   # open | closed | not_yet_open | open_by_close | unknown

    def to_data(self) -> dict:
        start, end = self.event.start, self.event.end
        data = {**self.event.to_data(), "state": self.state}
        if end is not None and self.moment < end:
            data["closes_in"] = duration(end - self.moment)
        if end is not None and self.moment >= end:
            data["closed_ago"] = duration(self.moment - end)
        if start is not None and self.moment < start:
            data["opens_in"] = duration(start - self.moment)
        return data


def window_status(year: int, event_id: str, moment: datetime) -> WindowStatus:
    """The state of the year's calendar event `event_id` at `moment`.

    A window is open from its opening (inclusive) to its close (exclusive), at the exact minute; a
    window whose opening day is not recorded is `open_by_close` until it closes.
    """
    calendar = load_calendar(year)
    event = next((e for e in calendar.events if e.id == event_id), None)
    if event is None:
        known = ", ".join(e.id for e in calendar.events)
        raise MipsError(f"{calendar.file}: the {year} rules name the calendar event '{event_id}', which the "
                        f"calendar does not have; events: {known}")
    start, end = event.start, event.end
    if end is None:
        state = "unknown"
    elif moment >= end:
        state = "closed"
    elif start is not None and moment < start:
        state = "not_yet_open"
    elif start is None:
        state = "open_by_close"
    else:
        state = "open"
    return WindowStatus(event, moment, state)

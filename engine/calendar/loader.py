"""Load `rulebooks/YEAR/calendar.yaml`: strict YAML, every problem at once, each located."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from engine.calendar.models import CalendarFile, EventSpec, MomentSpec
from engine.calendar.moments import Calendar, Event, Moment
from engine.datafiles import read_model
from engine.errors import MipsError, Problem, RulebookError
from engine.rulebook import citations
from engine.rulebook.bibliography import bibliography_for
from engine.rulebook.registry import display_path, rulebooks_root
from engine.rulebook.yaml_source import Located, locate

FILE = "calendar.yaml"
ROLES = ("opens", "closes", "extended_from", "at")
Report = Callable[[tuple[str | int, ...], str], None]
SHAPES = {"window": ("opens", "closes"), "deadline": ("at",), "release": ("at",)}
OPTIONAL = {"window": ("extended_from",), "deadline": (), "release": ()}


def calendar_years() -> list[int]:
    """Performance years that have a calendar file."""
    root = rulebooks_root()
    if not root.is_dir():
        return []
    return sorted(int(p.name) for p in root.iterdir() if p.name.isdigit() and (p / FILE).is_file())


def load_calendars(years: Iterable[int] | None = None) -> list[Calendar]:
    """The calendars of the given years (all years with one if None)."""
    return [load_calendar(year) for year in (sorted(set(years)) if years is not None else calendar_years())]


def load_calendar(year: int) -> Calendar:
    """The calendar of one performance year, read and checked once per process; a clear error when there is none."""
    path = rulebooks_root() / str(year) / FILE
    if not path.is_file():
        known = ", ".join(str(y) for y in calendar_years()) or "none"
        raise MipsError(f"no program calendar for performance year {year}; years with a calendar: {known}")
    return _load_year(path.resolve())


@lru_cache(maxsize=None)
def _load_year(path: Path) -> Calendar:
    return load_calendar_file(path)


def load_calendar_file(path: Path) -> Calendar:
    """Read, validate and resolve one calendar file; raise RulebookError listing every problem."""
    data, spec, problems = read_model(path, CalendarFile)
    name = display_path(path)
    if data is not None:
        problems += citations.check_document(data, name, bibliography_for(path.parent))
    if spec is None:
        raise RulebookError(_sorted(problems))

    def problem(where: tuple[str | int, ...], message: str) -> None:
        found = locate(data, where)
        key = ".".join(str(p) for p in where)
        problems.append(Problem(name, found.line if found else None, found.column if found else None, key, message))

    if path.parent.name.isdigit() and int(path.parent.name) != spec.year:
        problem(("year",), f"year {spec.year} does not match the folder name {path.parent.name}")
    for event_id, event in spec.events.items():
        _check_shape(event_id, event, spec, problem)
        _check_chain(event_id, spec, problem)
    if problems:
        raise RulebookError(_sorted(problems))
    events = tuple(_event(spec, event_id, name, locate(data, ("events", event_id))) for event_id in spec.events)
    for event in events:
        _check_order(event, problem)
    if problems:
        raise RulebookError(_sorted(problems))
    return Calendar(spec.year, spec.reviewed, spec.program_time_zone.zone, events, name)


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0, p.message))


def _check_shape(event_id: str, event: EventSpec, spec: CalendarFile, problem: Report) -> None:
    """Which moments each kind needs, and that relative moments point at a dated single event."""
    needed, allowed = SHAPES[event.kind], SHAPES[event.kind] + OPTIONAL[event.kind]
    for role in ROLES:
        moment: MomentSpec | None = getattr(event, role)
        where = ("events", event_id, role)
        if moment is None:
            if role in needed:
                problem(("events", event_id), f"a {event.kind} needs '{role}'")
            continue
        if role not in allowed:
            problem(where, f"a {event.kind} has no '{role}'; it takes {', '.join(allowed)}")
            continue
        if moment.after is None:
            if "date" not in moment.model_fields_set:
                problem(where, "missing required key 'date' (a date or 'unknown'), or 'after' and 'days' "
                        "for a moment relative to another event")
            if moment.days is not None:
                problem(where + ("days",), "'days' only goes with 'after'")
            continue
        if "date" in moment.model_fields_set:
            problem(where + ("date",), "give either 'date' or 'after', not both")
        if moment.days is None:
            problem(where + ("after",), "a relative moment needs 'days' (how many days after the other event)")
        base = spec.events.get(moment.after)
        if base is None or moment.after == event_id:
            problem(where + ("after",), f"'{moment.after}' is no other event of this calendar; "
                    f"events: {', '.join(e for e in spec.events if e != event_id)}")
        elif base.kind == "window":
            problem(where + ("after",), f"'{moment.after}' is a window; a moment can only follow a deadline "
                    "or a release (a single moment)")


def _check_chain(event_id: str, spec: CalendarFile, problem: Report) -> None:
    """Relative moments must not go round in a circle (A after B after A)."""
    chain, current = [event_id], spec.events[event_id]
    while current.at is not None and current.at.after in spec.events:
        if current.at.after in chain:
            if current.at.after == event_id and len(chain) > 1:
                problem(("events", event_id, "at", "after"), "relative moments go round in a circle: "
                        + " -> ".join(chain + [event_id]))
            return
        chain.append(current.at.after)
        current = spec.events[current.at.after]


def _event(spec: CalendarFile, event_id: str, file: str, where: Located | None) -> Event:
    event = spec.events[event_id]
    moments = {role: _moment(spec, getattr(event, role), (event_id,)) for role in ROLES}
    origin = f"{file}:{where.line}" if where else file
    return Event(spec.year, event_id, event.name, event.kind, event.source, event.status, event.note, origin,
                 **moments)


def _moment(spec: CalendarFile, moment: MomentSpec | None, seen: tuple[str, ...]) -> Moment | None:
    """Resolve a moment; a relative one gets its date once the event it follows has one."""
    if moment is None:
        return None
    if moment.after is None:
        return Moment(moment.date, moment.time, moment.zone)
    base_event = spec.events[moment.after]
    base = None if moment.after in seen else _moment(spec, base_event.at, seen + (moment.after,))
    day = base.date + timedelta(days=moment.days or 0) if base and base.date else None
    return Moment(day, moment.time, moment.zone, moment.after, moment.days)


def _check_order(event: Event, problem: Report) -> None:
    """A window closes after it opens, and an extension moves the close later."""
    path = ("events", event.id)
    if event.kind != "window" or event.closes is None:
        return
    closes = event.closes.instant(end_of_day=True)
    opens = event.opens.instant(end_of_day=False) if event.opens else None
    if closes is not None and opens is not None and closes <= opens:
        problem(path + ("closes",), f"closes {_show(event.closes)} is not after opens {_show(event.opens)}; "
                "a window must close after it opens")
    if event.extended_from is not None:
        original = event.extended_from.instant(end_of_day=True)
        if closes is not None and original is not None and original >= closes:
            problem(path + ("extended_from",), f"the original close {_show(event.extended_from)} is not before "
                    f"the extended close {_show(event.closes)}")


def _show(moment: Moment | None) -> str:
    if moment is None or moment.date is None:
        return "unknown"
    clock = moment.time.strftime("%H:%M") if moment.time else "(time unknown)"
    return f"{moment.date.isoformat()} {clock} {moment.zone}"

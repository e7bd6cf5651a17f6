"""Read and cross-check a year's EUC files (events.yaml, places.csv + SOURCE.yaml, parameters/euc.yaml and
the state list), all problems at once; engine.euc.loader keeps what they give."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from engine.datafiles import read_model
from engine.errors import Problem, RulebookError
from engine.euc.data import ENTITY_LISTS, Assignment, Citation, EucEvent, EucYear, PlaceList
from engine.euc.loader import EVENTS, HEADER, PARAMETERS, PLACES, SOURCE, STATES
from engine.euc.models import EventsFile, SourceFile, StatesFile
from engine.euc.names import county_key
from engine.rulebook import citations
from engine.rulebook.bibliography import bibliography_for
from engine.rulebook.compiled import Origin, Parameter
from engine.rulebook.models import ParameterFile
from engine.rulebook.registry import display_path, rulebooks_root
from engine.rulebook.text_source import SourceError, read_text
from engine.rulebook.yaml_source import locate


def read_folder(folder: Path) -> EucYear:
    """A year folder's EUC files read and cross-checked; raise RulebookError listing every problem."""
    problems: list[Problem] = []
    states = _states(rulebooks_root() / STATES, problems)
    events_data, events_file, found = read_model(folder / EVENTS, EventsFile)
    problems += found
    if events_data is not None:
        problems += citations.check_document(events_data, display_path(folder / EVENTS), bibliography_for(folder))
    parameters = _parameters(folder / PARAMETERS, problems)
    places = _places(folder, states, problems) if (folder / PLACES).is_file() else None
    events: tuple[EucEvent, ...] = ()
    if events_file is not None:
        name = display_path(folder / EVENTS)
        if folder.name.isdigit() and int(folder.name) != events_file.year:
            _located(problems, name, events_data, ("year",),
                     f"year {events_file.year} does not match the folder name {folder.name}")
        events = _events(events_file, events_data, name, states, places, problems)
        if places is not None:
            _check_all_assigned(places, events, problems)
    if problems:
        raise RulebookError(sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.column or 0, p.message)))
    assert events_file is not None
    return EucYear(events_file.year, events, Citation(events_file.source, events_file.status, events_file.note),
                   places, parameters, states)


def _located(problems: list[Problem], file: str, data: Any, path: tuple[str | int, ...], message: str) -> None:
    where = locate(data, path)
    problems.append(Problem(file, where.line if where else None, where.column if where else None,
                            ".".join(str(p) for p in path), message))


def _states(path: Path, problems: list[Problem]) -> dict[str, str]:
    """Codes and names of the states and territories (rulebooks/common/states.yaml)."""
    data, spec, found = read_model(path, StatesFile)
    problems += found
    if data is not None:
        problems += citations.check_document(data, display_path(path), bibliography_for(path.parent))
    return dict(spec.states) if spec else {}


def _parameters(path: Path, problems: list[Problem]) -> dict[str, Parameter]:
    """The entity-type lists of the automatic EUC policy, each a list of names."""
    data, spec, found = read_model(path, ParameterFile)
    problems += found
    if spec is None:
        return {}
    name, result = display_path(path), {}
    for key in ENTITY_LISTS:
        parameter = spec.parameters.get(key)
        if parameter is None or not isinstance(parameter.value, list):
            _located(problems, name, data, ("parameters",),
                     f"needs parameter '{key}' with a list of entity types as its value")
            continue
        where = locate(data, ("parameters", key))
        result[key] = Parameter(f"params.euc.{key}", tuple(str(v) for v in parameter.value), parameter.unit,
                                parameter.description.strip(), parameter.source, parameter.status, parameter.note,
                                Origin(name, where.line if where else 1))
    return result


def _places(folder: Path, states: dict[str, str], problems: list[Problem]) -> PlaceList:
    """places.csv, checked row by row, and the citation recorded beside it in SOURCE.yaml."""
    path, name = folder / PLACES, display_path(folder / PLACES)
    counties: dict[tuple[str, str], str] = {}
    lines: dict[tuple[str, str], int] = {}
    zips: dict[str, list[tuple[str, str]]] = {}
    try:
        rows = list(csv.reader(io.StringIO(read_text(path), newline="")))
    except SourceError as exc:
        problems.append(Problem(name, exc.line, exc.column, "", exc.message))
        rows = [HEADER]
    if not rows or rows[0] != HEADER:
        problems.append(Problem(name, 1, None, "", f"the header must be {','.join(HEADER)}"))
        rows = [HEADER]
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != 3:
            problems.append(Problem(name, line, None, "", f"expected 3 columns ({', '.join(HEADER)}), got {len(row)}"))
            continue
        state, county, zipcode = row
        if state not in states:
            problems.append(Problem(name, line, None, "state_code", f"'{state}' is no state or territory code"))
        if not county.strip():
            problems.append(Problem(name, line, None, "county_name", "the county name is empty"))
        if zipcode and not re.fullmatch(r"\d{5}", zipcode):
            problems.append(Problem(name, line, None, "zipcode", f"'{zipcode}' is not a 5-digit ZIP code (or empty)"))
        key = (state, county_key(county))
        counties.setdefault(key, county)
        lines.setdefault(key, line)
        if zipcode and key not in zips.get(zipcode, []):
            zips.setdefault(zipcode, []).append(key)
    data, source, found = read_model(folder / SOURCE, SourceFile)
    problems += found
    cited = Citation("", "unconfirmed")
    if data is not None:
        problems += citations.check_document(data, display_path(folder / SOURCE), bibliography_for(folder))
    if source is not None:
        cited = Citation(source.cite, source.status)
        if source.rows != len(rows) - 1:
            _located(problems, display_path(folder / SOURCE), data, ("rows",),
                     f"records {source.rows} rows but places.csv has {len(rows) - 1}; "
                     "re-run scripts/convert_euc_data.py")
    return PlaceList(counties, {z: tuple(keys) for z, keys in zips.items()}, cited.source, cited.status, name,
                     lines)


def _events(spec: EventsFile, data: Any, name: str, states: dict[str, str], places: PlaceList | None,
            problems: list[Problem]) -> tuple[EucEvent, ...]:
    events = []
    for event_id, event in spec.events.items():
        assignments = []
        for index, place in enumerate(event.places):
            path = ("events", event_id, "places", index)
            if place.state not in states:
                _located(problems, name, data, path + ("state",), f"'{place.state}' is no state or territory code")
            if (place.counties is None) == (not place.whole_state):
                _located(problems, name, data, path, "give either 'counties' or 'whole_state: true'")
            counties = {county_key(c): c for c in place.counties or []}
            if places is not None:
                for index_c, county in enumerate(place.counties or []):
                    if (place.state, county_key(county)) not in places.counties:
                        _located(problems, name, data, path + ("counties", index_c),
                                 f"county '{county}' ({place.state}) is not in {places.file}; "
                                 "check the spelling against the CMS list")
            assignments.append(Assignment(place.state, counties, place.whole_state, place.source, place.status,
                                          place.note))
        where = locate(data, ("events", event_id))
        events.append(EucEvent(event_id, event.name, tuple(event.declarations), event.announced, event.source,
                               event.status, event.note, tuple(assignments),
                               f"{name}:{where.line}" if where else name))
    return tuple(events)


def _check_all_assigned(places: PlaceList, events: tuple[EucEvent, ...], problems: list[Problem]) -> None:
    """Every county of the CMS list belongs to at least one event (status unconfirmed if unsure)."""
    for (state, key), county in sorted(places.counties.items()):
        if not any(a.covers(state, key) for e in events for a in e.assignments):
            problems.append(Problem(places.file, places.lines[(state, key)], None, "", f"county '{county}' ({state}) is assigned to no "
                                    "event in events.yaml; add it to the places of the events of its state "
                                    "(status unconfirmed when the sources do not say which)"))

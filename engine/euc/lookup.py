"""Which automatic EUC events cover a place, and whether the automatic policy applies to an entity."""

from __future__ import annotations

import re
from typing import NamedTuple

from engine.errors import MipsError
from engine.euc.data import ENTITY_LISTS, Assignment, Citation, EucEvent, EucYear
from engine.euc.loader import load_euc_year
from engine.euc.names import county_key
from engine.rulebook.compiled import Parameter

ORDER = ("confirmed", "secondary", "derived", "unconfirmed")  # most to least certain
BASIS = {"automatic_entity_types": "automatic", "application_entity_types": "application",
         "inherited_entity_types": "inherits"}


class Cover(NamedTuple):
    """An event covering a place, and the citation of assigning that place to it."""

    event: EucEvent
    assignment: Assignment

    def to_data(self) -> dict:
        a = self.assignment
        return {**self.event.to_data(), "assignment": {
            "state": a.state, "whole_state": a.whole_state, "source": a.source, "status": a.status, "note": a.note}}


class PlaceAnswer(NamedTuple):
    """One place (a county, or a whole state when no county was given) and what covers it.

    `covered` is None when only a state was given and some, not all, of its counties are designated.
    """

    state: str
    state_name: str
    county: str | None
    covered: bool | None
    covers: tuple[Cover, ...]
    cited: Citation
    designated_counties: tuple[str, ...] = ()
    did_you_mean: tuple[str, ...] = ()

    def to_data(self) -> dict:
        return {"state": self.state, "state_name": self.state_name, "county": self.county, "covered": self.covered,
                "events": [c.to_data() for c in self.covers], "designated_counties": list(self.designated_counties),
                "did_you_mean": list(self.did_you_mean),
                "place_data": self.cited.to_data()}


class Coverage(NamedTuple):
    """The answer to a place query: one entry per county found (a ZIP code may lie in several)."""

    year: int
    state: str | None
    county: str | None
    zipcode: str | None
    answers: tuple[PlaceAnswer, ...]
    cited: Citation

    @property
    def covered(self) -> bool | None:
        if any(a.covered for a in self.answers):
            return True
        return None if any(a.covered is None for a in self.answers) else False

    @property
    def events(self) -> tuple[EucEvent, ...]:
        seen: dict[str, EucEvent] = {}
        for answer in self.answers:
            for cover in answer.covers:
                seen.setdefault(cover.event.id, cover.event)
        return tuple(seen.values())

    def to_data(self) -> dict:
        return {"year": self.year, "query": {"state": self.state, "county": self.county, "zip": self.zipcode},
                "covered": self.covered, "places": [a.to_data() for a in self.answers],
                "place_data": self.cited.to_data()}


class Applicability(NamedTuple):
    """Whether the automatic policy applies to an entity type at a place, why, and on which parameter."""

    entity_type: str
    coverage: Coverage
    applies: bool | None
    basis: str
    parameter: Parameter
    automatic_entity_types: tuple[str, ...]

    def to_data(self) -> dict:
        p = self.parameter
        return {"entity_type": self.entity_type, "applies": self.applies, "basis": self.basis,
                "automatic_entity_types": list(self.automatic_entity_types),
                "events": [e.id for e in self.coverage.events] if self.coverage.covered else [],
                "parameter": {"name": p.name, "value": list(p.value), "description": p.description,
                              "source": p.source, "status": p.status, "note": p.note, "defined_at": str(p.origin)}}


def covering_events(year: int, state: str | None = None, county: str | None = None,
                    zip: str | None = None) -> Coverage:  # noqa: A002 - the brief's name
    """Coverage of a county (by state and name), a whole state, or every county a ZIP code lies in."""
    data = load_euc_year(year)
    if zip is not None:
        if state is not None or county is not None:
            raise MipsError("give either a ZIP code or a state (and county), not both")
        return _by_zip(data, zip.strip())
    if state is None:
        raise MipsError("give a ZIP code, or a state (and a county)")
    code = _state(data, state)
    if county is not None and not county_key(county):
        raise MipsError(f"county name '{county}' is empty")
    answer = _answer(data, code, county.strip() if county else None)
    return Coverage(year, code, county, None, (answer,), answer.cited)


def applicability(year: int, entity_type: str, place: Coverage) -> Applicability:
    """Does the automatic policy apply to `entity_type` at `place` (a covering_events answer)?"""
    data = load_euc_year(year)
    if place.year != year:
        raise MipsError(f"the place was looked up for {place.year}, not {year}")
    owner = next((name for name in ENTITY_LISTS if entity_type in data.parameters[name].value), None)
    if owner is None:
        raise MipsError(f"unknown entity type '{entity_type}' for performance year {year}; "
                        f"entity types: {', '.join(data.entity_types())}")
    parameter, automatic = data.parameters[owner], data.parameters["automatic_entity_types"].value
    if place.covered is False:
        return Applicability(entity_type, place, False, "not_covered", parameter, automatic)
    if place.covered is None:
        return Applicability(entity_type, place, None, "county_needed", parameter, automatic)
    return Applicability(entity_type, place, BASIS[owner] == "automatic", BASIS[owner], parameter, automatic)


def _state(data: EucYear, state: str) -> str:
    code = state.strip().upper()
    if code not in data.states:
        raise MipsError(f"unknown state '{state}'; give a two-letter state or territory code such as TX, HI or MP")
    return code


def _by_zip(data: EucYear, zipcode: str) -> Coverage:
    if not re.fullmatch(r"\d{5}", zipcode):
        raise MipsError(f"ZIP code '{zipcode}' must be exactly 5 digits")
    if data.places is None:
        raise MipsError(f"performance year {data.year} has no ZIP code list (CMS has published no county-ZIP "
                        "crosswalk for it); a ZIP code cannot be resolved: give --state and --county instead")
    answers = tuple(_answer(data, state, data.places.counties[(state, key)])
                    for state, key in data.places.zips.get(zipcode, ()))
    cited = Citation(data.places.source, data.places.status)
    return Coverage(data.year, None, None, zipcode, answers, cited)


def _answer(data: EucYear, state: str, county: str | None) -> PlaceAnswer:
    """Coverage of one county, or of a whole state when `county` is None."""
    key = county_key(county) if county else None
    covers = tuple(Cover(e, a) for e in data.events for a in e.assignments
                   if a.state == state and (key is None or a.covers(state, key)))
    whole = any(c.assignment.whole_state for c in covers)
    places = data.places
    if places is not None:
        designated = tuple(sorted(n for (s, _), n in places.counties.items() if s == state))
        cited = Citation(places.source, places.status)
        listed = key is not None and (state, key) in places.counties
        name = places.counties.get((state, key), county) if key else None
    else:
        designated = tuple(sorted({n for c in covers for n in c.assignment.counties.values()}))
        cited = _weakest([Citation(c.assignment.source, c.assignment.status, c.assignment.note) for c in covers],
                         data.event_list)
        listed = bool(covers)
        name = county
    if key is None:
        covered: bool | None = True if whole else (None if designated else False)
        return PlaceAnswer(state, data.states[state], None, covered, covers, cited, designated)
    near = () if listed else _near(county or "", designated)
    return PlaceAnswer(state, data.states[state], name, listed, covers if listed else (), cited, did_you_mean=near)


def _near(county: str, designated: tuple[str, ...]) -> tuple[str, ...]:
    """The designated counties spelt most like `county` (difflib imported only for a county not listed)."""
    import difflib

    return tuple(difflib.get_close_matches(county, designated, n=3, cutoff=0.75)) if designated else ()


def _weakest(citations: list[Citation], fallback: Citation) -> Citation:
    """The least certain of the citations used (the year's event list when there are none)."""
    if not citations:
        return fallback
    return max(citations, key=lambda c: ORDER.index(c.status))

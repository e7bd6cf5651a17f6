"""A performance year's automatic EUC data, loaded and cross-checked (named tuples: cheap to define at start-up
and to read back from the cache)."""

from __future__ import annotations

from datetime import date as Date
from typing import NamedTuple

from engine.rulebook.compiled import Parameter

ENTITY_LISTS = ("automatic_entity_types", "application_entity_types", "inherited_entity_types")


class Assignment(NamedTuple):
    """Places of one state assigned to an event, with the citation of that assignment."""

    state: str
    counties: dict[str, str]  # county key -> name as written
    whole_state: bool
    source: str
    status: str
    note: str | None

    def covers(self, state: str, key: str | None) -> bool:
        return state == self.state and (self.whole_state or key in self.counties)


class EucEvent(NamedTuple):
    """An automatic EUC event of one performance year."""

    id: str
    name: str
    declarations: tuple[str, ...]
    announced: Date | None
    source: str
    status: str
    note: str | None
    assignments: tuple[Assignment, ...]
    origin: str

    def to_data(self) -> dict:
        return {"id": self.id, "name": self.name, "declarations": list(self.declarations),
                "announced": self.announced.isoformat() if self.announced else None,
                "source": self.source, "status": self.status, "note": self.note, "defined_at": self.origin}


class PlaceList(NamedTuple):
    """CMS's list of designated counties and their ZIP codes (places.csv), with its citation."""

    counties: dict[tuple[str, str], str]  # (state, county key) -> CMS name
    zips: dict[str, tuple[tuple[str, str], ...]]  # ZIP -> (state, county key) pairs
    source: str
    status: str
    file: str
    lines: dict[tuple[str, str], int]  # (state, county key) -> first line in the file


class Citation(NamedTuple):
    """A source and status, for answers built from a whole file."""

    source: str
    status: str
    note: str | None = None

    def to_data(self) -> dict:
        return {"source": self.source, "status": self.status, "note": self.note}


class EucYear(NamedTuple):
    """Events, the optional CMS place list, the policy parameters and the state names of a year."""

    year: int
    events: tuple[EucEvent, ...]
    event_list: Citation
    places: PlaceList | None
    parameters: dict[str, Parameter]
    states: dict[str, str]

    def entity_types(self) -> list[str]:
        """Every participation option the policy parameters name, in their order."""
        seen: list[str] = []
        for name in ENTITY_LISTS:
            seen += [str(v) for v in self.parameters[name].value if str(v) not in seen]
        return seen

"""A performance year's automatic EUC data, loaded and cross-checked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date

from engine.rulebook.compiled import Parameter

ENTITY_LISTS = ("automatic_entity_types", "application_entity_types", "inherited_entity_types")


@dataclass(frozen=True)
class Assignment:
    """Places of one state assigned to an event, with the citation of that assignment."""

    state: str
    counties: dict[str, str]  # county key -> name as written
    whole_state: bool
    source: str
    status: str
    note: str | None

    def covers(self, state: str, key: str | None) -> bool:
        return state == self.state and (self.whole_state or key in self.counties)


@dataclass(frozen=True)
class EucEvent:
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


@dataclass(frozen=True)
class PlaceList:
    """CMS's list of designated counties and their ZIP codes (places.csv), with its citation."""

    counties: dict[tuple[str, str], str]  # (state, county key) -> CMS name
    zips: dict[str, tuple[tuple[str, str], ...]]  # ZIP -> (state, county key) pairs
    source: str
    status: str
    file: str
    lines: dict[tuple[str, str], int]  # (state, county key) -> first line in the file


@dataclass(frozen=True)
class Citation:
    """A source and status, for answers built from a whole file."""

    source: str
    status: str
    note: str | None = None

    def to_data(self) -> dict:
        return {"source": self.source, "status": self.status, "note": self.note}


@dataclass(frozen=True)
class EucYear:
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

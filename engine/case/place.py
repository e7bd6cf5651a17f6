"""Place facts of a case: does the year's automatic EUC data designate the practice location?"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from engine.case.facts import PlaceFacts
from engine.case.models import Case
from engine.errors import CaseError, MipsError
from engine.euc.loader import euc_years, load_euc_year
from engine.euc.lookup import covering_events
from engine.rulebook.registry import rulebooks_root


@lru_cache(maxsize=8)
def _euc_years(root: Path) -> frozenset[int]:
    """Years with EUC data under a rulebooks root (looked up once per process)."""
    return frozenset(euc_years())


def place_facts(case: Case, year: int, name: str) -> PlaceFacts | None:
    """The EUC designation of the case's practice location (ZIP, else state and county), if it has one."""
    practice = case.practice
    root = rulebooks_root()
    if not (practice.zip or practice.state) or year not in _euc_years(root):
        return None
    try:
        return _place(root, year, practice.zip, practice.state, practice.county)
    except MipsError as exc:
        raise CaseError(f"{name}: practice: {exc}") from None


@lru_cache(maxsize=4096)
def _place(root: Path, year: int, zipcode: str | None, state: str | None, county: str | None) -> PlaceFacts | None:
    """What the year's data say of one place (looked up once per process and place)."""
    has_zips = load_euc_year(year).places is not None
    coverage = (covering_events(year, zip=zipcode) if zipcode and has_zips
                else covering_events(year, state=state, county=county) if state else None)
    if coverage is None:
        return None
    events = tuple(event.name for event in coverage.events) if coverage.covered else ()
    return PlaceFacts(coverage.covered, events, coverage.cited.source, coverage.cited.status)

"""The answers of `mips deadlines` and `mips euc` as data: the CLI and the web API give the same JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from engine.calendar import classify, load_calendars, program_zone, read_moment
from engine.errors import MipsError
from engine.euc import applicability, covering_events, load_euc_year


def deadlines(on: str | None, years: tuple[int, ...] = (), soon_days: int = 30, recent_days: int = 30) -> dict[str, Any]:
    """What is open, closing soon, just closed or opening soon at `on` (default: now), across `years` (default: all)."""
    calendars = load_calendars(years or None)
    zone = program_zone(calendars)
    moment = read_moment(on, zone) if on else datetime.now(ZoneInfo(zone)).replace(microsecond=0)
    return {"status": classify(moment, calendars, soon_days, recent_days).to_data()}


def euc(year: int, zipcode: str | None = None, state: str | None = None, county: str | None = None,
        entity_type: str | None = None) -> dict[str, Any]:
    """Whether a place is covered by the automatic EUC policy of a year, for one participation option or every one."""
    if county is not None and state is None:
        raise MipsError("--county needs --state (county names repeat across states)")
    coverage = covering_events(year, state=state, county=county, zip=zipcode)
    types = [entity_type] if entity_type else load_euc_year(year).entity_types()
    return {"coverage": coverage.to_data(), "applicability": [applicability(year, t, coverage).to_data() for t in types]}

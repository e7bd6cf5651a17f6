"""`mips deadlines` and `mips euc`: the program calendar and automatic EUC by place."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from engine import jsonout
from engine.calendar import classify, load_calendars, program_zone, read_moment, write_ics
from engine.errors import MipsError
from engine.euc import applicability, covering_events, load_euc_year
from engine.explain.render import environment

FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)


def _emit(data: dict, fmt: str, template: str) -> None:
    """JSON through engine.jsonout, text through a template; written in one piece."""
    text = jsonout.dumps(data) if fmt == "json" else environment().get_template(template).render(**data)
    click.echo(text, nl=not text.endswith("\n"))


@click.command()
@click.option("--on", "on", metavar="DATE|DATETIME",
              help="Look from this moment: 2026-11-22 (midnight in the program's time zone) or "
                   "2026-11-22T14:30-05:00. Default: now.")
@click.option("--year", "years", type=int, multiple=True, help="Performance year (repeatable). Default: all.")
@click.option("--soon-days", type=click.IntRange(min=0), default=30, show_default=True,
              help="How far ahead 'closing soon' and 'opening soon' look.")
@click.option("--recent-days", type=click.IntRange(min=0), default=30, show_default=True,
              help="How far back 'just closed' looks.")
@click.option("--ics", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
              help="Write the selected years' calendar to FILE as iCalendar instead.")
@FORMAT
def deadlines(on: str | None, years: tuple[int, ...], soon_days: int, recent_days: int, ics: Path | None,
              fmt: str) -> None:
    """What is open, closing soon, just closed or opening soon, with exact times, sources and status."""
    calendars = load_calendars(years or None)
    if ics is not None:
        if on is not None:
            raise MipsError("--on has no effect with --ics (the file holds every dated event); leave one out")
        result = write_ics(ics, calendars)
        _emit({"file": str(ics), "years": [c.year for c in calendars],
               "written": [e.to_data() for e in result.written], "skipped": [e.to_data() for e in result.skipped]},
              fmt, "deadlines_ics.txt.j2")
        return
    zone = program_zone(calendars)
    moment = read_moment(on, zone) if on else datetime.now(ZoneInfo(zone)).replace(microsecond=0)
    _emit({"status": classify(moment, calendars, soon_days, recent_days).to_data()}, fmt, "deadlines.txt.j2")


@click.command()
@click.option("--year", type=int, required=True, help="Performance year.")
@click.option("--zip", "zipcode", metavar="ZIP", help="5-digit ZIP code (resolved to its counties).")
@click.option("--state", metavar="CODE", help="Two-letter state or territory code, e.g. TX.")
@click.option("--county", metavar="NAME", help="County or parish name (with --state), e.g. Kerr.")
@click.option("--entity-type", "entity_type", metavar="TYPE",
              help="individual, group, virtual_group, apm_entity or subgroup (default: every option).")
@FORMAT
def euc(year: int, zipcode: str | None, state: str | None, county: str | None, entity_type: str | None,
        fmt: str) -> None:
    """Is a place covered by the automatic EUC policy, by which event, and does it apply to an entity type?"""
    if county is not None and state is None:
        raise MipsError("--county needs --state (county names repeat across states)")
    coverage = covering_events(year, state=state, county=county, zip=zipcode)
    types = [entity_type] if entity_type else load_euc_year(year).entity_types()
    answers = [applicability(year, t, coverage).to_data() for t in types]
    _emit({"coverage": coverage.to_data(), "applicability": answers}, fmt, "euc.txt.j2")

"""`mips deadlines` and `mips euc`: the program calendar and automatic EUC by place."""

from __future__ import annotations

from pathlib import Path

import click

from engine import answers, jsonout
from engine.calendar import load_calendars, write_ics
from engine.errors import MipsError
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
    if ics is not None:
        calendars = load_calendars(years or None)
        if on is not None:
            raise MipsError("--on has no effect with --ics (the file holds every dated event); leave one out")
        result = write_ics(ics, calendars)
        _emit({"file": str(ics), "years": [c.year for c in calendars],
               "written": [e.to_data() for e in result.written], "skipped": [e.to_data() for e in result.skipped]},
              fmt, "deadlines_ics.txt.j2")
        return
    _emit(answers.deadlines(on, years, soon_days, recent_days), fmt, "deadlines.txt.j2")


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
    _emit(answers.euc(year, zipcode, state, county, entity_type), fmt, "euc.txt.j2")

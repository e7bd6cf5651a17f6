"""`mips impact`: what a rule change does to a population, as text, JSON or an offline HTML report."""

from __future__ import annotations

from pathlib import Path

import click

from cli.main import emit
from cli.progress import bar
from engine import jsonout
from engine.atomic import write_atomically
from engine.errors import MipsError


@click.command("impact")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--from", "from_year", type=int, required=True, help="Performance year of the file and of the base rulebook.")
@click.option("--to", "to_year", type=int, help="Year whose rulebook is compared with the base.")
@click.option("--rulebook", metavar="PATH", help="A rulebook folder (a draft) compared with the base.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True)
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Write the report to a file.")
def impact_command(file: Path, from_year: int, to_year: int | None, rulebook: str | None, fmt: str,
                   out: Path | None) -> None:
    """Score a population under two rulebooks and report what changes (--to YEAR or --rulebook PATH)."""
    from engine.population.impact import run_impact
    from engine.population.report import render
    if (to_year is None) == (rulebook is None):
        raise MipsError("give either --to YEAR or --rulebook PATH (the rulebook compared with the base year)")
    with bar("impact") as update:
        report = run_impact(file, from_year, rulebook or str(to_year), update)
    text = jsonout.dumps(report) if fmt == "json" else render(report, fmt)
    if out is None:
        emit(text)
        return
    write_atomically(out, text.encode("utf-8"))
    click.echo(f"report written to {out}", err=True)

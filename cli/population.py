"""`mips population score` and `mips population synth`: whole public use files, scored or made up."""

from __future__ import annotations

from pathlib import Path

import click

from cli.main import emit
from cli.progress import bar
from engine import jsonout

FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)


@click.group("population")
def population_group() -> None:
    """Population runs: score a public use file with a rulebook, or make a synthetic one."""


@population_group.command("score")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--year", type=int, required=True, help="Performance year of the file (its columns and rulebook).")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Results file (.parquet): the file's columns plus the computed ones.")
@click.option("--rulebook", metavar="YEAR|PATH", help="Score with another rulebook than the year's (a draft).")
@click.option("--check", type=int, default=0, metavar="N",
              help="Also score the first N rows with the traced engine and compare every output.")
@FORMAT
def score_command(file: Path, year: int, out: Path, rulebook: str | None, check: int, fmt: str) -> None:
    """Score every row of a public use file (CSV or Parquet): final score, adjustment, reweighting row."""
    from engine.population.report import templates
    from engine.population.run import score_population
    with bar("scoring") as update:
        summary = score_population(file, year, out, rulebook, lambda done, total: update(
            f"{done:,} of {total:,} rows", done / total if total else 1.0), check)
    emit(jsonout.dumps(summary) if fmt == "json" else templates().get_template("population_score.txt.j2").render(s=summary))


@population_group.command("synth")
@click.option("--year", type=int, required=True, help="Performance year whose published results are matched.")
@click.option("--rows", type=int, default=1_000_000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="File to write (.parquet or .csv); default synthetic-YEAR.parquet.")
@FORMAT
def synth_command(year: int, rows: int, seed: int, out: Path | None, fmt: str) -> None:
    """Write a synthetic public use file calibrated to the year's published mean and median final score."""
    from engine.population.report import templates
    from engine.population.synth import synthesize, write
    out = out or Path(f"synthetic-{year}.parquet")
    with bar("synthetic population") as update:
        synthesis = synthesize(year, rows, seed, update)
        write(synthesis.frame, out)
    summary = synthesis.summary() | {"out": str(out)}
    emit(jsonout.dumps(summary) if fmt == "json" else templates().get_template("population_synth.txt.j2").render(s=summary))

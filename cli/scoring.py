"""`mips score` and `mips explain`: a case or a QPP submission, scored and explained."""

from __future__ import annotations

from pathlib import Path

import click

from cli.main import emit
from engine import jsonout
from engine.api import score_file
from engine.explain.content import explanation
from engine.explain.render import FORMATS, explain, render

CASE = click.argument("case", type=click.Path(path_type=Path, dir_okay=False))
RULEBOOK = click.option("--rulebook", "rulebook", metavar="YEAR|PATH",
                        help="Rulebook to use instead of the case's performance year.")
PROFILE = click.option("--profile", type=click.Path(path_type=Path, dir_okay=False),
                       help="With a QPP JSON submission as CASE: the case facts it lacks (practice, "
                            "statuses, cost, bonuses) in YAML or JSON.")
OUTSIDE = click.option("--allow-outside", is_flag=True,
                       help="Let a case read submission files outside its own folder.")


@click.command()
@CASE
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text", show_default=True)
@RULEBOOK
@PROFILE
@OUTSIDE
def score(case: Path, fmt: str, rulebook: str | None, profile: Path | None, allow_outside: bool) -> None:
    """Score a case file (YAML or JSON), or a QPP JSON submission with --profile."""
    result = score_file(case, rulebook, profile, allow_outside)
    emit(jsonout.dumps(result.to_data()) if fmt == "json" else render(result, "score.txt.j2"))


@click.command("explain")
@CASE
@click.option("--format", "fmt", type=click.Choice(sorted([*FORMATS, "json"])), default="text", show_default=True)
@RULEBOOK
@PROFILE
@OUTSIDE
def explain_command(case: Path, fmt: str, rulebook: str | None, profile: Path | None, allow_outside: bool) -> None:
    """Explain a case's score: why it is what it is, what moved it, what would close the gap."""
    result = score_file(case, rulebook, profile, allow_outside)
    emit(jsonout.dumps(explanation(result)) if fmt == "json" else explain(result, fmt))

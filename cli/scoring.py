"""`mips score` and `mips explain`: cases or QPP submissions of one clinician, scored and explained.

Given several files, or a case that CMS also scores another way (facility-based measurement), the
output shows every result and which one counts.
"""

from __future__ import annotations

from pathlib import Path

import click

from cli.main import emit
from engine import jsonout
from engine.combine import Combined, score_all
from engine.explain.render import FORMATS, explain, render, render_combined

CASES = click.argument("cases", metavar="CASE...", nargs=-1, required=True,
                       type=click.Path(path_type=Path, dir_okay=False))
RULEBOOK = click.option("--rulebook", "rulebook", metavar="YEAR|PATH",
                        help="Rulebook to use instead of the case's performance year.")
PROFILE = click.option("--profile", type=click.Path(path_type=Path, dir_okay=False),
                       help="With QPP JSON submissions as CASE...: the case facts they lack (practice, "
                            "statuses, cost, bonuses) in YAML or JSON.")
OUTSIDE = click.option("--allow-outside", is_flag=True,
                       help="Let a case read submission (or affiliated group) files outside its own folder.")


@click.command()
@CASES
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text", show_default=True)
@RULEBOOK
@PROFILE
@OUTSIDE
def score(cases: tuple[Path, ...], fmt: str, rulebook: str | None, profile: Path | None, allow_outside: bool) -> None:
    """Score case files (YAML or JSON), or QPP JSON submissions with --profile; several files are one
    clinician's results, compared to find the one that counts."""
    result = score_all(list(cases), rulebook, profile, allow_outside)
    if fmt == "json":
        emit(jsonout.dumps(result.to_data()))
    elif isinstance(result, Combined):
        emit(render_combined(result, "combined_score.txt.j2", "score.txt.j2"))
    else:
        emit(render(result, "score.txt.j2"))


@click.command("explain")
@CASES
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text", show_default=True)
@RULEBOOK
@PROFILE
@OUTSIDE
def explain_command(cases: tuple[Path, ...], fmt: str, rulebook: str | None, profile: Path | None,
                    allow_outside: bool) -> None:
    """Explain a score: why it is what it is, what moved it, what would close the gap; with several
    results of one clinician, which one counts and why."""
    emit(explain(score_all(list(cases), rulebook, profile, allow_outside), fmt))

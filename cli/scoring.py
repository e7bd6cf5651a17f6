"""`mips score` and `mips explain`: cases and QPP submissions, scored and explained, one or many.

With --clinician (score) or several files (explain), the files are one clinician's results: each is shown
and the one that counts is named. A case CMS also scores another way (facility-based measurement) shows
both of its results.
"""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

import click

from cli.main import emit
from engine import batch, jsonout
from engine.combine import Combined, score_all
from engine.explain.render import FORMATS, explain, render, render_combined
from engine.result import Result

RULEBOOK = click.option("--rulebook", "rulebook", metavar="YEAR|PATH",
                        help="Rulebook to use instead of the case's performance year.")
PROFILE = click.option("--profile", type=click.Path(path_type=Path, dir_okay=False),
                       help="With QPP JSON submissions as input: the case facts they lack (practice, "
                            "statuses, cost, bonuses) in YAML or JSON.")
OUTSIDE = click.option("--allow-outside", is_flag=True,
                       help="Let a case read submission (or affiliated group) files outside its own folder.")


@click.command()
@click.argument("inputs", nargs=-1, required=True, metavar="CASE...")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]),
              help="text: the summary; json: the result with its trace. Default: text for one case, "
                   "json (JSON Lines, one record per input) for several.")
@click.option("--trace/--no-trace", default=None,
              help="Add the trace to text output / leave it out of JSON output (score only). "
                   "Default: JSON carries the trace, text does not.")
@click.option("--indent", type=click.IntRange(min=0, max=8), metavar="N",
              help="Indent JSON by N spaces for people (one case only; JSON is compact by default).")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes scoring a batch.")
@click.option("--clinician", is_flag=True,
              help="The files are one clinician's results (individual, group, APM Entity, subgroup, ...): show "
                   "each and the one that counts, instead of scoring them as a batch.")
@RULEBOOK
@PROFILE
@OUTSIDE
def score(inputs: tuple[str, ...], fmt: str | None, trace: bool | None, indent: int | None, jobs: int,
          clinician: bool, rulebook: str | None, profile: Path | None, allow_outside: bool) -> None:
    """Score a case file (YAML or JSON), or a QPP JSON submission with --profile.

    Give several files, a folder (its .yaml, .yml and .json files) or `-` (a document on standard
    input). Several inputs give one JSON Lines record each, in input order: {"input", "result"}, or
    {"input", "error", "problems"} for an input that could not be scored; the others are scored all
    the same, and the exit status is 1 when any input failed.
    """
    if clinician:
        _emit_scored(score_all([Path(p) for p in inputs], rulebook, profile, allow_outside), fmt or "text", trace,
                     indent)
        return
    single = len(inputs) == 1 and not Path(inputs[0]).is_dir()
    if indent is not None and (not single or fmt == "text"):
        raise click.UsageError("--indent applies to the JSON of one case")
    fmt = fmt or ("json" if indent is not None or not single else "text")
    found = batch.sources(inputs, batch.read_stdin)
    if single:
        _emit_scored(batch.score_source(found[0], rulebook, profile, allow_outside), fmt, trace, indent)
        return
    if not found:
        raise click.UsageError(f"no case files ({', '.join(p for p in inputs if p != batch.STDIN)} holds no "
                               ".yaml, .yml or .json file)")
    sys.exit(_batch(found, fmt, trace, rulebook, profile, allow_outside, jobs))


def _emit_scored(scored: Result | Combined, fmt: str, trace: bool | None, indent: int | None) -> None:
    """One result, or one clinician's results and the one that counts, in text or JSON."""
    if isinstance(scored, Combined):
        emit(render_combined(scored, "combined_score.txt.j2", "score.txt.j2", trace=bool(trace)) if fmt == "text"
             else jsonout.dumps(scored.to_data(trace=trace is not False), indent=indent))
    elif fmt == "text":
        emit(render(scored, "score.txt.j2", trace=bool(trace)))
    else:
        emit(scored.to_json(indent, trace=trace is not False))


def _batch(found: list[batch.Source], fmt: str, trace: bool | None, rulebook: str | None, profile: Path | None,
           allow_outside: bool, jobs: int) -> int:
    """Score every input, writing each one's record as it is ready; the worst exit status."""
    write = partial(batch.json_line, trace=trace is not False) if fmt == "json" else partial(
        _text_block, trace=bool(trace))
    status = 0
    with _Progress(len(found)) as advance:
        for written in batch.write_outcomes(sys.stdout, found, write, rulebook, profile, allow_outside, jobs):
            status = max(status, written.status)
            advance(written.name)
    sys.stdout.flush()
    return status


def _text_block(source: batch.Source, result: Result | Combined | None, error: Exception | None, trace: bool) -> str:
    """One input in text: a heading with its name, then what `mips score INPUT` prints, or its error."""
    body = (f"error: {batch.error_text(error)}" if result is None else
            render_combined(result, "combined_score.txt.j2", "score.txt.j2", trace=trace)
            if isinstance(result, Combined) else render(result, "score.txt.j2", trace=trace))
    return f"== {source.name}\n{body.rstrip()}\n\n"


class _Progress:
    """A progress bar on standard error when it is a terminal; nothing otherwise."""

    def __init__(self, total: int):
        self.total = total
        self.bar = None

    def __enter__(self):
        if not sys.stderr.isatty():
            return lambda name: None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(TextColumn("scoring"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                            TextColumn("{task.description}"), console=Console(stderr=True), transient=True)
        self.bar.start()
        task = self.bar.add_task("", total=self.total)
        return lambda name: self.bar.update(task, advance=1, description=name)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


@click.command("explain")
@click.argument("cases", metavar="CASE...", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(sorted([*FORMATS, "json"])), default="text", show_default=True)
@RULEBOOK
@PROFILE
@OUTSIDE
def explain_command(cases: tuple[Path, ...], fmt: str, rulebook: str | None, profile: Path | None,
                    allow_outside: bool) -> None:
    """Explain a score: why it is what it is, what moved it, what would close the gap. Several files are one
    clinician's results: which one counts and why."""
    from engine.explain.content import explanation_data

    scored = score_all(list(cases), rulebook, profile, allow_outside)
    emit(explain(scored, fmt) if fmt != "json" else jsonout.dumps(explanation_data(scored)))

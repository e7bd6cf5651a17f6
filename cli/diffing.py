"""`mips diff`: what changed between two rulebooks, and first of all what it did to a case."""

from __future__ import annotations

from pathlib import Path

import click

from cli.main import emit
from engine import jsonout
from engine.api import pathway_rulebook, rulebook_for, score_as_year, score_file
from engine.diff import compare_results, diff_pathways, diff_rulebooks
from engine.errors import MipsError
from engine.explain.render import environment


@click.command("diff")
@click.argument("years", nargs=-1, metavar="[OLD_YEAR|PATH NEW_YEAR|PATH]")
@click.option("--case", "cases", multiple=True, type=click.Path(path_type=Path, dir_okay=False),
              help="With OLD and NEW: a case scored under both rulebooks. Given twice without years: two cases "
                   "(or profiles of QPP submissions) of one clinician, each scored under its own year.")
@click.option("--profile", "profiles", multiple=True, type=click.Path(path_type=Path, dir_okay=False),
              help="With --case SUBMISSION.json: its profile (once per --case, in the same order).")
@click.option("--pathway", "pathway", metavar="NAME",
              help="With OLD and NEW: compare the two years' rulebooks of this reporting option (app, app_plus, "
                   "mvp, ...) in full.")
@click.option("--all", "show_all", is_flag=True, help="With a case: also list every rulebook change, not only "
                                                      "those the case read.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def diff_command(years: tuple[str, ...], cases: tuple[Path, ...], profiles: tuple[Path, ...], pathway: str | None,
                 show_all: bool, fmt: str) -> None:
    """What changed between two rulebooks and their reporting options (pathways); with a case, what it did
    to that case first.

    \b
    mips diff 2023 2024                              every rulebook and pathway change
    mips diff 2024 2025 --pathway app                the APP's rulebooks of both years, in full
    mips diff 2023 2024 --case CASE.yaml             the case under both years, then the changes it read
    mips diff --case A-2023.yaml --case B-2024.yaml  two cases of one clinician, each under its own year
    """
    data, moved = diff_data(years, cases, profiles, show_all, pathway)
    if fmt == "json":
        emit(jsonout.dumps(data))
        return
    env = environment()
    parts = []
    if moved is not None:
        parts.append(env.get_template("diff_case.txt.j2").render(c=moved))
    if "changes" in data:
        parts.append(env.get_template("diff.txt.j2").render(d=data))
    emit("\n".join(parts))


def diff_data(years: tuple[str, ...], cases: tuple[Path, ...], profiles: tuple[Path, ...],
              show_all: bool, pathway: str | None = None) -> tuple[dict, dict | None]:
    """The diff as data (what `--format json` prints) and the case comparison in it, if any."""
    if profiles and len(profiles) != len(cases):
        raise MipsError("give one --profile per --case (in the same order), or none")
    if pathway is not None and len(years) != 2:
        raise MipsError("--pathway compares one reporting option of two rulebooks: mips diff 2024 2025 --pathway app")
    if len(years) == 2 and len(cases) <= 1:
        old, new = rulebook_for(years[0]), rulebook_for(years[1])
        if pathway is not None:
            old, new = pathway_rulebook(old, pathway), pathway_rulebook(new, pathway)
            changes = diff_rulebooks(old, new)
        else:
            changes = diff_rulebooks(old, new)
            changes.pathway_changes = diff_pathways(old, new, pathway_rulebook)
        if not cases:
            return changes.to_data(), None
        if profiles:
            raise MipsError("--profile goes with two --case files of one clinician (each under its own year)")
        results = [score_as_year(cases[0], book) for book in (old, new)]
    elif not years and len(cases) == 2:
        given = profiles or (None, None)
        results = [score_file(cases[i], profile=given[i]) for i in range(2)]
        results.sort(key=lambda r: r.rulebook.year)
        old, new = results[0].rulebook, results[1].rulebook
        changes = diff_rulebooks(old, new) if old.sha256 != new.sha256 else None
    else:
        raise MipsError("give two rulebooks (mips diff 2023 2024), two rulebooks and a case "
                        "(mips diff 2023 2024 --case CASE.yaml), or two cases (mips diff --case A.yaml --case B.yaml)")
    moved = compare_results(results[0], results[1], changes)
    data = {"case": moved}
    if show_all and changes is not None:
        data = changes.to_data() | data
    return data, moved

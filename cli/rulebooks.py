"""`mips rulebook ...`: validate, show, scaffold and describe rulebooks."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cli.main import emit
from engine import jsonout
from engine import kinds as _kinds  # noqa: F401  (registers the year data kinds with the loader)
from engine.errors import MipsError, Problem
from engine.explain.reads import template_problems
from engine.explain.render import TEMPLATES, environment
from engine.rulebook.authoring import scaffold, to_confirm, unread, write_schemas
from engine.rulebook.loader import check_pathway, check_rulebook, load_pathway, load_rulebook
from engine.rulebook.compiled import Rulebook
from engine.rulebook.registry import available_years, display_path
from engine.rulebook.show import show_rulebook


@click.group("rulebook")
def rulebook_group() -> None:
    """Validate and inspect rulebooks."""


@rulebook_group.command("validate")
@click.argument("target", required=False, metavar="[YEAR|PATH]")
def validate(target: str | None) -> None:
    """Check a rulebook (or every year) and report every problem at once."""
    targets = [target] if target else [str(y) for y in available_years()]
    if not targets:
        raise MipsError("no rulebooks found")
    failed = False
    for item in targets:
        rulebook, problems = check_rulebook(item)
        if rulebook is not None and not problems:
            problems = template_problems(rulebook, TEMPLATES) + _pathway_problems(rulebook)
        for problem in problems:
            click.echo(str(problem))
        if problems:
            failed = True
            click.echo(f"rulebook {item}: {len(problems)} problem{'s' if len(problems) != 1 else ''}")
        else:
            assert rulebook is not None
            click.echo(f"rulebook {rulebook.year} ({rulebook.root}): valid; {len(rulebook.parameters)} parameters, "
                       f"{len(rulebook.tables)} tables, {len(rulebook.rules)} rules; sha256 {rulebook.sha256}")
            click.echo(f"rulebook {rulebook.year} pathways: " + ", ".join(
                f"{name} ({' + '.join(p.option.overlays) or 'the year rules'})" for name, p in rulebook.pathways.items()))
            notes = to_confirm(rulebook)
            if notes:
                click.echo(f"rulebook {rulebook.year} is {rulebook.status}; {len(notes)} value(s) not yet confirmed:")
                for note in notes:
                    click.echo(f"  {note}")
            idle = unread(rulebook)
            if idle:
                click.echo(f"rulebook {rulebook.year}: {len(idle)} parameter(s) no rule reads (a misspelt name, "
                           "or a value to remove or to read):")
                for note in idle:
                    click.echo(f"  {note}")
    if failed:
        sys.exit(1)


def _pathway_problems(rulebook: Rulebook) -> list[Problem]:
    """Problems of composing each of the year's reporting options (its overlays over the year's rules)."""
    problems: list[Problem] = []
    for name in rulebook.pathways:
        problems += check_pathway(rulebook, name)[1]
    return sorted(set(problems))


@rulebook_group.command("new")
@click.argument("year", type=int)
@click.option("--from", "base", required=True, metavar="YEAR", help="The year the new rulebook extends.")
def new(year: int, base: str) -> None:
    """Scaffold a proposed rulebook for YEAR that extends another year, listing what to confirm."""
    folder = scaffold(year, load_rulebook(base))
    click.echo(f"created {display_path(folder / 'rulebook.yaml')} (proposed, extends {base}); "
               f"run `mips rulebook validate {year}` to see what is left to confirm")


@rulebook_group.command("schema")
@click.option("--out", "out", type=click.Path(path_type=Path, file_okay=False), default=Path("schemas"),
              show_default=True, help="Folder to write the JSON Schemas into.")
def schema(out: Path) -> None:
    """Write JSON Schemas of the rulebook files (and case files) for editors' YAML support."""
    for path, pattern in write_schemas(out):
        click.echo(f"{display_path(path)}  for  {pattern}")


@rulebook_group.command("show")
@click.argument("target", metavar="YEAR|PATH")
@click.option("--pathway", "pathway", metavar="NAME",
              help="Show the rulebook of one of the year's reporting options (app, app_plus, mvp, ...).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def show(target: str, pathway: str | None, fmt: str) -> None:
    """Print the effective rulebook: every parameter, table and rule with its source and status."""
    book = load_rulebook(target)
    data = show_rulebook(load_pathway(book, pathway) if pathway else book)
    emit(jsonout.dumps(data) if fmt == "json" else render_show(data))


def render_show(data: dict) -> str:
    return environment().get_template("rulebook_show.txt.j2").render(book=data)

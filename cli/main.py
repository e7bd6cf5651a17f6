"""`mips`: score and explain cases, validate and show rulebooks. Errors never end in a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from engine import jsonout
from engine.api import rulebook_for, score_file
from engine.api import score as score_case
from engine.case.loader import check_case, read_case
from engine.diff import diff_case, diff_rulebooks
from engine.errors import MipsError
from engine.explain.render import FORMATS, environment, explain, render
from engine.rulebook.loader import check_rulebook, load_rulebook
from engine.rulebook.authoring import scaffold, to_confirm, write_schemas
from engine.rulebook.registry import available_years, display_path
from engine.rulebook.show import show_rulebook

CASE = click.argument("case", type=click.Path(path_type=Path, dir_okay=False))
RULEBOOK = click.option("--rulebook", "rulebook", metavar="YEAR|PATH",
                        help="Rulebook to use instead of the case's performance year.")
PROFILE = click.option("--profile", type=click.Path(path_type=Path, dir_okay=False),
                       help="With a QPP JSON submission as CASE: the case facts it lacks (practice, "
                            "statuses, cost, bonuses) in YAML or JSON.")


def emit(text: str) -> None:
    """Write a fully rendered output in one piece (nothing half-written on error)."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mips-rulebook-engine", prog_name="mips")
def cli() -> None:
    """MIPS rulebook engine: traced scores and plain-language explanations from yearly YAML rulebooks."""


@cli.command()
@CASE
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text", show_default=True)
@RULEBOOK
@PROFILE
def score(case: Path, fmt: str, rulebook: str | None, profile: Path | None) -> None:
    """Score a case file (YAML or JSON), or a QPP JSON submission with --profile."""
    result = score_file(case, rulebook, profile)
    emit(jsonout.dumps(result.to_data()) if fmt == "json" else render(result, "score.txt.j2"))


@cli.command("explain")
@CASE
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text", show_default=True)
@RULEBOOK
@PROFILE
def explain_command(case: Path, fmt: str, rulebook: str | None, profile: Path | None) -> None:
    """Explain a case's score: why it is what it is, what moved it, what would close the gap."""
    emit(explain(score_file(case, rulebook, profile), fmt))


@cli.command("diff")
@click.argument("old", metavar="OLD_YEAR|PATH")
@click.argument("new", metavar="NEW_YEAR|PATH")
@click.option("--case", "case", type=click.Path(path_type=Path, dir_okay=False),
              help="Also score this case under both rulebooks and show what moved its score.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def diff_command(old: str, new: str, case: Path | None, fmt: str) -> None:
    """List every changed parameter, table row, rule and reference datum between two rulebooks."""
    book_old, book_new = rulebook_for(old), rulebook_for(new)
    changes = diff_rulebooks(book_old, book_new)
    data: dict = changes.to_data()
    moved = None
    if case is not None:
        parsed, document, name = read_case(case)
        if parsed.submissions:
            raise MipsError(f"{name}: a case with QPP submissions is scored under its own year only; "
                            "compare years with a case that gives category scores")
        results = []
        for book in (book_old, book_new):
            year_case = parsed.model_copy(update={"performance_year": book.year})
            check_case(year_case, book, document, name)
            results.append(score_case(year_case, book, name))
        moved = diff_case(parsed, results[0], results[1], changes)
        data["case"] = moved
    if fmt == "json":
        emit(jsonout.dumps(data))
        return
    env = environment()
    text = env.get_template("diff.txt.j2").render(d=data)
    if moved is not None:
        text += "\n" + env.get_template("diff_case.txt.j2").render(c=moved)
    emit(text)


@cli.group("rulebook")
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
        for problem in problems:
            click.echo(str(problem))
        if problems:
            failed = True
            click.echo(f"rulebook {item}: {len(problems)} problem{'s' if len(problems) != 1 else ''}")
        else:
            assert rulebook is not None
            click.echo(f"rulebook {rulebook.year} ({rulebook.root}): valid; {len(rulebook.parameters)} parameters, "
                       f"{len(rulebook.tables)} tables, {len(rulebook.rules)} rules; sha256 {rulebook.sha256}")
            notes = to_confirm(rulebook)
            if notes:
                click.echo(f"rulebook {rulebook.year} is {rulebook.status}; {len(notes)} value(s) not yet confirmed:")
                for note in notes:
                    click.echo(f"  {note}")
    if failed:
        sys.exit(1)


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
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def show(target: str, fmt: str) -> None:
    """Print the effective rulebook: every parameter, table and rule with its source and status."""
    data = show_rulebook(load_rulebook(target))
    emit(jsonout.dumps(data) if fmt == "json" else render_show(data))


def render_show(data: dict) -> str:
    return environment().get_template("rulebook_show.txt.j2").render(book=data)


def main() -> None:
    """Entry point: run the CLI, turning every error into a message and an exit code."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except MipsError as exc:
        click.echo(f"error: {exc.render()}" if len(exc.problems) == 1 else "error:\n" + exc.render(), err=True)
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - a user never sees a traceback
        click.echo(f"internal error: {type(exc).__name__}: {exc}\nplease report this with the command you ran",
                   err=True)
        sys.exit(70)


from cli.program import deadlines, euc  # noqa: E402
cli.add_command(deadlines)
cli.add_command(euc)

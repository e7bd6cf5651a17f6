"""`mips diff`: what changed between two rulebooks, and what it did to a case."""

from __future__ import annotations

from pathlib import Path

import click

from cli.main import emit
from engine import jsonout
from engine.api import rulebook_for
from engine.api import score as score_case
from engine.case.loader import check_case, read_case
from engine.diff import diff_case, diff_rulebooks
from engine.errors import MipsError
from engine.explain.render import environment


@click.command("diff")
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

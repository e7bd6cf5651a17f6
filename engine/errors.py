"""Errors a user can act on: each names where the problem is and what to do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in a rulebook or a case, with its location."""

    file: str
    line: int | None
    column: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        key = f" {self.path}:" if self.path else ""
        return f"{where}:{key} {self.message}"


class MipsError(Exception):
    """Base of every error reported to a user without a traceback."""

    def __init__(self, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem("", None, None, "", problems)]
        self.problems = problems
        super().__init__(self.render())

    def render(self, limit: int | None = None) -> str:
        """The problems, one per line; with `limit`, the first ones and a count of the rest."""
        shown = self.problems if limit is None else self.problems[:limit]
        lines = [str(p).lstrip(": ") if not p.file else str(p) for p in shown]
        rest = len(self.problems) - len(shown)
        if rest:
            lines.append(f"... and {rest} more problem{'s' if rest != 1 else ''} not shown (fix these first)")
        return "\n".join(lines)


class RulebookError(MipsError):
    """The rulebook does not load or does not validate."""


class CaseError(MipsError):
    """The case file is malformed or impossible."""


class EvaluationError(MipsError):
    """A rule could not be evaluated for a given case."""

"""The engine's front door: load rulebooks once, score case files, keep every result traced."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from engine.case.facts import build_facts
from engine.case.loader import check_case, read_case
from engine.case.models import Case
from engine.errors import CaseError, MipsError, Problem
from engine.evaluate import Evaluation
from engine.result import Result, collect_unconfirmed
from engine.rulebook import contract
from engine.rulebook.compiled import Rulebook
from engine.rulebook.loader import load_rulebook
from engine.rulebook.registry import available_years
from engine.rulebook.yaml_source import locate


@lru_cache(maxsize=16)
def rulebook_for(year_or_path: str) -> Rulebook:
    """A loaded rulebook, cached per process (rulebooks are immutable once loaded)."""
    return load_rulebook(year_or_path)


def score(case: Case, rulebook: Rulebook, case_file: str = "") -> Result:
    """Evaluate every rule of the rulebook for one case and return the traced result."""
    evaluation = Evaluation(rulebook, build_facts(case, rulebook.case_inputs))
    first = list(contract.TOP_LEVEL) + [f"{c}.{f}" for c in rulebook.categories for f in contract.PER_CATEGORY]
    roots = evaluation.run_all(first, contract.EXPLAINED_PREFIXES)
    return Result(case.case_id, case_file, rulebook, evaluation, roots, collect_unconfirmed(roots))


def score_file(path: Path, rulebook: str | None = None) -> Result:
    """Read a case file, pick its year's rulebook (or the one given), validate and score it."""
    case, document, name = read_case(path)
    if rulebook is None:
        if str(case.performance_year) not in {str(y) for y in available_years()}:
            where = locate(document, ("performance_year",))
            years = ", ".join(str(y) for y in available_years()) or "none"
            raise CaseError([Problem(name, where.line if where else None, where.column if where else None,
                                     "performance_year", f"no rulebook for performance year "
                                     f"{case.performance_year}; available years: {years}")])
        book = rulebook_for(str(case.performance_year))
    else:
        book = rulebook_for(rulebook)
        if book.year != case.performance_year:
            raise MipsError(f"{name}: the case is for {case.performance_year} but the rulebook "
                            f"{book.root} is for {book.year}")
    check_case(case, book, document, name)
    return score(case, book, name)

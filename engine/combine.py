"""Several results of one clinician, and the one that counts.

A clinician (TIN/NPI) may be scored as an individual, in a group, a virtual group, an APM Entity or an
MVP subgroup, and a case may also be scored another way CMS offers (facility-based measurement). This
stage scores the alternatives a rulebook declares (`alternative.NAME` rules), then asks the year's
`counted_result` rule which result counts. The rule and its choice are traced like any other step.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import engine
from engine.api import score_facts, score_file
from engine.case.facts import with_category_scores
from engine.errors import CaseError, MipsError, Problem
from engine.evaluate import Evaluation
from engine.expr import Record
from engine.result import Result
from engine.rulebook import contract
from engine.rulebook.compiled import Rulebook
from engine.rulebook.registry import display_path
from engine.trace import TraceNode
from engine.trace.views import plain, tree_data

SUBMITTED = "submitted"


class Candidate:
    """One result considered for the clinician: a case as scored, or an alternative scoring of it."""

    def __init__(self, label: str, result: Result, origin: str = SUBMITTED, alternative: str | None = None,
                 based_on: str | None = None, replaced: dict[str, Any] | None = None, kept_on_tie: bool = False):
        self.label = label
        self.result = result
        self.origin = origin                    # "submitted" or the alternative's name
        self.alternative = alternative          # the alternative's label (facility-based measurement)
        self.based_on = based_on                # label of the result the alternative rescored
        self.replaced = {} if replaced is None else replaced  # category -> score taken from the alternative
        self.kept_on_tie = kept_on_tie

    def record(self, order: int) -> Record:
        return Record({"label": self.label, "final_score": self.result.value("final_score"),
                       "kept_on_tie": Decimal(1 if self.kept_on_tie else 0), "order": Decimal(order),
                       "origin": self.origin})


class Combined:
    """The results of one clinician, the comparison step and the result that counts."""

    def __init__(self, rulebook: Rulebook, candidates: list[Candidate], comparison: list[TraceNode],
                 counted: Candidate, tied: list[Candidate]):
        self.rulebook = rulebook
        self.candidates = candidates
        self.comparison = comparison
        self.counted = counted
        self.tied = tied

    @property
    def others(self) -> list[Candidate]:
        return [c for c in self.candidates if c is not self.counted]

    def summary(self) -> dict[str, Any]:
        rb = self.rulebook
        return {
            "performance_year": rb.year,
            "clinician": _clinician(self.candidates),
            "counted": self.counted.label,
            "tied_with": [c.label for c in self.tied],
            "results": [{"label": c.label, "origin": c.origin, "final_score": c.result.value("final_score"),
                         "payment_adjustment_percent": c.result.value("payment_adjustment_percent"),
                         "counts": c is self.counted} for c in self.candidates],
            "rulebook": {"year": rb.year, "title": rb.title, "status": rb.status, "sha256": rb.sha256},
            "engine_version": engine.__version__,
        }

    def to_data(self, trace: bool = True) -> dict[str, Any]:
        """The summary, each result (with its trace unless `trace` is false) and the comparison step."""
        data = plain(self.summary())
        data["comparison"] = tree_data(self.comparison)
        data["results"] = [{"label": c.label, "origin": c.origin, "alternative": c.alternative,
                            "based_on": c.based_on, "replaced": plain(c.replaced), "counts": c is self.counted}
                           | c.result.to_data(trace) for c in self.candidates]
        return data


def score_all(paths: list[Path], rulebook: str | None = None, profile: Path | None = None,
              allow_outside: bool = False) -> Result | Combined:
    """Score one or more case files (or QPP submissions with one profile) of one clinician.

    One file whose case has no alternative scoring gives its plain result; otherwise every result,
    alternatives included, is compared under the year's `counted_result` rule. Every problem of every
    file is reported at once.
    """
    results: list[Result] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            results.append(score_file(path, rulebook, profile, allow_outside))
        except CaseError as exc:
            problems += exc.problems
    if problems:
        raise CaseError(problems)
    return combine(results, [display_path(p) for p in paths])


def combine(results: list[Result], files: list[str] | None = None) -> Result | Combined:
    """The result that counts among one clinician's results and the alternatives their rulebooks declare.

    `files` names the file each result was read from (for messages); by default its case file."""
    _check_one_clinician(results, files or [r.case_file for r in results])
    candidates = _labelled(results)
    for candidate in list(candidates):
        candidates += _alternatives(candidate)
    if len(candidates) == 1:
        return results[0]
    book = results[0].rulebook
    if contract.COUNTED_RESULT not in book.outputs:
        raise MipsError(f"{book.root}: the rulebook defines no '{contract.COUNTED_RESULT}' rule, so it cannot "
                        "say which of several results counts")
    records = tuple(c.record(i) for i, c in enumerate(candidates, start=1))
    evaluation = Evaluation(book, {name: None for name in contract.STAGE_FACTS} | {"facts.results": records})
    roots = evaluation.run_all([contract.COUNTED_RESULT], ())
    chosen = evaluation.value(contract.COUNTED_RESULT)
    counted = next(c for c in candidates if c.label == chosen[0]["label"])
    best = counted.result.value("final_score")
    tied = [c for c in candidates if c is not counted and c.result.value("final_score") == best]
    return Combined(book, candidates, roots, counted, tied)


def _labelled(results: list[Result]) -> list[Candidate]:
    """Each result named by its case id (or file), made unique by its position when names repeat."""
    names = [r.case_id or r.case_file or "case" for r in results]
    return [Candidate(name if names.count(name) == 1 else f"{name} ({i})", result)
            for i, (name, result) in enumerate(zip(names, results), start=1)]


def _alternatives(candidate: Candidate) -> list[Candidate]:
    """The alternative scorings the rulebook declares for a case, rescored with their category scores."""
    result = candidate.result
    book = result.rulebook
    found = []
    for name in sorted(n for n in book.outputs if n.startswith(contract.ALTERNATIVE_PREFIX)
                       and "." not in n[len(contract.ALTERNATIVE_PREFIX):]):
        if result.value(name) is not True:
            continue
        alternative = name[len(contract.ALTERNATIVE_PREFIX):]
        scores = {c: result.value(f"{alternative}.{c}.score") for c in book.categories
                  if f"{alternative}.{c}.score" in book.outputs}
        facts = with_category_scores(result.evaluation.facts, book.case_inputs, scores)
        rescored = score_facts(facts, book, result.case_id, result.case_file, result.selection, result.case)
        label = result.value(f"{alternative}.label")
        found.append(Candidate(f"{candidate.label}, {label}", rescored, alternative, label, candidate.label,
                               scores, result.value(f"{alternative}.kept_on_tie") is True))
    return found


def _check_one_clinician(results: list[Result], files: list[str]) -> None:
    """One performance year, one TIN and one NPI across the results (where they are given)."""
    years = {r.rulebook.year: f for r, f in zip(results, files)}
    if len(years) > 1:
        listed = "; ".join(f"{year} in {where}" for year, where in sorted(years.items()))
        raise CaseError(f"the results are for different performance years ({listed}); compare the results of "
                        "one performance year at a time")
    for key, what in (("tin", "TIN"), ("npi", "NPI")):
        given = {getattr(r.case.entity, key): f for r, f in zip(results, files)
                 if r.case and getattr(r.case.entity, key)}
        if len(given) > 1:
            listed = "; ".join(f"{value} in {where}" for value, where in sorted(given.items()))
            raise CaseError(f"the results name different {what}s ({listed}); the results compared must be "
                            f"those of one clinician (one TIN/NPI)")


def _clinician(candidates: list[Candidate]) -> dict[str, str]:
    found: dict[str, str] = {}
    for candidate in candidates:
        case = candidate.result.case
        for key in ("tin", "npi"):
            value = getattr(case.entity, key) if case else None
            if value:
                found.setdefault(key, value)
    return found

"""The compiled rules: a submission's result and trace are the same whether its rules run interpreted (their
first run in a process), compiled to statements, or compiled with each expression left to the evaluator's
closures (the path of a subtree too deep for statements)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from engine import steps
from engine.api import score_facts, score_file
from engine.expr import codegen
from engine.result import Result

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SUBMISSIONS = [("examples/submissions/2023-individual.json", "examples/profiles/individual-2023.yaml"),
               ("examples/submissions/2023-mvp-individual.json", "examples/profiles/mvp-individual-2023.yaml"),
               ("examples/submissions/2024-app-group.json", "examples/profiles/app-group-2024.yaml")]


def twice(result: Result) -> tuple[Result, Result]:
    """The result scored again under a copy of its rulebook compiled anew: first interpreted, then compiled."""
    book = copy.copy(result.rulebook)
    object.__setattr__(book, "derived", {})
    first, second = (score_facts(result.evaluation.facts, book, result.case_id, result.case_file, result.selection,
                                 result.case) for _ in range(2))
    return first, second


@pytest.mark.parametrize("submission, profile", SUBMISSIONS)
def test_interpreted_compiled_and_closures_give_the_same_trace(submission: str, profile: str, monkeypatch) -> None:
    monkeypatch.setattr(steps, "INTERPRETED_RUNS", 1)  # a rule's second run compiles it
    result = score_file(PROJECT_ROOT / submission, profile=PROJECT_ROOT / profile)
    interpreted, compiled = twice(result)
    monkeypatch.setattr(codegen, "MAX_INDENT", 0)  # every operator, call and list runs as closures
    closures = twice(result)[1]
    expected = result.to_json(indent=2)
    assert interpreted.to_json(indent=2) == compiled.to_json(indent=2) == closures.to_json(indent=2) == expected
    # every rule the case ran twice is compiled by now
    assert all(step.__name__.startswith("_rule") for step in compiled.evaluation._steps.case.values()
               if step.__name__ != "first")


def test_a_single_case_compiles_no_rule() -> None:
    """A case's scopes run a rule once per item: fewer runs than it takes for a rule to be compiled."""
    result = score_file(PROJECT_ROOT / "examples/cases/individual-2023.yaml")
    book = copy.copy(result.rulebook)
    object.__setattr__(book, "derived", {})
    once = score_facts(result.evaluation.facts, book, result.case_id, result.case_file, result.selection, result.case)
    tables = [once.evaluation._steps.case, *once.evaluation._steps.scopes.values()]
    assert not [step.__name__ for table in tables for step in table.values() if step.__name__.startswith("_")]

"""The compiled rules: a submission's result and trace are the same whether each expression runs as generated
statements or as the evaluator's closures (the path of a subtree too deep for statements)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from engine.api import score_facts, score_file
from engine.expr import codegen
from engine.rulebook.compiled import Rulebook

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SUBMISSIONS = [("examples/submissions/2023-individual.json", "examples/profiles/individual-2023.yaml"),
               ("examples/submissions/2023-mvp-individual.json", "examples/profiles/mvp-individual-2023.yaml"),
               ("examples/submissions/2024-app-group.json", "examples/profiles/app-group-2024.yaml")]


@pytest.mark.parametrize("submission, profile", SUBMISSIONS)
def test_closures_and_statements_give_the_same_trace(submission: str, profile: str, monkeypatch) -> None:
    compiled = score_file(PROJECT_ROOT / submission, profile=PROJECT_ROOT / profile)
    book: Rulebook = copy.copy(compiled.rulebook)
    object.__setattr__(book, "derived", {})
    monkeypatch.setattr(codegen, "MAX_INDENT", 0)  # every operator, call and list runs as closures
    closures = score_facts(compiled.evaluation.facts, book, compiled.case_id, compiled.case_file,
                           compiled.selection, compiled.case)
    assert closures.to_json(indent=2) == compiled.to_json(indent=2)

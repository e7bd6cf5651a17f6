"""Explanations read rule outputs and what rules read: a rulebook that changes them is caught by
`validate`, and explaining with it ends in a message, never an internal error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.api import score
from engine.errors import EvaluationError
from engine.explain.reads import template_problems
from engine.explain.render import TEMPLATES, explain
from engine.rulebook.loader import load_rulebook

PROJECT_ROOT = Path(__file__).resolve().parents[2]
IA_SCORE = "    value: ia.points * 100 / params.improvement_activities.max_points if ia.scored else null\n"


@pytest.fixture
def rewritten(tmp_path):
    folder = tmp_path / "2023"
    shutil.copytree(PROJECT_ROOT / "rulebooks" / "2023", folder)
    path = folder / "rules" / "categories.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(IA_SCORE) == 1
    path.write_text(text.replace(IA_SCORE, "    value: ia.points * 100 / 40 if ia.scored else null\n"),
                    encoding="utf-8")
    return load_rulebook(str(folder))


def test_the_shipped_templates_read_what_every_year_has(rulebook_2023):
    from engine.api import rulebook_for
    from engine.rulebook.registry import available_years
    for year in available_years():
        assert template_problems(rulebook_for(str(year)), TEMPLATES) == []


def test_validate_names_the_template_and_the_rule(rewritten):
    problems = template_problems(rewritten, TEMPLATES)
    assert problems and all("'params.improvement_activities.max_points' that rule 'ia.score' reads" in p.message
                            for p in problems)
    assert {p.file for p in problems} >= {"templates/_sentences.j2"}


def test_explaining_with_it_is_a_message(rewritten, make_case):
    result = score(make_case(), rewritten)
    with pytest.raises(EvaluationError, match="cannot explain this result: the explanation shows the "
                                              "'params.improvement_activities.max_points' that rule 'ia.score'"):
        explain(result, "text")


def test_an_output_the_case_did_not_need_is_evaluated_for_the_explanation(rulebook_2023, make_case):
    from engine.explain.render import TraceView
    view = TraceView(score(make_case(), rulebook_2023))
    assert not view.has("quality.measures")
    assert view.out("quality.measures") == ()
    assert view.has("quality.measures")

"""Evaluation never ends in an internal error: a rule that validated but meets a value it cannot use, and
an evaluation that runs past its time limit, end in a message naming the rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.api import score
from engine.case.facts import build_facts
from engine.errors import EvaluationError
from engine.evaluate import Evaluation
from engine.rulebook.loader import load_rulebook

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def changed_2023(tmp_path: Path, file: str, old: str, new: str):
    folder = tmp_path / "2023"
    shutil.copytree(PROJECT_ROOT / "rulebooks" / "2023", folder)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return load_rulebook(str(folder))


def test_an_evaluation_past_its_time_limit_is_stopped(rulebook_2023, make_case):
    case = make_case()
    evaluation = Evaluation(rulebook_2023, build_facts(case, rulebook_2023.case_inputs), seconds=-1)
    with pytest.raises(EvaluationError, match="took longer than its time limit"):
        evaluation.run_all(["final_score"], ())


def test_each_items_that_turn_out_not_to_be_a_list(tmp_path, make_case):
    # a text or a list, as far as load-time checks can tell: it is the text for every case
    # 2023 inherits quality.measures from 2022; the copy overrides it
    rulebook = changed_2023(tmp_path, "rules/quality.yaml", "rules:\n",
                            "rules:\n  - id: quality.measures\n    description: Every submitted quality measure.\n"
                            "    each:\n      items: coalesce(facts.quality.measurements, facts.quality.status)\n"
                            "      scope: quality_measure\n      label: measure.measure_id\n"
                            "    source: cfr-414.1380 test\n    status: confirmed\n\n")
    with pytest.raises(EvaluationError, match=r"rule 'quality.measures': each.items must give a list of "
                                              r"records, and gives a string"):
        score(make_case(categories={"quality": {"status": "submitted", "from_submission": True}}), rulebook)


def test_a_scope_field_the_items_lack(tmp_path):
    from engine.api import score_file
    changed_2023(tmp_path, "rules/ia_activity.yaml", "  fields:\n", "  fields:\n    colour: a field no activity has\n")
    rules = tmp_path / "2023" / "rules" / "ia_activity.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("rules:\n", "rules:\n  - id: activity.colour_seen\n    new: true\n    description: reads it\n"
                                  "    value: activity.colour\n    source: cfr-414.1380 test\n    status: confirmed\n", 1),
                     encoding="utf-8")
    examples = PROJECT_ROOT / "examples"
    with pytest.raises(EvaluationError, match=r"rule 'activity.colour_seen': the item has no field 'colour' "
                                              r"\(scope 'ia_activity' declares it; the item has measure_id, "):
        score_file(examples / "submissions" / "2023-individual.json", str(tmp_path / "2023"),
                   profile=examples / "profiles" / "individual-2023.yaml")

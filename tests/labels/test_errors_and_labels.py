"""Errors that name their fix, and results under a proposed rulebook that say so and carry the right payment year."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.api import rulebook_for, score_file
from engine.errors import CaseError, MipsError
from engine.explain.render import explain, render
from engine.rulebook.authoring import scaffold
from engine.rulebook.loader import load_rulebook

PROJECT_ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = PROJECT_ROOT / "examples"


def test_a_submission_without_its_profile_names_the_profile_as_the_fix():
    with pytest.raises(MipsError) as caught:
        score_file(EXAMPLES / "submissions" / "2023-individual.json")
    [problem] = caught.value.problems
    assert "2023-individual.json is a QPP JSON submission" in problem.message
    assert "--profile PROFILE.yaml" in problem.message


def test_an_unsupported_submission_year_is_blamed_on_the_submission(tmp_path):
    document = json.loads((EXAMPLES / "submissions" / "2023-individual.json").read_text(encoding="utf-8"))
    document["performanceYear"] = 2019
    submission = tmp_path / "old.json"
    submission.write_text(json.dumps(document, indent=2), encoding="utf-8")
    with pytest.raises(CaseError) as caught:
        score_file(submission, profile=EXAMPLES / "profiles" / "individual-2023.yaml")
    [problem] = caught.value.problems
    assert problem.file.endswith("old.json")
    assert (problem.line, problem.path) == (5, "performanceYear")
    assert "no rulebook for performance year 2019" in problem.message


@pytest.fixture
def proposed_2027(tmp_path, monkeypatch):
    """A rulebooks folder holding the real years and a 2027 scaffolded from 2026."""
    root = tmp_path / "rulebooks"
    root.mkdir()
    for entry in (PROJECT_ROOT / "rulebooks").iterdir():
        if entry.name != "2027":
            (root / entry.name).symlink_to(entry)
    (root / "2027").mkdir()
    for entry in (PROJECT_ROOT / "rulebooks" / "2027").glob("*"):  # CMS data converted ahead of the rulebook
        (root / "2027" / entry.name).symlink_to(entry)
    monkeypatch.setenv("MIPS_RULEBOOKS", str(root))
    scaffold(2027, rulebook_for("2026"))
    return load_rulebook(str(root / "2027"))


def test_a_result_under_a_proposed_rulebook_says_so_first_and_derives_its_payment_year(proposed_2027, tmp_path):
    case = tmp_path / "case-2027.yaml"
    case.write_text((EXAMPLES / "cases" / "individual-2026.yaml").read_text(encoding="utf-8")
                    .replace("performance_year: 2026", "performance_year: 2027"), encoding="utf-8")
    result = score_file(case, str(tmp_path / "rulebooks" / "2027"))
    assert result.value("payment_adjustment.payment_year") == 2029
    assert "2029" not in proposed_2027.title and "2028" not in proposed_2027.title
    for text in (render(result, "score.txt.j2"), explain(result, "text"), explain(result, "markdown")):
        first = text.lstrip("*").splitlines()[0]
        assert first.startswith("PROPOSED RULES: computed under the proposed 2027 rulebook")
    assert "payment year 2029" in render(result, "score.txt.j2")
    assert "paid in 2029" in explain(result, "text")


def test_a_result_under_a_final_rulebook_has_no_proposed_line():
    result = score_file(EXAMPLES / "cases" / "individual-2026.yaml")
    assert render(result, "score.txt.j2").startswith("MIPS performance year 2026")
    assert "payment year 2028" in render(result, "score.txt.j2")

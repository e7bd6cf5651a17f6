"""A case reads the submissions it lists only beneath its own folder, unless the user allows more."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.api import score_file
from engine.errors import CaseError

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "submissions" / "2023-individual.json"
CASE = """case_id: lists-a-submission
performance_year: 2023
entity: {type: individual, tin: "123456789", npi: "1234567893"}
practice: {clinician_count: 40}
submissions: [%s]
categories:
  cost: {status: submitted, score: 60}
"""


def write_case(folder: Path, entry: str) -> Path:
    path = folder / "case.yaml"
    path.write_text(CASE % entry, encoding="utf-8")
    return path


def test_submission_beside_the_case_is_read(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "sub.json")
    result = score_file(write_case(tmp_path, "sub.json"))
    assert result.summary()["categories"]["quality"]["status"] == "submitted"


def test_outside_is_refused_then_allowed(tmp_path: Path) -> None:
    case = write_case(tmp_path, str(EXAMPLE))
    with pytest.raises(CaseError, match=r"submissions\[0\]: .* lies outside the case file's folder"):
        score_file(case)
    assert score_file(case, allow_outside=True).summary()["final_score"] is not None


def test_symlink_leading_out_is_refused(tmp_path: Path) -> None:
    (tmp_path / "sub.json").symlink_to(EXAMPLE)
    with pytest.raises(CaseError, match="lies outside the case file's folder"):
        score_file(write_case(tmp_path, "sub.json"))

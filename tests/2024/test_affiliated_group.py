"""A subgroup's affiliated group read three ways (its case file, its result JSON, its facts stated in the
subgroup's case) gives the same subgroup score, and says where the group's facts were read."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal as D
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"
SUBGROUP = (EXAMPLES / "mvp-subgroup-2024.yaml").read_text(encoding="utf-8")
STATED = """affiliated_group:
  tin: "456789123"
  categories:
    quality: {status: submitted, score: 78}
    cost:
      status: submitted
      measures:
        - {measure_id: COST_STEMI_1, achievement_points: 6.5}
        - {measure_id: COST_HF_1, achievement_points: 5}
    ia: {status: submitted, score: 40}
    pi: {status: reweighted, reason: pi_hardship}
  bonuses: {complex_patient: 3.2}
"""


@pytest.fixture
def folder(tmp_path: Path, run_cli) -> Path:
    shutil.copy(EXAMPLES / "cardiology-group-2024.yaml", tmp_path)
    code, out, err = run_cli("score", "--format", "json", "cardiology-group-2024.yaml", cwd=tmp_path)
    assert (code, err) == (0, "")
    (tmp_path / "group-result.json").write_text(out, encoding="utf-8")
    (tmp_path / "by-case.yaml").write_text(SUBGROUP, encoding="utf-8")
    (tmp_path / "by-result.yaml").write_text(
        SUBGROUP.replace("affiliated_group:\n  case: cardiology-group-2024.yaml\n",
                         "affiliated_group:\n  result: group-result.json\n"), encoding="utf-8")
    (tmp_path / "stated.yaml").write_text(
        SUBGROUP.replace("affiliated_group:\n  case: cardiology-group-2024.yaml\n", STATED), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("case, source", [
    ("by-case.yaml", "cardiology-group-2024.yaml (the group's case, scored with this rulebook)"),
    ("by-result.yaml", "group-result.json (the group's result, scored with 2024 rulebook "),
    ("stated.yaml", "stated in stated.yaml"),
])
def test_each_way_of_naming_the_group_gives_the_same_score(run_cli, folder, case, source):
    code, out, err = run_cli("score", "--format", "json", case, cwd=folder)
    assert (code, err) == (0, "")
    data = json.loads(out, parse_float=D, parse_int=D)
    assert data["final_score"] == D("83.85")
    assert data["categories"]["cost"] == {"score": D("57.5"), "weight": D(30), "contribution": D("17.25"),
                                          "status": "from_group"}
    assert data["categories"]["pi"]["reason"] == "affiliated_group"
    assert data["bonuses"]["complex_patient"] == D("3.2")
    code, out, err = run_cli("explain", case, cwd=folder)
    assert code == 0
    assert f"read from {source}" in out


def test_a_group_file_outside_the_case_folder_needs_allow_outside(run_cli, folder):
    inner = folder / "subgroups"
    inner.mkdir()
    (inner / "sub.yaml").write_text(SUBGROUP.replace("case: cardiology-group-2024.yaml",
                                                     "case: ../cardiology-group-2024.yaml"), encoding="utf-8")
    code, out, err = run_cli("score", "sub.yaml", cwd=inner)
    assert (code, out) == (1, "")
    assert err == ("error: sub.yaml:18:9: affiliated_group.case: '../cardiology-group-2024.yaml' lies outside the "
                   "case file's folder; move it beside the case, or pass --allow-outside to read it\n")
    code, out, err = run_cli("score", "--allow-outside", "sub.yaml", cwd=inner)
    assert (code, err) == (0, "")

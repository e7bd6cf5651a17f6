"""Results do not depend on the working folder: the trace names rulebook files relative to the rulebooks
folder's parent (`rulebooks/2023/...`) wherever the command runs."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CASE = PROJECT_ROOT / "examples" / "cases" / "individual-2023.yaml"


def test_result_is_the_same_from_every_working_folder(run_cli, tmp_path):
    outputs = set()
    for folder in (PROJECT_ROOT, PROJECT_ROOT / "rulebooks", PROJECT_ROOT / "rulebooks" / "2023" / "rules", tmp_path):
        code, out, err = run_cli("score", str(CASE), "--format", "json", cwd=folder)
        assert (code, err) == (0, "")
        outputs.add(out)
    assert len(outputs) == 1
    assert '"at":"rulebooks/2022/rules/final_score.yaml:' in outputs.pop()

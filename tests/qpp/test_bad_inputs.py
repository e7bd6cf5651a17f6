"""`mips score SUBMISSION --profile PROFILE` on unreadable values: exact message on stderr, exit 1, nothing
on stdout, no traceback.

Each bad/NAME.expected holds the exact stderr for the sibling file: a `submission_*.json` is scored with
the example 2023 profile, a `profile_*.yaml` is the profile of the example 2023 submission. The CLI runs
inside bad/, so messages name the file as the user typed it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BAD = Path(__file__).parent / "bad"
PROFILE = PROJECT_ROOT / "examples" / "profiles" / "individual-2023.yaml"
SUBMISSION = PROJECT_ROOT / "examples" / "submissions" / "2023-individual.json"


def command(expected: Path) -> list[str]:
    if expected.stem.startswith("submission_"):
        return [expected.with_suffix(".json").name, "--profile", str(PROFILE)]
    return [str(SUBMISSION), "--profile", expected.with_suffix(".yaml").name]


@pytest.mark.parametrize("expected", [pytest.param(p, id=p.stem) for p in sorted(BAD.glob("*.expected"))])
def test_unreadable_value_is_located(run_cli, expected):
    code, out, err = run_cli("score", *command(expected), cwd=BAD)
    assert "Traceback" not in out + err
    assert out == ""
    assert err == expected.read_text(encoding="utf-8")
    assert code == 1

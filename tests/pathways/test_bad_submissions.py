"""`mips score` on submissions that declare a program wrongly: the exact message on stderr (file, line,
JSON path, what to do), exit 1, nothing on stdout, no traceback.

Each bad/NAME.yaml is a case listing the submission bad/NAME.json; bad/NAME.expected holds the exact
stderr. The CLI runs inside bad/, so messages name the files as the user typed them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

BAD = Path(__file__).parent / "bad"
CASES = [pytest.param(path, id=path.stem) for path in sorted(BAD.glob("*.expected"))]


@pytest.mark.parametrize("expected", CASES)
def test_bad_submission_is_refused(run_cli, expected):
    code, out, err = run_cli("score", expected.with_suffix(".yaml").name, cwd=BAD)
    assert "Traceback" not in out + err
    assert out == ""
    assert err == expected.read_text(encoding="utf-8")
    assert code == 1


def test_every_issue_case_is_covered():
    assert {p.stem for p in BAD.glob("*.expected")} >= {
        "mvp_id_not_valid_that_year", "measure_outside_the_mvp", "app_plus_before_2025", "pi_for_an_apm_entity",
        "app_measure_outside_the_set"}

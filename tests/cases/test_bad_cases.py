"""`mips score` on bad case files: exact message on stderr, exit 1, nothing on stdout, no traceback.

Each bad/NAME.expected holds the exact stderr for the sibling case file NAME.yaml or NAME.json (or, when
there is none, for a NAME.yaml that does not exist); `{available_years}` stands for the years that have a
rulebook. The CLI runs inside bad/, so messages name the
file as the user typed it. A few are also run through `mips score --format json` and `mips explain`,
which read cases the same way.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.rulebook.registry import available_years

BAD = Path(__file__).parent / "bad"


def case_file(expected: Path) -> str:
    for suffix in (".yaml", ".json"):
        if expected.with_suffix(suffix).is_file():
            return expected.with_suffix(suffix).name
    return expected.with_suffix(".yaml").name  # a file that does not exist


CASES = [pytest.param(path, id=path.stem) for path in sorted(BAD.glob("*.expected"))]


def expected_text(expected: Path) -> str:
    """The expected message; {available_years} stands for the years that have a rulebook."""
    years = ", ".join(str(year) for year in available_years())
    return expected.read_text(encoding="utf-8").replace("{available_years}", years)


def check_rejected(run_cli, expected: Path, *command: str) -> None:
    code, out, err = run_cli(*command, case_file(expected), cwd=BAD)
    assert "Traceback" not in out + err
    assert out == ""
    assert err == expected_text(expected)
    assert code == 1


@pytest.mark.parametrize("expected", CASES)
def test_bad_case_is_rejected(run_cli, expected):
    check_rejected(run_cli, expected, "score")


@pytest.mark.parametrize("name", ["missing_entity", "score_above_100", "duplicate_key", "does_not_exist"])
@pytest.mark.parametrize("command", [["score", "--format", "json"], ["explain", "--format", "html"]],
                         ids=["score json", "explain html"])
def test_bad_case_is_rejected_by_every_command(run_cli, name, command):
    check_rejected(run_cli, BAD / f"{name}.expected", *command)


def test_every_bad_case_file_has_an_expected_message():
    cases = {p.stem for p in BAD.iterdir() if p.suffix in (".yaml", ".json")}
    expected = {p.stem for p in BAD.glob("*.expected")}
    assert cases <= expected, f"case files without .expected: {sorted(cases - expected)}"


def test_the_non_existent_case_really_does_not_exist():
    assert not (BAD / "does_not_exist.yaml").exists()


def test_negative_complex_patient_bonus_is_rejected(run_cli, tmp_path):
    text = (Path(__file__).parents[2] / "examples" / "cases" / "individual-2023.yaml").read_text(encoding="utf-8")
    assert "complex_patient: 2.5" in text
    (tmp_path / "case.yaml").write_text(text.replace("complex_patient: 2.5", "complex_patient: -5"),
                                        encoding="utf-8")
    code, out, err = run_cli("score", "case.yaml", cwd=tmp_path)
    assert (code, out) == (1, "")
    assert err.startswith("error: case.yaml:") and "bonuses.complex_patient" in err

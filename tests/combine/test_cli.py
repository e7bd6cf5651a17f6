"""`mips score` and `mips explain` with several files: results of another clinician or year refused with
the files named, nothing written on stdout; a bad file among several reported with the others' problems."""

from __future__ import annotations

import pytest

LAKESIDE = "examples/cases/lakeside-individual-2024.yaml"


@pytest.mark.parametrize("command", [["score", "--clinician"], ["explain", "--format", "html"]],
                         ids=["score", "explain html"])
@pytest.mark.parametrize("other, message", [
    ("examples/cases/individual-2024.yaml",
     "error: the results name different TINs (123456789 in examples/cases/individual-2024.yaml; 456789123 in "
     "examples/cases/lakeside-individual-2024.yaml); the results compared must be those of one clinician "
     "(one TIN/NPI)\n"),
    ("examples/cases/individual-2023.yaml",
     "error: the results are for different performance years (2023 in examples/cases/individual-2023.yaml; 2024 "
     "in examples/cases/lakeside-individual-2024.yaml); compare the results of one performance year at a time\n"),
], ids=["other TIN", "other year"])
def test_results_of_another_clinician_or_year_are_refused(run_cli, command, other, message):
    code, out, err = run_cli(*command, LAKESIDE, other)
    assert (code, out, err) == (1, "", message)


def test_every_bad_file_is_reported_at_once(run_cli, tmp_path):
    (tmp_path / "a.yaml").write_text("performance_year: 2024\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("case_id: [\n", encoding="utf-8")
    code, out, err = run_cli("explain", "a.yaml", "b.yaml", cwd=tmp_path)
    assert (code, out) == (1, "")
    assert "a.yaml:1:1: missing required key 'entity'" in err
    assert "b.yaml:" in err and "Traceback" not in err


def test_one_file_without_an_alternative_prints_the_plain_result(run_cli):
    code, out, err = run_cli("score", LAKESIDE)
    assert (code, err) == (0, "")
    assert out.startswith("MIPS performance year 2024: lakeside-individual-2024\n")

"""`mips rulebook validate PATH` on broken copies of a year's rulebook, one defect per file in bad/.

Each bad/NAME.yaml holds:
  year:   (optional) the rulebook to break, 2023 when absent; a year that extends another is copied
          with the years it extends (a defect in what 2023 inherits is written in 2022, the complete base)
  file:   the rulebook file to change (relative to rulebooks/YEAR)
  old:    text that occurs exactly once in that file
  new:    its replacement
  encoding: (optional) how the changed file is written, utf-8 when absent (latin-1 writes bytes that are
          not UTF-8)
  add:    (instead of file/old/new) a file to add: {file, text, repeat, times}: `text`, then `repeat`
          written `times` times with {n} the repetition (1, 2, ...) and {previous} n - 1
  expect: the exact problem lines the defect adds to what `mips rulebook validate` prints;
          "{allowed_functions}" stands for the expression language's list of functions
  xfail:  (optional) why the engine does not yet meet `expect` -- a known bug
The copy lives in tmp_path/rulebooks/YEAR; the CLI runs in tmp_path with MIPS_RULEBOOKS pointing at
tmp_path/rulebooks, so problems name files as rulebooks/YEAR/...

While rulebooks/YEAR itself validates (tests/rulebook/test_good_rulebook.py), the lines printed are
exactly `expect`. Problems the unmodified copy already has (work in progress elsewhere) are left out
of the comparison so that each defect is judged on its own; the count line must still add up.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from engine.expr.functions import FUNCTIONS

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BAD = Path(__file__).parent / "bad"


def load_defect(path: Path) -> dict:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(spec) <= {"year", "file", "old", "new", "encoding", "add", "expect", "xfail"}, f"{path.name}: unexpected keys"
    return spec


def defect_params():
    for path in sorted(BAD.glob("*.yaml")):
        spec = load_defect(path)
        marks = [pytest.mark.xfail(strict=True, reason=spec["xfail"])] if "xfail" in spec else []
        yield pytest.param(spec, id=path.stem, marks=marks)


def year_of(spec: dict) -> str:
    return str(spec.get("year", 2023))


def copy_rulebooks(tmp_path: Path, year: str = "2023") -> Path:
    """tmp_path/rulebooks with a copy of YEAR, of the years before it (which it or its pathway overlays
    may extend), and of the folders every year shares (rulebooks/common, ...)."""
    root = tmp_path / "rulebooks"
    source = PROJECT_ROOT / "rulebooks"
    for folder in sorted(source.iterdir()):
        if folder.is_dir() and (not folder.name.isdigit() or int(folder.name) <= int(year)):
            shutil.copytree(folder, root / folder.name)
    return root


def broken_copy(tmp_path: Path, spec: dict) -> Path:
    """Copy rulebooks/YEAR into tmp_path/rulebooks/YEAR and apply the defect's substitution once."""
    root = copy_rulebooks(tmp_path, year_of(spec))
    if "add" in spec:
        add = spec["add"]
        text = add["text"] + "".join(add["repeat"].format(n=n, previous=n - 1) for n in range(1, add["times"] + 1))
        (root / year_of(spec) / add["file"]).write_text(text, encoding="utf-8")
        return root
    target = root / year_of(spec) / spec["file"]
    text = target.read_text(encoding="utf-8")
    assert text.count(spec["old"]) == 1, f"'old' must occur exactly once in {spec['file']}"
    target.write_text(text.replace(spec["old"], spec["new"]), encoding=spec.get("encoding", "utf-8"))
    return root


def expected_lines(spec: dict) -> list[str]:
    allowed = ", ".join(sorted(FUNCTIONS))
    return [line.replace("{allowed_functions}", allowed) for line in spec["expect"]]


def problem_lines(out: str) -> list[str]:
    """The problem lines of `validate` output, without its final count line."""
    return out.splitlines()[:-1]


@pytest.fixture(scope="session")
def baseline_problems(tmp_path_factory, run_cli) -> Callable[[str], list[str]]:
    """Problems of an unmodified copy of rulebooks/YEAR (none while the rulebook is valid)."""
    found: dict[str, list[str]] = {}

    def problems(year: str) -> list[str]:
        if year not in found:
            tmp = tmp_path_factory.mktemp("pristine")
            root = copy_rulebooks(tmp, year)
            code, out, _ = validate(run_cli, tmp, root, year)
            found[year] = [] if code == 0 else problem_lines(out)
        return found[year]
    return problems


def validate(run_cli, tmp_path: Path, root: Path, year: str = "2023") -> tuple[int, str, str]:
    return run_cli("rulebook", "validate", f"rulebooks/{year}", cwd=tmp_path, env={"MIPS_RULEBOOKS": str(root)})


@pytest.mark.parametrize("spec", list(defect_params()))
def test_bad_rulebook_is_reported(run_cli, tmp_path, baseline_problems, spec):
    year = year_of(spec)
    code, out, err = validate(run_cli, tmp_path, broken_copy(tmp_path, spec), year)
    assert "Traceback" not in out + err
    assert err == ""
    lines = problem_lines(out)
    count = len(lines)
    assert out.splitlines()[-1] == f"rulebook rulebooks/{year}: {count} problem{'s' if count != 1 else ''}"
    assert [line for line in lines if line not in baseline_problems(year)] == expected_lines(spec)
    assert code == 1


def test_every_bad_rulebook_file_expects_at_least_one_problem():
    for path in sorted(BAD.glob("*.yaml")):
        assert load_defect(path)["expect"], f"{path.name} expects no problem"


def test_text_value_for_a_number_parameter_is_rejected(run_cli, tmp_path):
    spec = {"file": "parameters/payment_adjustment.yaml", "old": "    value: 2.15", "new": "    value: yes please"}
    code, out, err = validate(run_cli, tmp_path, broken_copy(tmp_path, spec))
    assert code == 1
    assert any(line.startswith("rulebooks/2023/parameters/payment_adjustment.yaml:12:")
               and "max_positive_percent" in line for line in out.splitlines())

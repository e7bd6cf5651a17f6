"""The shipped 2023 rulebook: it validates, `show` lists every parameter with source and status, and its
content sha256 is stable and changes with any byte of the rulebook."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from engine.rulebook.loader import load_rulebook

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_validate_2023_is_valid(run_cli, rulebook_2023):
    code, out, err = run_cli("rulebook", "validate", "2023")
    assert (code, err) == (0, "")
    first, *rest = out.splitlines()
    assert first == (f"rulebook 2023 (rulebooks/2023): valid; {len(rulebook_2023.parameters)} parameters, "
                     f"{len(rulebook_2023.tables)} tables, {len(rulebook_2023.rules)} rules; "
                     f"sha256 {rulebook_2023.sha256}")
    assert rest[0] == "rulebook 2023 pathways: traditional (the year rules), app (app), mvp (mvp)"
    # the year's own unconfirmed values; those it inherits unchanged are listed by the year that writes them
    unconfirmed = sorted(p.name for p in rulebook_2023.parameters.values()
                         if p.status == "unconfirmed" and p.origin.file.startswith("rulebooks/2023/"))
    assert rest[1] == f"rulebook 2023 is final; {len(unconfirmed)} value(s) not yet confirmed:"
    notes = rest[2:2 + len(unconfirmed)]
    assert sorted(line.strip().split(":")[0] for line in notes) == unconfirmed
    assert "params.payment_adjustment.negative_scaling" not in unconfirmed  # confirmed by the PY2024 public use file


def test_validate_every_year_is_valid(run_cli):
    code, out, err = run_cli("rulebook", "validate")
    assert (code, err) == (0, "")
    assert "rulebook 2023 (rulebooks/2023): valid;" in out


def parameter_blocks(out: str) -> dict[str, list[str]]:
    """The PARAMETERS section of `rulebook show` text: each parameter's header and detail lines."""
    section = out.split("\nPARAMETERS\n", 1)[1].split("\nTABLES\n", 1)[0]
    blocks: dict[str, list[str]] = {}
    for line in section.splitlines():
        if line.startswith("  params."):
            current = blocks.setdefault(line.split()[0], [line])
        elif line.startswith("      "):
            current.append(line.strip())
    return blocks


def test_show_prints_every_parameter_with_source_and_status(run_cli, rulebook_2023):
    code, out, err = run_cli("rulebook", "show", "2023")
    assert "Traceback" not in out + err
    assert (code, err) == (0, "")
    blocks = parameter_blocks(out)
    assert sorted(blocks) == sorted(rulebook_2023.parameters)
    for name, parameter in rulebook_2023.parameters.items():
        header, *details = blocks[name]
        assert header.endswith(f"[{parameter.status}]"), header
        assert f"source: {parameter.source}" in details
        assert f"at {parameter.origin}" in details


def test_show_json_lists_every_parameter_with_source_and_status(run_cli, rulebook_2023):
    code, out, err = run_cli("rulebook", "show", "2023", "--format", "json")
    assert (code, err) == (0, "")
    shown = json.loads(out)["parameters"]
    assert sorted(shown) == sorted(rulebook_2023.parameters)
    for name, parameter in rulebook_2023.parameters.items():
        assert shown[name]["source"] == parameter.source
        assert shown[name]["status"] == parameter.status
        assert shown[name]["at"] == str(parameter.origin)


def test_show_unknown_year_is_a_clean_error(run_cli):
    code, out, err = run_cli("rulebook", "show", "2031")
    assert (code, out) == (1, "")
    assert err.startswith("error: no rulebook for performance year 2031; available years: ")


@pytest.fixture
def rulebook_copy(tmp_path) -> Path:
    target = tmp_path / "rulebooks" / "2023"
    shutil.copytree(PROJECT_ROOT / "rulebooks" / "2023", target)
    return target


def test_sha256_is_stable_across_loads_and_locations(rulebook_copy, rulebook_2023):
    first = load_rulebook(str(rulebook_copy)).sha256
    second = load_rulebook(str(rulebook_copy)).sha256
    assert first == second == rulebook_2023.sha256
    assert len(first) == 64


@pytest.mark.parametrize("relative, old, new", [
    pytest.param("parameters/program.yaml", "clinicians billing under the TIN",
                 "clinicians billing under the TIN ", id="one space added to a description"),
    pytest.param("tables/reweighting.yaml", "then: {quality: 55, cost: 30, ia: 15, pi: 0}",
                 "then: {quality: 55, cost: 30, ia: 15, pi: 0} ", id="trailing space in a table row"),
    pytest.param("rulebook.yaml", "title: MIPS", "title: mips", id="one letter's case in the manifest"),
    pytest.param("reference/SOURCE.yaml", "repository: CMSgov/qpp-measures-data",
                 "repository: CMSgov/qpp-measures-datA", id="one letter of a reference data file"),
])
def test_sha256_changes_when_a_byte_changes(rulebook_copy, relative, old, new):
    before = load_rulebook(str(rulebook_copy)).sha256
    path = rulebook_copy / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    assert load_rulebook(str(rulebook_copy)).sha256 != before


def test_a_parameter_no_rule_reads_is_flagged(run_cli, rulebook_copy):
    path = rulebook_copy / "parameters" / "program.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("  performance_threshold:\n") == 1
    path.write_text(text.replace("  performance_threshold:\n", "  performance_treshold:\n    new: true\n    description: typo\n"
                                 "    value: 80\n    unit: points\n    source: cfr-414.1405 test\n    status: confirmed\n"
                                 "  performance_threshold:\n"), encoding="utf-8")
    code, out, err = run_cli("rulebook", "validate", str(rulebook_copy))
    assert (code, err) == (0, "")
    flagged = out.split("parameter(s) no rule reads", 1)[1].splitlines()[1:]
    assert any(line.startswith("  params.program.performance_treshold (") for line in flagged)
    assert not any("params.program.performance_threshold " in line for line in flagged)


def test_parameters_read_by_a_stage_are_not_flagged(rulebook_2023):
    from engine.rulebook.authoring import unread
    flagged = " ".join(unread(rulebook_2023))
    assert "params.euc." not in flagged
    assert "params.program.performance_threshold " not in flagged


@pytest.mark.parametrize("year", sorted(p.name for p in (Path(__file__).parents[2] / "rulebooks").iterdir()
                                        if p.name.isdigit() and (p / "rulebook.yaml").exists()))
def test_every_year_reads_every_parameter(year):
    """Measure lists and counts are read by the rules that need them: no parameter of a year lies idle."""
    from engine.api import rulebook_for
    from engine.rulebook.authoring import unread
    assert unread(rulebook_for(year)) == []

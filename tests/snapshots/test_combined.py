"""Snapshots of one clinician's several results compared (`mips score A B C`, `mips explain A B C`),
byte for byte, and the numbers the comparison must show.

Regenerate with `pytest tests/snapshots --snapshot-update` after an intended change and review the diff.
"""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from snapshots.test_examples import OUTPUTS

LAKESIDE = ["examples/cases/lakeside-individual-2024.yaml", "examples/cases/cardiology-group-2024.yaml",
            "examples/cases/mvp-subgroup-2024.yaml"]
COMBINATIONS = {"lakeside-clinician-2024": LAKESIDE}


@pytest.mark.parametrize("output", list(OUTPUTS))
@pytest.mark.parametrize("name", list(COMBINATIONS))
def test_output(run_cli, snapshot, name, output):
    args, extension = OUTPUTS[output]
    args = [*args[:1], "--clinician", *args[1:]] if args[0] == "score" else args
    code, out, err = run_cli(*args, *COMBINATIONS[name])
    assert (code, err) == (0, "")
    assert out == snapshot(extension_class=extension)


def test_the_subgroup_result_counts_for_the_lakeside_clinician(run_cli):
    code, out, err = run_cli("score", "--clinician", "--format", "json", *LAKESIDE)
    assert (code, err) == (0, "")
    data = json.loads(out, parse_float=D, parse_int=D)
    assert data["clinician"] == {"tin": "456789123", "npi": "1234567893"}
    assert [(r["label"], r["final_score"], r["counts"]) for r in data["results"]] == [
        ("lakeside-individual-2024", D("65.75"), False),
        ("cardiology-group-2024", D("76.6"), False),
        ("mvp-subgroup-2024", D("83.85"), True),
    ]
    assert data["counted"] == "mvp-subgroup-2024"
    step = data["comparison"][0]
    assert step["rule"] == "counted_result" and step["at"].startswith("rulebooks/2022/rules/results.yaml:")
    assert [s["selected"] for s in step["selection"]] == [False, False, True]


def test_the_order_of_the_files_does_not_change_which_counts(run_cli):
    code, out, _ = run_cli("score", "--clinician", "--format", "json", *reversed(LAKESIDE))
    assert code == 0
    assert json.loads(out)["counted"] == "mvp-subgroup-2024"


def test_without_clinician_several_files_are_a_batch(run_cli):
    code, out, err = run_cli("score", *LAKESIDE)
    assert (code, err) == (0, "")
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["input"] for r in records] == LAKESIDE

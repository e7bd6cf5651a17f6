"""`mips rulebook new`: a proposed year extending the latest one, whose results flag every inherited value
still to confirm. The years are those the rulebooks folder holds, whatever they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.api import score
from engine.rulebook.authoring import scaffold, to_confirm
from engine.rulebook.loader import load_rulebook
from engine.rulebook.registry import available_years

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def proposed(tmp_path, monkeypatch):
    """A rulebooks folder with the real years and a new year scaffolded from the latest one."""
    latest = max(available_years())
    root = tmp_path / "rulebooks"
    root.mkdir()
    for entry in (PROJECT_ROOT / "rulebooks").iterdir():
        if entry.name != str(latest + 1):
            (root / entry.name).symlink_to(entry)
    monkeypatch.setenv("MIPS_RULEBOOKS", str(root))
    scaffold(latest + 1, load_rulebook(str(latest)))
    return load_rulebook(str(root / str(latest + 1)))


def test_every_inherited_parameter_is_to_confirm(proposed):
    base = proposed.parent
    assert proposed.status == "proposed" and base is not None
    assert set(proposed.pending_confirmation) == set(base.parameters)
    assert len(to_confirm(proposed)) >= len(base.parameters)


def test_results_flag_the_inherited_values_they_read(proposed, make_case):
    result = score(make_case(performance_year=proposed.year), proposed)
    flagged = {u.name: u for u in result.unconfirmed}
    threshold = flagged["params.program.performance_threshold"]
    assert threshold.kind == "parameter"
    assert threshold.note.startswith(f"inherited from {proposed.parameters['params.program.performance_threshold'].origin}")
    assert f"not yet confirmed for {proposed.year}" in threshold.note
    assert {u["name"] for u in result.summary()["unconfirmed"]} >= {"params.program.performance_threshold"}


def test_a_confirmed_override_is_no_longer_flagged(proposed, make_case, tmp_path):
    folder = Path(proposed.root) if Path(proposed.root).is_absolute() else tmp_path / proposed.root
    (folder / "parameters").mkdir()
    (folder / "parameters" / "program.yaml").write_text(
        "description: Program parameters that differ.\nparameters:\n  performance_threshold:\n"
        "    description: Neutral score.\n    value: 75\n    unit: points\n    source: cfr-414.1405 test\n    status: confirmed\n",
        encoding="utf-8")
    confirmed = load_rulebook(str(folder))
    assert "params.program.performance_threshold" not in confirmed.pending_confirmation
    result = score(make_case(performance_year=confirmed.year), confirmed)
    assert "params.program.performance_threshold" not in {u.name for u in result.unconfirmed}

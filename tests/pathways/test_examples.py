"""The pathway example submissions (examples/submissions/YEAR-KIND.json with examples/profiles/KIND-YEAR.yaml):
each scores under its own pathway, never as traditional MIPS, with the numbers below; its explanation
(text) is kept as a snapshot, one file per example, reviewed when it changes.

CMS's own 2025 APP group sample (2025-app-group.json, CMS's converter's reading of qpp-conversion-tool
converter/src/test/resources/app/2025/App1-Group-QRDA-III.xml): weights 50/0/20/30, full Improvement
Activities credit, one eCQM of the APP set (134: 800 of 900, 9.43 points) over 60 available points (the
other measures of the set, CAHPS and the claims measures with no result count 0), Promoting
Interoperability 0 (no attestations): 15.72% x 50 + 20 + 0 = 27.86. The same file under traditional MIPS
weighs 55/0/15/30 and scores 8.65.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from engine.api import score_file
from engine.explain.render import explain

ROOT = Path(__file__).resolve().parents[2]


class TextSnapshot(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    file_extension = "txt"


# example -> (pathway, programName, final score, weights Q/C/IA/PI, quality available points)
EXPECTED = {
    "2022-app-group": ("app", "app1", D("85.675"), [50, 0, 20, 30], 40),
    "2023-app-group": ("app", "app1", None, [50, 0, 20, 30], 60),
    "2024-app-group": ("app", "app1", None, [50, 0, 20, 30], 60),
    "2025-app-group": ("app", "app1", D("27.8609"), [50, 0, 20, 30], 60),
    "2026-app-group": ("app", "app1", None, [50, 0, 20, 30], 60),
    "2025-app-plus-aco": ("app_plus", "appPlus", D("90.0149"), [50, 0, 20, 30], 60),
    "2026-app-plus-aco": ("app_plus", "appPlus", D("89.175"), [50, 0, 20, 30], 60),
    "2023-mvp-individual": ("mvp", "G0054", None, [30, 30, 15, 25], 40),
    "2024-mvp-individual": ("mvp", "G0054", None, [30, 30, 15, 25], 40),
    "2025-mvp-individual": ("mvp", "G0054", D("74.9817"), [30, 30, 15, 25], 40),
    "2026-mvp-individual": ("mvp", "G0054", None, [30, 30, 15, 25], 40),
}


def files(name: str) -> tuple[Path, Path]:
    year, kind = name.split("-", 1)
    return ROOT / "examples" / "submissions" / f"{name}.json", ROOT / "examples" / "profiles" / f"{kind}-{year}.yaml"


def test_every_pathway_example_is_listed():
    names = {p.stem for p in (ROOT / "examples" / "submissions").glob("*.json")
             if not p.stem.endswith(("-individual", "-group")) or "-app-" in p.stem or "-mvp-" in p.stem}
    assert names == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_pathway_example(snapshot, name):
    pathway, program, final, weights, available = EXPECTED[name]
    submission, profile = files(name)
    result = score_file(submission, profile=profile)
    summary = result.summary()
    assert (summary["pathway"]["name"], summary["pathway"]["program"]) == (pathway, program)
    assert result.trace[0].rule_id == "pathway" and result.rulebook.pathway == pathway
    assert [summary["categories"][c]["weight"] for c in ("quality", "cost", "ia", "pi")] == weights
    assert result.value("quality.available_points") == available
    if final is not None:
        assert summary["final_score"].quantize(D("0.0001")) == final
    text = explain(result, "text")
    assert text.splitlines()[2].startswith(f"Under {result.selection.display_name}, ")
    assert text == snapshot(extension_class=TextSnapshot)


def test_cms_2025_app_sample_numbers():
    submission, profile = files("2025-app-group")
    result = score_file(submission, profile=profile)
    assert result.value("quality.achievement_points").quantize(D("0.01")) == D("9.43")
    assert result.value("quality.available_points") == 60
    assert result.value("ia.contribution") == 20
    assert result.value("pi.score") == 0
    assert result.value("quality.unreported") == ("001", "236", "321", "479", "484")

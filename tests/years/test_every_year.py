"""Snapshots across years: consecutive rulebook diffs, and representative cases scored under every year.

Any rulebook change shows up here as a reviewable snapshot change. Regenerate with
`pytest tests/years --snapshot-update` and read the diff of the .ambr file before accepting it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import jsonout
from engine.api import rulebook_for, score
from engine.case.loader import check_case, read_case
from engine.diff import diff_rulebooks
from engine.explain.render import environment
from engine.rulebook.registry import available_years

CASES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))
YEARS = [year for year in available_years() if rulebook_for(str(year)).status == "final"]
PAIRS = list(zip(YEARS, YEARS[1:]))


def test_every_year_from_2022_to_2026_has_a_rulebook():
    assert {2022, 2023, 2024, 2025, 2026} <= set(YEARS)


def test_there_are_at_least_ten_representative_cases():
    assert len(CASES) >= 10


@pytest.mark.parametrize("old, new", PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_consecutive_year_diff(old, new, snapshot):
    changes = diff_rulebooks(rulebook_for(str(old)), rulebook_for(str(new)))
    assert environment().get_template("diff.txt.j2").render(d=changes.to_data()) == snapshot


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case_under_every_year(path, snapshot):
    case, document, name = read_case(path)
    lines = []
    for year in YEARS:
        book = rulebook_for(str(year))
        year_case = case.model_copy(update={"performance_year": year})
        check_case(year_case, book, document, name)
        summary = score(year_case, book, name).summary()
        summary.pop("rulebook")
        summary.pop("engine_version")
        lines.append(f"== {year}\n{jsonout.dumps(summary)}")
    assert "\n".join(lines) == snapshot

"""Bad EUC data files: every problem at once, located, with what to do."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.errors import MipsError
from engine.euc import covering_events, load_euc_year

ROOT = Path(__file__).resolve().parents[2] / "rulebooks"

EVENTS = """\
description: test events
year: 2024
source: qpp-2026-notices
status: confirmed
events:
  storm:
    name: A storm
    source: qpp-2026-notices
    status: confirmed
    places:
      - state: TX
        counties: [Kerr, Real]
        source: qpp-2026-notices
        status: derived
"""
PLACES = "state_code,county_name,zipcode\nTX,Kerr,78028\nTX,Real,78833\n"
SOURCE = """\
description: test
year: 2024
source:
  repository: CMSgov/qpp-eu-data
  url: https://github.com/CMSgov/qpp-eu-data
  commit: 017e0d2076b0ea7e2c7b26f283c5e4b27538dc63
  commit_date: Thu Apr 30 10:18:14 2026 -0500
  files: [staging/2024/euc_counties.csv]
cite: cms-qpp-eu-data staging/2024/euc_counties.csv at commit 017e0d2076b0
converted_by: scripts/convert_euc_data.py
status: confirmed
rows: 2
counties: 2
"""


@pytest.fixture
def root(tmp_path, monkeypatch) -> Path:
    """A rulebooks folder with the real state list and parameters, and the test files above for 2024."""
    shutil.copytree(ROOT / "common", tmp_path / "common")
    shutil.copytree(ROOT / "2024" / "parameters", tmp_path / "2024" / "parameters")
    write(tmp_path, events=EVENTS, places=PLACES, source=SOURCE)
    monkeypatch.setenv("MIPS_RULEBOOKS", str(tmp_path))
    return tmp_path


def write(root: Path, events: str | None = None, places: str | None = None, source: str | None = None) -> None:
    folder = root / "2024" / "euc"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (("events.yaml", events), ("places.csv", places), ("SOURCE.yaml", source)):
        if text is not None:
            (folder / name).write_text(text, encoding="utf-8")


def problems(root: Path) -> list[tuple[str, int | None, str, str]]:
    with pytest.raises(MipsError) as error:
        load_euc_year(2024)
    return [(Path(p.file).name, p.line, p.path, p.message) for p in error.value.problems]


def test_the_test_data_is_valid(root):
    assert [c.event.id for c in covering_events(2024, zip="78833").answers[0].covers] == ["storm"]


def test_unknown_key(root):
    write(root, events=EVENTS.replace("    name: A storm\n", "    name: A storm\n    severity: high\n"))
    assert problems(root) == [("events.yaml", 8, "events.storm.severity", "unknown key 'severity'; allowed keys "
                               "here: source, status, note, name, declarations, announced, places")]


def test_county_not_in_the_cms_list_and_cms_county_without_event(root):
    write(root, events=EVENTS.replace("[Kerr, Real]", "[Kerr, Reall]"))
    assert problems(root) == [
        ("events.yaml", 12, "events.storm.places.0.counties.1",
         f"county 'Reall' (TX) is not in {root.name}/2024/euc/places.csv; check the spelling against the CMS list"),
        ("places.csv", 3, "", "county 'Real' (TX) is assigned to no event in events.yaml; add it to the places of "
         "the events of its state (status unconfirmed when the sources do not say which)"),
    ]


def test_bad_csv_rows(root):
    write(root, places="state_code,county_name,zipcode\nTX,Kerr,7802\nZZ,Real,78833\nTX,,78000\nTX,Kerr\n",
          source=SOURCE.replace("rows: 2", "rows: 4"))
    found = problems(root)
    assert ("places.csv", 2, "zipcode", "'7802' is not a 5-digit ZIP code (or empty)") in found
    assert ("places.csv", 3, "state_code", "'ZZ' is no state or territory code") in found
    assert ("places.csv", 4, "county_name", "the county name is empty") in found
    assert ("places.csv", 5, "", "expected 3 columns (state_code, county_name, zipcode), got 2") in found


def test_row_count_must_match_source(root):
    write(root, source=SOURCE.replace("rows: 2", "rows: 3"))
    assert problems(root) == [("SOURCE.yaml", 12, "rows", "records 3 rows but places.csv has 2; re-run "
                               "scripts/convert_euc_data.py")]


def test_counties_or_whole_state(root):
    write(root, events=EVENTS.replace("        counties: [Kerr, Real]\n", "        counties: [Kerr, Real]\n"
                                      "        whole_state: true\n"))
    assert problems(root) == [("events.yaml", 11, "events.storm.places.0",
                               "give either 'counties' or 'whole_state: true'")]


def test_missing_policy_parameter(root):
    path = root / "2024" / "parameters" / "euc.yaml"
    path.write_text(path.read_text(encoding="utf-8").split("  inherited_entity_types:")[0], encoding="utf-8")
    assert problems(root) == [("euc.yaml", 3, "parameters",
                               "needs parameter 'inherited_entity_types' with a list of entity types as its value")]


def test_unknown_state_in_events(root):
    write(root, events=EVENTS.replace("state: TX", "state: XX"), places=None)
    found = problems(root)
    assert ("events.yaml", 11, "events.storm.places.0.state", "'XX' is no state or territory code") in found

"""scripts/convert_euc_data.py: CMS's lists become sorted, cited places.csv files, the same bytes every run."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
import yaml

PROJECT = Path(__file__).resolve().parents[2]
SHARED = PROJECT.parent / "shared"
COMMIT = "017e0d2076b0ea7e2c7b26f283c5e4b27538dc63"


def _script():
    spec = importlib.util.spec_from_file_location("convert_euc_data", PROJECT / "scripts" / "convert_euc_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


convert = _script()


def shared_copy(tmp_path: Path) -> Path:
    root = tmp_path / "shared" / "qpp-eu-data"
    (root / "staging" / "2024").mkdir(parents=True)
    (root / "data" / "2024").mkdir(parents=True)
    (root / "SOURCE_COMMIT").write_text(f"{COMMIT} Thu Apr 30 10:18:14 2026 -0500\n")
    (root / "staging" / "2024" / "euc_counties.csv").write_text(
        "state_code,county_name\nfl,Hillsborough\nFL,St. Johns\nFL,Miccosukee Indian Reservation\nLA,St. Mary parish\n")
    (root / "data" / "2024" / "euc_county_zipcode_crosswalk.csv").write_text(
        "state_code,county_name,zipcode\nLA,st mary parish,70538\nFL,st johns,32084\nFL,hills,33602\n"
        "FL,hills,33503\nFL,miccosukee indian reservation,\n")
    return tmp_path / "shared"


def test_conversion_matches_spellings_sorts_rows_and_records_the_source(tmp_path):
    shared, rulebooks = shared_copy(tmp_path), tmp_path / "rulebooks"
    assert convert.main(["--shared", str(shared), "--rulebooks", str(rulebooks)]) == 0
    places = (rulebooks / "2024" / "euc" / "places.csv").read_text()
    assert places == ("state_code,county_name,zipcode\n"
                      "FL,Hillsborough,33503\nFL,Hillsborough,33602\nFL,Miccosukee Indian Reservation,\n"
                      "FL,St. Johns,32084\nLA,St. Mary parish,70538\n")
    source = yaml.safe_load((rulebooks / "2024" / "euc" / "SOURCE.yaml").read_text())
    assert source["source"]["commit"] == COMMIT
    assert source["source"]["files"] == ["staging/2024/euc_counties.csv", "data/2024/euc_county_zipcode_crosswalk.csv"]
    assert source["converted_by"] == "scripts/convert_euc_data.py"
    assert (source["rows"], source["counties"]) == (5, 4)
    assert source["name_matches"] == [
        {"state": "FL", "crosswalk": "hills", "staging": "Hillsborough", "method": "unique prefix"},
        {"state": "FL", "crosswalk": "st johns", "staging": "St. Johns", "method": "comparison key"},
        {"state": "LA", "crosswalk": "st mary parish", "staging": "St. Mary parish", "method": "comparison key"},
    ]


def test_conversion_is_deterministic(tmp_path):
    shared = shared_copy(tmp_path)
    outputs = []
    for name in ("one", "two"):
        convert.main(["--shared", str(shared), "--rulebooks", str(tmp_path / name)])
        outputs.append({p.name: p.read_bytes() for p in (tmp_path / name / "2024" / "euc").iterdir()})
    assert outputs[0] == outputs[1]
    assert sorted(outputs[0]) == ["SOURCE.yaml", "places.csv"]


def test_unmatched_county_is_an_error(tmp_path, capsys):
    shared = shared_copy(tmp_path)
    crosswalk = shared / "qpp-eu-data" / "data" / "2024" / "euc_county_zipcode_crosswalk.csv"
    crosswalk.write_text(crosswalk.read_text() + "FL,orange,32801\n")
    assert convert.main(["--shared", str(shared), "--rulebooks", str(tmp_path / "out")]) == 1
    assert capsys.readouterr().err == "error: FL county 'orange' of the crosswalk matches 0 staging counties\n"


def test_missing_source_commit_is_an_error(tmp_path, capsys):
    shared = shared_copy(tmp_path)
    (shared / "qpp-eu-data" / "SOURCE_COMMIT").unlink()
    assert convert.main(["--shared", str(shared), "--rulebooks", str(tmp_path / "out")]) == 1
    assert "SOURCE_COMMIT is missing" in capsys.readouterr().err


@pytest.mark.skipif(not (SHARED / "qpp-eu-data").is_dir(), reason="needs ../shared/qpp-eu-data")
def test_committed_files_are_what_the_script_makes_from_shared(tmp_path):
    assert convert.main(["--shared", str(SHARED), "--rulebooks", str(tmp_path)]) == 0
    for year in (2022, 2023, 2024, 2025):
        for name in ("places.csv", "SOURCE.yaml"):
            made = (tmp_path / str(year) / "euc" / name).read_bytes()
            assert made == (PROJECT / "rulebooks" / str(year) / "euc" / name).read_bytes(), (year, name)
    assert not (tmp_path / "2026").exists()


def test_project_works_without_shared(tmp_path, monkeypatch):
    """The committed rulebooks alone answer EUC questions (no ../shared needed)."""
    shutil.copytree(PROJECT / "rulebooks" / "common", tmp_path / "common")
    for part in ("euc", "parameters"):
        shutil.copytree(PROJECT / "rulebooks" / "2025" / part, tmp_path / "2025" / part)
    monkeypatch.setenv("MIPS_RULEBOOKS", str(tmp_path))
    from engine.euc import covering_events
    assert covering_events(2025, zip="78028").covered is True

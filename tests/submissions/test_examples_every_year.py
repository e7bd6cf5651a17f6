"""Every example QPP submission in examples/submissions/ scores under its year's rulebook with its profile.

An example is named `YEAR-KIND.json` (KIND: individual, group); it is scored with the profile of its year,
`examples/profiles/individual-YEAR.yaml` (practice, cost results and bonuses, which a submission does not
carry). Each must score without error, report its performance year, have quality, Promoting
Interoperability and Improvement Activities submitted, and give byte-identical JSON when scored again,
in this process and in a fresh interpreter with another hash seed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from engine.api import rulebook_for, score_file
from engine.jsonout import dumps
from engine.rulebook.registry import available_years

ROOT = Path(__file__).resolve().parents[2]
SUBMISSIONS = ROOT / "examples" / "submissions"
PROFILES = ROOT / "examples" / "profiles"
NAME = re.compile(r"(?P<year>\d{4})-(?P<kind>individual|group)\.json")
EXAMPLES = sorted(p for p in SUBMISSIONS.glob("*.json") if NAME.fullmatch(p.name))
"""The traditional MIPS examples; the examples of other pathways (YEAR-app-group.json, ...) have their own
profiles and tests (tests/pathways/test_examples.py)."""
SUBMITTED_CATEGORIES = ("quality", "pi", "ia")


def final_years() -> list[int]:
    """The years whose rulebook is final (a proposed year gets its examples once it is confirmed)."""
    return [year for year in available_years() if rulebook_for(str(year)).status == "final"]


def year_of(path: Path) -> int:
    match = NAME.fullmatch(path.name)
    assert match, f"{path.name}: example submissions are named YEAR-KIND.json (e.g. 2024-group.json)"
    return int(match["year"])


def profile_for(path: Path) -> Path:
    return PROFILES / f"individual-{year_of(path)}.yaml"


def scored_json(path: Path) -> str:
    return dumps(score_file(path, profile=profile_for(path)).to_data(), indent=None)


def test_there_is_an_individual_and_a_group_example_for_every_year():
    names = {p.name for p in EXAMPLES}
    for year in final_years():
        assert {f"{year}-individual.json", f"{year}-group.json"} <= names, year


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_is_named_for_its_year_and_has_a_profile(path):
    year = year_of(path)
    assert json.loads(path.read_text(encoding="utf-8"))["performanceYear"] == year
    assert profile_for(path).is_file(), f"no profile {profile_for(path).relative_to(ROOT)} for {path.name}"


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_scores_under_its_year_with_quality_pi_and_ia_submitted(path):
    result = score_file(path, profile=profile_for(path))
    data = result.to_data()
    assert data["performance_year"] == year_of(path)
    assert result.rulebook.year == year_of(path)
    for category in SUBMITTED_CATEGORIES:
        assert data["categories"][category]["status"] == "submitted", category
        assert result.value(f"{category}.status") == "submitted", category
    assert data["final_score"] is not None


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_scoring_an_example_twice_gives_byte_identical_json(path):
    assert scored_json(path) == scored_json(path)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_json_written_from_the_trace_is_the_json_of_the_result_data(path):
    result = score_file(path, profile=profile_for(path))
    assert result.to_json() == dumps(result.to_data(), indent=None)
    assert result.to_json(indent=2) == dumps(result.to_data())


@pytest.fixture(scope="module")
def fresh_interpreter_json() -> dict[str, str]:
    """The JSON of every example, scored in one fresh interpreter with another hash seed."""
    program = ("import json, sys; from pathlib import Path; from engine.api import score_file; "
               "from engine.jsonout import dumps; pairs = json.loads(sys.argv[1]); "
               "json.dump({s: dumps(score_file(Path(s), profile=Path(p)).to_data(), indent=None) for s, p in pairs}, sys.stdout)")
    pairs = [(str(path), str(profile_for(path))) for path in EXAMPLES]
    env = dict(os.environ, PYTHONHASHSEED="4242")
    run = subprocess.run([sys.executable, "-c", program, json.dumps(pairs)], cwd=ROOT, env=env,
                         capture_output=True, text=True, encoding="utf-8", check=False)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_a_fresh_interpreter_with_another_hash_seed_gives_the_same_json(path, fresh_interpreter_json):
    assert fresh_interpreter_json[str(path)] == scored_json(path)

"""Published CMS numbers the engine must reproduce (published.yaml), each naming its source.

The expectations are protected: their fingerprint must equal the last one recorded in changes.yaml,
so a published number changes only together with a recorded reason.
"""

from __future__ import annotations

import hashlib
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import BASE_CASE, deep_merge
from engine.api import rulebook_for, score, score_file
from engine.case.models import Case
from engine.rulebook import citations
from engine.rulebook.bibliography import bibliography_for

HERE = Path(__file__).parent
REGISTRY = yaml.safe_load((HERE / "published.yaml").read_text(encoding="utf-8"))["numbers"]
CHANGES = yaml.safe_load((HERE / "changes.yaml").read_text(encoding="utf-8"))["changes"]
INPUT_KEYS = ("id", "year", "final_score", "final_scores", "case", "submission", "profile", "expect")


def fingerprint(entries: list[dict[str, Any]]) -> str:
    """sha256 of every entry's inputs and expected values (not its wording or source)."""
    data = [{k: entry[k] for k in INPUT_KEYS if k in entry} for entry in entries]
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def exact(value: Any) -> Decimal:
    return Decimal(str(value))


def same_to_places(actual: Any, expected: Any) -> bool:
    """The engine's value, rounded half up to the places the published number is given with, equals it."""
    wanted = exact(expected)
    places = max(0, -wanted.as_tuple().exponent)  # type: ignore[operator]
    return Decimal(actual).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) == wanted


def case_at(year: int, final_score: Any) -> Case:
    """An individual, not a small practice, scoring `final_score` in every category (so the final score)."""
    points = exact(final_score) * 40 / 100
    return Case.model_validate(deep_merge(BASE_CASE, {"performance_year": year, "categories": {
        "quality": exact(final_score), "cost": exact(final_score), "ia": points, "pi": exact(final_score)}}))


def category(value: Any) -> dict[str, Any]:
    if isinstance(value, (int, float)):
        return {"status": "submitted", "score": exact(value)}
    if isinstance(value, list):
        return {"status": value[0], "reason": value[1]}
    return {"status": value}


def output(result, name: str) -> Any:
    """A result's output; `LIST[ID].FIELD` is a field of the record of measure ID in a list output."""
    match = re.fullmatch(r"(.+)\[(.+)\]\.(\w+)", name)
    if match is None:
        return result.value(name)
    records = [r for r in result.value(match[1]) if r["measure_id"] == match[2]]
    assert len(records) == 1, f"{match[1]} holds {len(records)} records of measure {match[2]}"
    return records[0][match[3]]


def result_for(entry: dict[str, Any]):
    if "submission" in entry:
        return score_file(HERE / entry["submission"], profile=HERE / entry["profile"])
    given = dict(entry.get("case", {}))
    given["categories"] = {k: category(v) for k, v in given.get("categories", {}).items()}
    bonuses = {k: exact(v) for k, v in given.pop("bonuses", {}).items()}
    case = Case.model_validate(deep_merge(BASE_CASE, given | {"performance_year": entry["year"], "bonuses": bonuses}))
    return score(case, rulebook_for(str(entry["year"])))


def test_published_numbers_change_only_with_a_stated_reason():
    last = CHANGES[-1]
    assert str(last.get("reason", "")).strip(), "changes.yaml: the last change needs a reason"
    assert fingerprint(REGISTRY) == last["fingerprint"], (
        "published.yaml's expectations changed: add an entry to tests/golden/changes.yaml with the date, "
        f"the reason and fingerprint {fingerprint(REGISTRY)}")


@pytest.mark.parametrize("entry", REGISTRY, ids=lambda e: e["id"])
def test_every_published_number_names_a_source_that_resolves(entry):
    assert citations.check(entry["source"], bibliography_for()) == []
    assert citations.parse(entry["source"])


@pytest.mark.parametrize("entry", [e for e in REGISTRY if "final_score" in e], ids=lambda e: e["id"])
def test_published_adjustment_at_a_final_score(entry):
    result = score(case_at(entry["year"], entry["final_score"]), rulebook_for(str(entry["year"])))
    assert result.value("final_score") == exact(entry["final_score"])
    for name, expected in entry["expect"].items():
        assert same_to_places(result.value(name), expected), (name, result.value(name), expected)


@pytest.mark.parametrize("entry", [e for e in REGISTRY if "final_scores" in e], ids=lambda e: e["id"])
def test_published_scale_points(entry):
    for final_score, expected in entry["final_scores"].items():
        result = score(case_at(entry["year"], final_score), rulebook_for(str(entry["year"])))
        assert same_to_places(result.value("payment_adjustment_percent"), expected), (final_score, expected)


@pytest.mark.parametrize("entry", [e for e in REGISTRY if "case" in e or "submission" in e], ids=lambda e: e["id"])
def test_published_case_outputs(entry):
    result = result_for(entry)
    for name, expected in entry["expect"].items():
        assert same_to_places(output(result, name), expected), (name, output(result, name), expected)

"""Impact reports: a threshold changed in a draft rulebook shows, with no Python edit; reports read offline."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from engine.population.impact import run_impact
from engine.population.report import render


@pytest.fixture(scope="module")
def draft_report(population_file: Path, draft_threshold: Path) -> dict:
    return run_impact(population_file, 2024, str(draft_threshold))


def test_a_draft_threshold_shows_in_the_report(draft_report: dict) -> None:
    assert draft_report["threshold"]["before"] == Decimal(75)
    assert draft_report["threshold"]["after"] == Decimal(82)
    crossing = draft_report["crossing"]
    assert crossing["pushed_below"] > 0 and crossing["lifted_to_threshold"] == 0
    assert crossing["below_after"] == crossing["below_before"] + crossing["pushed_below"]
    assert draft_report["adjustments"][1]["negative"] > draft_report["adjustments"][0]["negative"]
    assert draft_report["rulebooks"][1]["status"] == "proposed"
    groups = draft_report["breakdowns"]["participation option"]
    assert sum(g["pushed_below"] for g in groups) == crossing["pushed_below"]
    assert {"participation option", "practice size", "state"} <= set(draft_report["breakdowns"])


def test_budget_neutrality_is_computed_from_the_population(draft_report: dict) -> None:
    for side in draft_report["budget_neutrality"]["sides"]:
        assert side["weighted_by"] == "allowed charges (Part B payments)"
        factor = side["scaling_factor"]
        assert Decimal(0) < factor <= side["cap"] == Decimal(3)
        assert side["budget_neutral_maximum"] == (side["unscaled_maximum"] * factor).quantize(Decimal("0.0001")) or \
            abs(side["budget_neutral_maximum"] - side["unscaled_maximum"] * factor) < Decimal("0.001")
        assert side["published_maximum"] == Decimal("1.05")
    before, after = draft_report["budget_neutrality"]["sides"]
    assert after["scaling_factor"] > before["scaling_factor"]   # more and larger penalties fund more bonus


def test_a_year_to_year_report_with_no_rule_change_moves_nobody(population_file: Path) -> None:
    report = run_impact(population_file, 2024, "2025")
    assert report["crossing"]["pushed_below"] == report["crossing"]["lifted_to_threshold"] == 0
    assert report["scores"][0] == report["scores"][1]


def test_the_html_report_is_self_contained(draft_report: dict) -> None:
    html = render(draft_report, "html")
    assert html.count("<svg") == 2 and "<script" not in html
    assert not re.search(r"""(src|href)\s*=""", html), "the report must not load anything"
    assert not re.findall(r"https?://(?!www\.w3\.org/2000/svg)", html)
    assert "Pushed below the performance threshold" in html


def test_the_text_report_names_rulebooks_threshold_and_scaling(draft_report: dict) -> None:
    text = render(draft_report, "text")
    assert "Performance threshold: 75 under 2024, 82 under" in text
    assert "pushed below the threshold:" in text
    assert "Budget-neutral scaling of the positive side" in text

"""Measure results a case states (CMS-scored from claims) beside the measurements of QPP submissions."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from engine.api import score_file

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cases" / "individual-2023.yaml"


def test_quality_given_only_as_cms_scored_measures_is_scored(tmp_path):
    """Such a case used to crash: the administrative-claims results were taken for submitted measurements."""
    text = EXAMPLE.read_text(encoding="utf-8")
    quality = "quality: {status: submitted, score: 80}"
    assert quality in text
    case = tmp_path / "case.yaml"
    case.write_text(text.replace(quality, 'quality: {status: submitted, measures: '
                                          '[{measure_id: "479", achievement_points: 5}]}'), encoding="utf-8")
    result = score_file(case)
    assert result.value("quality.measures") == ()
    assert result.value("quality.achievement_points") == Decimal(5)
    assert result.value("quality.available_points") == Decimal(70)


def test_cost_measure_results_give_the_cost_score(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    cost = "cost: {status: submitted, score: 60}"
    assert cost in text
    case = tmp_path / "case.yaml"
    case.write_text(text.replace(cost, 'cost: {status: submitted, measures: [{measure_id: "COST_ACOPD_1", '
                                       'achievement_points: 5}, {measure_id: "COST_AKID_1", achievement_points: 8}]}'),
                    encoding="utf-8")
    assert score_file(case).value("cost.score") == Decimal(65)

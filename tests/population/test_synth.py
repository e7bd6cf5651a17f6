"""The synthetic population: calibrated to the published figures, and the same for the same seed."""

from __future__ import annotations

from decimal import Decimal

from engine.columnar.mapping import load_mapping
from engine.population.synth import Synthesis, synthesize


def test_it_states_and_meets_the_published_figures(synthetic: Synthesis) -> None:
    summary = synthetic.summary()
    assert summary["targets"]["mean_final_score"] == Decimal("82.7")
    assert summary["targets"]["median_final_score"] == Decimal("84.0")
    assert summary["targets"]["source"] and summary["targets"]["file"].endswith("2024/published.yaml")
    assert abs(summary["achieved"]["mean_final_score"] - Decimal("82.7")) < Decimal("0.5")
    assert abs(summary["achieved"]["median_final_score"] - Decimal("84.0")) < Decimal("0.5")
    assert summary["achieved"]["rows_with_problems"] == 0
    assert set(summary["achieved"]["participation_option"]) <= set(summary["targets"]["participation_option"])


def test_columns_are_named_as_cms_publishes_them(synthetic: Synthesis) -> None:
    names = {spec.name for spec in load_mapping(2024).spec.columns.values() if not spec.optional}
    assert names <= set(synthetic.frame.columns)


def test_the_same_seed_gives_the_same_rows(synthetic: Synthesis) -> None:
    again = synthesize(2024, 3_000, 5)
    assert again.frame.equals(synthetic.frame)
    assert not synthesize(2024, 300, 6).frame.equals(synthetic.frame.head(300))

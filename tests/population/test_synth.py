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


def test_from_2025_apm_entities_report_the_app_plus(synthetic: Synthesis) -> None:
    """Shared Savings Program ACOs report the APP Plus from 2025: the 2025 assumptions (extending 2023's)
    give APM Entity rows that option, and the 2024 published split (APP only) no longer overrides them."""
    synthesis = synthesize(2025, 1_000, 3)
    counts = synthesis.frame["reporting option"].value_counts()
    by_option = dict(zip(counts["reporting option"], counts["count"]))
    assert by_option["APP Plus"] > 10 * by_option.get("APM Performance Pathway", 0)
    summary = synthesis.summary()
    assert summary["achieved"]["rows_with_problems"] == 0
    assert "rulebooks/population/2025/synthetic.yaml (over rulebooks/population/2023/synthetic.yaml)" \
        in summary["assumptions"]
    assert "APP Plus" not in synthetic.frame["reporting option"].to_list()  # 2024: no APP Plus yet


def test_assumptions_extend_only_an_earlier_year(tmp_path, monkeypatch) -> None:
    import shutil

    import pytest

    from engine.errors import RulebookError
    from engine.population.published import load_synthetic
    from engine.rulebook.registry import rulebooks_root

    root = tmp_path / "rulebooks"
    shutil.copytree(rulebooks_root(), root)
    path = root / "population/2025/synthetic.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("extends: 2023", "extends: 2025"), encoding="utf-8")
    monkeypatch.setenv("MIPS_RULEBOOKS", str(root))
    with pytest.raises(RulebookError) as found:
        load_synthetic(2025)
    assert str(found.value.problems[0]) == (
        "rulebooks/population/2025/synthetic.yaml:5: extends: extends: 2025 is not an earlier performance year; "
        "name the year whose assumptions this file changes")
    path.write_text(path.read_text(encoding="utf-8").replace("extends: 2025", "extends: 2023")
                    .replace("APP Plus: 0.979", "APP Plus: many"), encoding="utf-8")
    with pytest.raises(RulebookError) as found:
        load_synthetic(2026)
    assert "reporting_option.APM Entity.APP Plus" in str(found.value.problems[0])
    path.write_text(path.read_text(encoding="utf-8").replace("APP Plus: many", "APP Plus: 0.979")
                    .replace("reporting_option:", "reporting_options:"), encoding="utf-8")
    with pytest.raises(RulebookError) as found:
        load_synthetic(2025)
    unknown = str(found.value.problems[0])
    assert unknown.startswith("rulebooks/population/2025/synthetic.yaml:") and "unknown key 'reporting_options'" in unknown
    assert "allowed keys here: extends, description" in unknown

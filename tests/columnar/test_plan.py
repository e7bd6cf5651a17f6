"""Compiling a rulebook: what cannot be compiled is named at compile time; every year and a draft compile."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from engine.api import rulebook_for
from engine.columnar.inputs import typed
from engine.columnar.mapping import load_mapping
from engine.columnar.plan import final_score_targets
from engine.columnar.scorer import compile_scorer
from engine.errors import MipsError
from engine.rulebook.loader import load_rulebook


@pytest.mark.parametrize("year", ["2022", "2023", "2024", "2025", "2026"])
def test_every_year_compiles_its_final_score_layer(year: str) -> None:
    scorer = compile_scorer(rulebook_for(year), load_mapping(int(year)))
    assert scorer.plan.columns()[:2] == ["final_score", "payment_adjustment_percent"]
    assert "weights.row" in scorer.plan.columns()
    assert "quality.measure_score" in scorer.not_compiled
    assert scorer.not_compiled["quality.measures"] == "'each' rules work on lists of items, which have no columnar form"
    if year == "2022":
        assert "additional_adjustment_percent" in final_score_targets(scorer.rulebook)


def _draft(tmp_path: Path, rules: str) -> Path:
    folder = tmp_path / "draft"
    (folder / "rules").mkdir(parents=True)
    (folder / "rulebook.yaml").write_text("rulebook:\n  year: 2025\n  title: Draft\n  status: proposed\n"
                                          "  extends: 2024\n", encoding="utf-8")
    (folder / "rules" / "final_score.yaml").write_text(rules, encoding="utf-8")
    return folder


def test_a_target_that_needs_an_uncompilable_rule_is_a_compile_error(tmp_path: Path) -> None:
    folder = _draft(tmp_path, """description: Draft adjustment from the quality measures.
rules:
  - id: payment_adjustment_percent
    description: The quality measure score, as a percentage.
    value: quality.measure_score / 10
    source: "cfr-414.1405 (draft)"
    status: unconfirmed
""")
    with pytest.raises(MipsError) as error:
        compile_scorer(load_rulebook(str(folder)), load_mapping(2024))
    assert str(error.value).endswith("'payment_adjustment_percent' cannot be computed for any row: reads "
                                     "quality.measure_score ('select' rules work on lists of items, which have no "
                                     "columnar form)")


def test_a_branch_needing_an_uncompilable_rule_fails_only_the_rows_that_take_it(tmp_path: Path) -> None:
    folder = _draft(tmp_path, """description: Draft bonus from the quality measures for groups.
rules:
  - id: final_score.uncapped
    description: Weighted sum plus, for groups, the quality measure score.
    value: >
      final_score.weighted_sum + quality.measure_score if facts.entity.type == "group"
      else final_score.weighted_sum
    source: "cfr-414.1405 (draft)"
    status: unconfirmed
""")
    mapping = load_mapping(2024)
    scorer = compile_scorer(load_rulebook(str(folder)), mapping)
    assert "final_score.uncapped" not in scorer.not_compiled
    assert "quality.measure_score" in scorer.not_compiled
    values = {"number": "80", "boolean": "False", "string": "x"}
    columns = {spec.name: [values[spec.type]] * 2 for spec in mapping.spec.columns.values()}
    columns[mapping.spec.columns["participation"].name] = ["Group", "Individual"]
    path = tmp_path / "two.csv"
    pl.DataFrame(columns).write_csv(path)
    scored = scorer.score(typed(path, mapping)).collect()
    assert scored["problem"][0].endswith("rule 'quality.achievement_points': needs a value with no columnar form: "
                                         "'select' rules work on lists of items, which have no columnar form") \
        or "no columnar form" in scored["problem"][0]
    assert scored["problem"][1] is None and scored["final_score"][1] is not None


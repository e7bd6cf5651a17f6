"""The 2022 example cases score what the sources say (42 CFR 414.1380 and 414.1405, the 2022 weights and
the small-practice redistribution of the CY 2022 final rule).

The adjustment percentages rest on the unconfirmed split of the published payment year 2024 total, so they
are computed here from the rulebook's parameters; final scores and weights are written from the sources.
"""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from engine.expr.functions import round_decimal

EXPECTED = {
    # 90x30 + 80x30 + 100x15 + 100x25 = 27 + 24 + 15 + 25 = 91, + CPB 2.5 = 93.5: above 89, exceptional
    "examples/cases/individual-2022.yaml": (D("93.5"), [30, 30, 15, 25], True),
    # small practice, PI reweighted automatically (new in 2022): 40/30/30; 80x40 + 50x30 + 100x30 = 77
    "examples/cases/small-practice-2022.yaml": (D("77"), [40, 30, 30, 0], False),
}


@pytest.mark.parametrize("path", list(EXPECTED))
def test_example_scores_as_policy_says(run_cli, rulebook_2022, path):
    final, weights, exceptional = EXPECTED[path]
    code, out, err = run_cli("score", "--format", "json", path)
    assert (code, err) == (0, "")
    data = json.loads(out, parse_float=D, parse_int=D)
    p = {n.removeprefix("params.payment_adjustment."): prm.value for n, prm in rulebook_2022.parameters.items()
         if n.startswith("params.payment_adjustment.")}
    assert data["performance_year"] == 2022
    assert data["final_score"] == final
    assert [data["categories"][c]["weight"] for c in ("quality", "cost", "ia", "pi")] == weights
    assert data["payment_adjustment_percent"] == round_decimal(p["max_positive_percent"] * (final - 75) / 25, 4, "half_up")
    factor = (p["max_total_percent"] - p["max_positive_percent"]) / p["additional_max_percent"]
    additional = round_decimal(factor * (p["additional_min_percent"] + (
        p["additional_max_percent"] - p["additional_min_percent"]) * (final - 89) / 11), 4, "half_up")
    assert data["additional_adjustment_percent"] == (additional if exceptional else 0)
    unconfirmed = {u["name"] for u in data["unconfirmed"]}
    assert "params.payment_adjustment.max_positive_percent" in unconfirmed
    assert ("additional_scaling_factor" in unconfirmed) is exceptional


@pytest.mark.parametrize("path", list(EXPECTED))
def test_example_explanation_flags_the_unconfirmed_maximum(run_cli, path):
    code, out, err = run_cli("explain", path)
    assert (code, err) == (0, "")
    assert "params.payment_adjustment.max_positive_percent" in out

"""The 2025 example cases score what the policy facts say (MIPS-FACTS 1a, 1e, 3.2)."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

EXPECTED = {
    # 80x30 + 55x30 + 100x15 + 95x25 = 24 + 16.5 + 15 + 23.75, + CPB 3 = 82.25; 1.05 x 7.25/25 = 0.3045
    "examples/cases/individual-2025.yaml": (D("82.25"), D("0.3045"), [30, 30, 15, 25]),
    # small practice, PI reweighted: 40/30/30; 75x40 + 60x30 + 100x30 = 30 + 18 + 30 = 78; 1.05 x 3/25 = 0.126
    "examples/cases/small-practice-2025.yaml": (D("78"), D("0.126"), [40, 30, 30, 0]),
}


@pytest.mark.parametrize("path", list(EXPECTED))
def test_example_scores_as_policy_says(run_cli, path):
    final, adjustment, weights = EXPECTED[path]
    code, out, err = run_cli("score", "--format", "json", path)
    assert (code, err) == (0, "")
    data = json.loads(out, parse_float=D, parse_int=D)
    assert data["performance_year"] == 2025
    assert data["final_score"] == final
    assert data["payment_adjustment_percent"] == adjustment
    assert [data["categories"][c]["weight"] for c in ("quality", "cost", "ia", "pi")] == weights
    # the positive side rests on the unconfirmed payment year 2027 maximum, and says so
    assert [u["name"] for u in data["unconfirmed"]] == ["params.payment_adjustment.max_positive_percent"]


@pytest.mark.parametrize("path", list(EXPECTED))
def test_example_explanation_flags_the_placeholder_maximum(run_cli, path):
    code, out, err = run_cli("explain", path)
    assert (code, err) == (0, "")
    assert "params.payment_adjustment.max_positive_percent" in out

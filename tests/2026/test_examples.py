"""The 2026 example cases score what the sources say (42 CFR 414.1380 and 414.1405, the 2026 weights)."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

EXPECTED = {
    # 90x30 + 50x30 + 50x15 + 85x25 = 27 + 15 + 7.5 + 21.25, + CPB 1.5 = 72.25; -9 x 2.75/75 = -0.33
    "examples/cases/individual-2026.yaml": (D("72.25"), D("-0.33"), [30, 30, 15, 25], []),
    # 70x30 + 50x30 + 100x15 + 80x25 = 21 + 15 + 15 + 20, + CPB 5 = 76; 1.05 x 1/25 = 0.042
    "examples/cases/small-practice-2026.yaml": (D("76"), D("0.042"), [30, 30, 15, 25],
                                               ["params.payment_adjustment.max_positive_percent"]),
}


@pytest.mark.parametrize("path", list(EXPECTED))
def test_example_scores_as_policy_says(run_cli, path):
    final, adjustment, weights, unconfirmed = EXPECTED[path]
    code, out, err = run_cli("score", "--format", "json", path)
    assert (code, err) == (0, "")
    data = json.loads(out, parse_float=D, parse_int=D)
    assert data["performance_year"] == 2026
    assert data["final_score"] == final
    assert data["payment_adjustment_percent"] == adjustment
    assert [data["categories"][c]["weight"] for c in ("quality", "cost", "ia", "pi")] == weights
    assert [u["name"] for u in data["unconfirmed"]] == unconfirmed


@pytest.mark.parametrize("path", list(EXPECTED))
def test_example_explains(run_cli, path):
    code, out, err = run_cli("explain", path)
    assert (code, err) == (0, "")
    assert "2028" in out  # the payment year

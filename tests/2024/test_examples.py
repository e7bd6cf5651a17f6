"""The 2024 example cases score what the policy facts say (MIPS-FACTS 1a, 3.2; WORKED-EXAMPLES D2, D3, E2)."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

EXPECTED = {
    # 85x30 + 60x30 + 100x15 + 90x25 = 25.5 + 18 + 15 + 22.5, + CPB 2.5 = 83.5; 1.05 x 8.5/25 = 0.357
    "examples/cases/individual-2024.yaml": (D("83.5"), D("0.357"), [30, 30, 15, 25]),
    # D3: small practice, PI and cost reweighted: 50/50, 45 + 50 = 95; 1.05 x 20/25 = 0.84
    "examples/cases/small-practice-pi-reweighted-2024.yaml": (D("95"), D("0.84"), [50, 0, 50, 0]),
}


@pytest.mark.parametrize("path", list(EXPECTED))
def test_example_scores_as_policy_says(run_cli, path):
    final, adjustment, weights = EXPECTED[path]
    code, out, err = run_cli("score", "--format", "json", path)
    assert (code, err) == (0, "")
    data = json.loads(out, parse_float=D, parse_int=D)
    assert data["performance_year"] == 2024
    assert data["final_score"] == final
    assert data["payment_adjustment_percent"] == adjustment
    assert [data["categories"][c]["weight"] for c in ("quality", "cost", "ia", "pi")] == weights
    assert data["unconfirmed"] == []


@pytest.mark.parametrize("path", list(EXPECTED))
def test_example_explains(run_cli, path):
    code, out, err = run_cli("explain", path)
    assert (code, err) == (0, "")
    assert "2026" in out  # the payment year

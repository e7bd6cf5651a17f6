"""rules/payment_adjustment.yaml under the 2025 rulebook: payment year 2027, whose maximum positive
adjustment is not published; 2024's +1.05% is carried as an unconfirmed placeholder (42 CFR 414.1405;
the payment year 2026 maximum published for PY2024).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest


@pytest.fixture
def with_final_score(case, score_2025):
    def run(x: D):
        result = score_2025(case(categories={"quality": x, "cost": x, "ia": x * D("0.4"), "pi": x}))
        assert result.value("final_score") == x
        return result
    return run


@pytest.mark.parametrize("final_score, adjustment, unconfirmed", [
    pytest.param(D("100"), D("1.05"), ["params.payment_adjustment.max_positive_percent"],
                 id="100 gets the placeholder maximum, flagged unconfirmed"),
    pytest.param(D("90"), D("0.63"), ["params.payment_adjustment.max_positive_percent"], id="90: 0.63, flagged"),
    pytest.param(D("75"), D("0"), [], id="75 is neutral and rests on no placeholder"),
    pytest.param(D("60"), D("-1.8"), [], id="60: the confirmed CFR line on the negative side"),
])
def test_adjustment(with_final_score, final_score, adjustment, unconfirmed):
    result = with_final_score(final_score)
    assert result.value("payment_adjustment_percent") == adjustment
    assert [u.name for u in result.unconfirmed] == unconfirmed
    assert result.value("payment_adjustment.payment_year") == D("2027")

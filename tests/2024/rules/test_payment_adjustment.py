"""rules/payment_adjustment.yaml under the 2024 rulebook (payment year 2026, maximum +1.05%).

Policy: MIPS-FACTS 1a, 2.1; WORKED-EXAMPLES E1 (score 100 -> +1.05%), E2 (90 -> +0.63, 80 -> +0.21; the
negative side is the CFR-literal reading, whose scaling stays unconfirmed).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest


@pytest.fixture
def with_final_score(case, score_2024):
    def run(x: D):
        result = score_2024(case(categories={"quality": x, "cost": x, "ia": x * D("0.4"), "pi": x}))
        assert result.value("final_score") == x, "precondition: the case must land on the boundary"
        return result
    return run


@pytest.mark.parametrize("final_score, band, adjustment", [
    pytest.param(D("100"), "positive", D("1.05"), id="100 gives the published maximum +1.05 (E1)"),
    pytest.param(D("90"), "positive", D("0.63"), id="90 gives +0.63 (E2)"),
    pytest.param(D("80"), "positive", D("0.21"), id="80 gives +0.21 (E2)"),
    pytest.param(D("75.01"), "positive", D("0.0004"), id="75.01 just above PT: 1.05 x 0.01/25 = 0.00042"),
    pytest.param(D("75"), "neutral", D("0"), id="75 exactly PT is neutral"),
    pytest.param(D("74.99"), "negative", D("-0.0012"), id="74.99 just below PT: -9 x 0.01/75"),
    pytest.param(D("60"), "negative", D("-1.8"), id="60 is -1.80 on the CFR-literal scale (E2)"),
    pytest.param(D("18.76"), "negative", D("-6.7488"), id="18.76 just above PT/4 is linear"),
    pytest.param(D("18.75"), "maximum_negative", D("-9"), id="18.75 exactly PT/4 gets -9%"),
])
def test_adjustment_at_boundary(with_final_score, final_score, band, adjustment):
    result = with_final_score(final_score)
    assert result.value("payment_adjustment.band") == band
    assert result.value("payment_adjustment_percent") == adjustment


def test_payment_year_is_2026(with_final_score):
    assert with_final_score(D("90")).value("payment_adjustment.payment_year") == D("2026")


@pytest.mark.parametrize("final_score, unconfirmed", [
    pytest.param(D("100"), [], id="100: the positive side rests on confirmed values only"),
    pytest.param(D("60"), [], id="60: the negative side is the confirmed CFR line"),
])
def test_unconfirmed_values_surface_only_when_used(with_final_score, final_score, unconfirmed):
    assert [u.name for u in with_final_score(final_score).unconfirmed] == unconfirmed

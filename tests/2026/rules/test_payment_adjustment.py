"""rules/payment_adjustment.yaml under the 2026 rulebook: payment year 2028, maximum positive adjustment
not published (MIPS-FACTS 1a 'n/a (pay yr 2028)'), carried as an unconfirmed placeholder.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest


@pytest.fixture
def with_final_score(case, score_2026):
    def run(x: D):
        result = score_2026(case(categories={"quality": x, "cost": x, "ia": x * D("0.4"), "pi": x}))
        assert result.value("final_score") == x
        return result
    return run


@pytest.mark.parametrize("final_score, band, adjustment", [
    pytest.param(D("100"), "positive", D("1.05"), id="100: the placeholder maximum"),
    pytest.param(D("75.01"), "positive", D("0.0004"), id="75.01 just above the threshold"),
    pytest.param(D("75"), "neutral", D("0"), id="75 exactly: neutral"),
    pytest.param(D("18.75"), "maximum_negative", D("-9"), id="18.75 exactly PT/4: -9%"),
])
def test_adjustment(with_final_score, final_score, band, adjustment):
    result = with_final_score(final_score)
    assert result.value("payment_adjustment.band") == band
    assert result.value("payment_adjustment_percent") == adjustment
    assert result.value("payment_adjustment.payment_year") == D("2028")


def test_positive_side_says_it_rests_on_the_placeholder(with_final_score):
    unconfirmed = {u.name: u for u in with_final_score(D("100")).unconfirmed}
    assert list(unconfirmed) == ["params.payment_adjustment.max_positive_percent"]

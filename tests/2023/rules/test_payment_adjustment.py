"""rules/payment_adjustment.yaml at its boundaries (42 CFR 414.1405 (b) and (c); the published +2.15% maximum).

Each case fixes the final score exactly by giving all four categories the same score (IA points are
40% of it), so that the default weights 30/30/15/25 sum to precisely that score.
"""

from decimal import Decimal as D

import pytest


@pytest.fixture
def with_final_score(make_case, score):
    """Score a case whose final score is exactly `x` (all four categories at x%)."""
    def run(x: D):
        case = make_case(categories={"quality": x, "cost": x, "ia": x * D("0.4"), "pi": x})
        result = score(case)
        assert result.value("final_score") == x, "precondition: the case must land on the boundary"
        return result
    return run


@pytest.mark.parametrize("final_score, band, adjustment", [
    pytest.param(D("0"), "maximum_negative", D("-9"), id="0 gets the full -9%"),
    pytest.param(D("18.74"), "maximum_negative", D("-9"), id="18.74 below PT/4 gets -9%"),
    pytest.param(D("18.75"), "maximum_negative", D("-9"), id="18.75 exactly PT/4 gets -9%"),
    pytest.param(D("18.76"), "negative", D("-6.7488"), id="18.76 just above PT/4 is linear: -9*56.24/75"),
    pytest.param(D("60"), "negative", D("-1.8"), id="60 is -1.80 on the CFR-literal scale (E2)"),
    pytest.param(D("74.99"), "negative", D("-0.0012"), id="74.99 just below PT: -9*0.01/75"),
    pytest.param(D("75.00"), "neutral", D("0"), id="75.00 exactly PT is neutral"),
    pytest.param(D("75.01"), "positive", D("0.0009"), id="75.01 just above PT: 0.00086 rounds half up to 0.0009"),
    pytest.param(D("76"), "positive", D("0.086"), id="76 gives +0.086 (E4)"),
    pytest.param(D("85"), "positive", D("0.86"), id="85 gives +0.86 (E4)"),
    pytest.param(D("95"), "positive", D("1.72"), id="95 gives +1.72 (E4)"),
    pytest.param(D("100"), "positive", D("2.15"), id="100 gives the published maximum +2.15 (E1)"),
])
def test_adjustment_at_boundary(with_final_score, final_score, band, adjustment):
    result = with_final_score(final_score)
    assert result.value("payment_adjustment.band") == band
    assert result.value("payment_adjustment_percent") == adjustment


def test_adjustment_is_kept_to_four_decimals(with_final_score):
    value = with_final_score(D("75.01")).value("payment_adjustment_percent")
    assert value.as_tuple().exponent == -4
    assert str(value) == "0.0009"


def test_full_negative_score_is_a_quarter_of_the_threshold(with_final_score):
    result = with_final_score(D("50"))
    assert result.value("payment_adjustment.full_negative_score") == D("18.75")
    assert result.value("payment_adjustment.payment_year") == D("2025")


@pytest.mark.parametrize("final_score", [D("74.99"), D("38.65"), D("18.75"), D("75"), D("75.01"), D("100")])
def test_no_side_of_the_scale_rests_on_unconfirmed_values(with_final_score, final_score):
    """The negative side is the CFR line that CMS's PY2024 public use file follows (38.65 -> -4.36%)."""
    assert [u.name for u in with_final_score(final_score).unconfirmed] == []

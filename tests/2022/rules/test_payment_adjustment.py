"""rules/payment_adjustment.yaml under the 2022 rulebook (payment year 2024): the regular scale and the
additional adjustment for exceptional performance at their boundaries.

Policy: 42 CFR 414.1405 (b)-(d) (threshold 75, -9%, additional adjustment from 0.5% at 89 to 10% at 100
times a scaling factor); CMS's 2022 results at a glance as quoted by the Heart Rhythm Society (+8.26% at a
final score of 100, regular plus additional). How the +8.26% splits between the two scales is unconfirmed:
the regular maximum stays 2.15 and the additional scaling factor is derived so that 100 gets 8.26.
"""

from decimal import Decimal as D

import pytest

from engine.expr.functions import round_decimal


@pytest.fixture
def with_final_score(case, score_2022):
    """Score a case whose final score is exactly `x` (all four categories at x%)."""
    def run(x: D):
        result = score_2022(case(categories={"quality": x, "cost": x, "ia": x * D("0.4"), "pi": x}))
        assert result.value("final_score") == x, "precondition: the case must land on the boundary"
        return result
    return run


@pytest.fixture
def param(rulebook_2022):
    return lambda name: rulebook_2022.parameters[f"params.payment_adjustment.{name}"].value


def scaling_factor(param) -> D:
    return (param("max_total_percent") - param("max_positive_percent")) / param("additional_max_percent")


def expected_additional(param, x: D) -> D:
    low, high = param("additional_min_percent"), param("additional_max_percent")
    return round_decimal(scaling_factor(param) * (low + (high - low) * (x - D(89)) / D(11)), 4, "half_up")


def test_a_final_score_of_100_gets_the_published_total(with_final_score):
    """+8.26% at 100 in payment year 2024 (CMS 2022 results at a glance, quoted by hrs-2022-qpp-results)."""
    result = with_final_score(D("100"))
    assert result.value("payment_adjustment.total_percent") == D("8.26")
    assert result.value("payment_adjustment_percent") == D("2.15")
    assert result.value("additional_adjustment_percent") == D("6.11")
    assert result.value("additional_scaling_factor") == D("0.611")


@pytest.mark.parametrize("final_score, additional, total", [
    pytest.param(D("88.99"), D("0"), D("1.2031"), id="88.99: regular only, 2.15 x 13.99/25"),
    pytest.param(D("89"), D("0.3055"), D("1.5095"), id="89: additional 0.5% x 0.611 starts"),
    pytest.param(D("94.5"), D("3.2078"), D("4.8848"), id="94.5: additional (0.5 + 4.75) x 0.611"),
    pytest.param(D("100"), D("6.11"), D("8.26"), id="100: 2.15 + 6.11 = the published 8.26"),
])
def test_total_adjustment_at_its_boundaries(with_final_score, final_score, additional, total):
    result = with_final_score(final_score)
    assert result.value("additional_adjustment_percent") == additional
    assert result.value("payment_adjustment.total_percent") == total


@pytest.mark.parametrize("final_score, exceptional", [
    pytest.param(D("75.01"), False, id="75.01 positive, not exceptional"),
    pytest.param(D("88.99"), False, id="88.99 just below 89: no additional adjustment"),
    pytest.param(D("89.00"), True, id="89.00 exactly the additional threshold: additional adjustment starts"),
    pytest.param(D("94.5"), True, id="94.5 halfway along the 89-100 scale"),
    pytest.param(D("100"), True, id="100 gets the additional maximum"),
])
def test_additional_adjustment_for_exceptional_performance(with_final_score, param, final_score, exceptional):
    result = with_final_score(final_score)
    assert result.value("payment_adjustment.exceptional_performance") is exceptional
    additional = result.value("additional_adjustment_percent")
    if exceptional:
        assert additional == expected_additional(param, final_score)
        assert additional > 0
    else:
        assert additional == 0
    assert result.value("payment_adjustment.total_percent") == result.value("payment_adjustment_percent") + additional


def test_additional_scale_runs_from_its_start_at_89_to_its_maximum_at_100(with_final_score, param):
    factor = scaling_factor(param)
    assert with_final_score(D("89")).value("additional_adjustment_percent") == factor * param("additional_min_percent")
    assert with_final_score(D("100")).value("additional_adjustment_percent") == factor * param("additional_max_percent")


def test_additional_adjustment_is_a_reported_output(with_final_score):
    summary = with_final_score(D("100")).summary()
    assert "additional_adjustment_percent" in summary
    below = with_final_score(D("88.99")).summary()
    assert below["additional_adjustment_percent"] == 0


@pytest.mark.parametrize("final_score, rests_on_additional", [
    pytest.param(D("88.99"), False, id="88.99: the unconfirmed split is not used"),
    pytest.param(D("89"), True, id="89: the result rests on the unconfirmed split of the published total"),
])
def test_unconfirmed_split_is_surfaced_only_when_used(with_final_score, final_score, rests_on_additional):
    names = {u.name for u in with_final_score(final_score).unconfirmed}
    assert ("additional_scaling_factor" in names) is rests_on_additional
    # the CFR's 0.5% and 10% are confirmed: never listed
    assert not {"params.payment_adjustment.additional_min_percent", "params.payment_adjustment.additional_max_percent"} & names


@pytest.mark.parametrize("final_score, band, adjustment", [
    pytest.param(D("0"), "maximum_negative", D("-9"), id="0 gets the full -9%"),
    pytest.param(D("18.75"), "maximum_negative", D("-9"), id="18.75 exactly PT/4 gets -9%"),
    pytest.param(D("18.76"), "negative", D("-6.7488"), id="18.76 just above PT/4 is linear: -9*56.24/75"),
    pytest.param(D("74.99"), "negative", D("-0.0012"), id="74.99 just below PT: -9*0.01/75"),
    pytest.param(D("75.00"), "neutral", D("0"), id="75.00 exactly PT is neutral"),
])
def test_regular_scale_below_and_at_the_threshold(with_final_score, final_score, band, adjustment):
    result = with_final_score(final_score)
    assert result.value("payment_adjustment.band") == band
    assert result.value("payment_adjustment_percent") == adjustment
    assert result.value("additional_adjustment_percent") == 0


@pytest.mark.parametrize("final_score", [D("75.01"), D("88.99"), D("89"), D("100")])
def test_regular_positive_scale_uses_the_unconfirmed_maximum(with_final_score, param, final_score):
    result = with_final_score(final_score)
    expected = round_decimal(param("max_positive_percent") * (final_score - 75) / 25, 4, "half_up")
    assert result.value("payment_adjustment_percent") == expected
    assert "params.payment_adjustment.max_positive_percent" in {u.name for u in result.unconfirmed}


def test_payment_year_and_thresholds(rulebook_2022, with_final_score):
    params = rulebook_2022.parameters
    assert params["params.program.payment_year_offset"].value == D("2")
    assert params["params.program.performance_threshold"].value == D("75")
    threshold = params["params.payment_adjustment.additional_performance_threshold"]
    assert (threshold.value, threshold.status) == (D("89"), "confirmed")
    assert params["params.payment_adjustment.max_positive_percent"].status == "unconfirmed"
    assert params["params.payment_adjustment.max_positive_percent"].note
    assert params["params.payment_adjustment.max_total_percent"].value == D("8.26")
    for name in ("additional_min_percent", "additional_max_percent"):
        assert params[f"params.payment_adjustment.{name}"].status == "confirmed", name
    assert "additional_scaling_factor" in rulebook_2022.rules
    assert with_final_score(D("50")).value("payment_adjustment.payment_year") == D("2024")

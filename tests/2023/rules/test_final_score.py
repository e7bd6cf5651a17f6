"""rules/final_score.yaml (and the weighted sum it rests on) at its boundaries.

Policy: MIPS-FACTS 2.2; WORKED-EXAMPLES D1-D4, B5, B6. The base case (conftest) is an individual in a
40-clinician practice with all four categories submitted: quality 80, cost 60, IA 40 points, PI 90,
which with the default weights 30/30/15/25 is a weighted sum of 79.5.
"""

from decimal import Decimal as D

import pytest

from engine.case.loader import check_case
from engine.errors import CaseError

REWEIGHTED_EXCEPT_QUALITY = {"cost": ("reweighted", "no_scorable_measure"),
                             "ia": ("reweighted", "euc_application"),
                             "pi": ("reweighted", "pi_hardship")}


# --- the 100 cap --------------------------------------------------------------------------------

@pytest.mark.parametrize("category_score, bonus, uncapped, final", [
    pytest.param(D("100"), D("5"), D("105"), D("100"), id="uncapped 105 is capped at 100"),
    pytest.param(D("95"), D("5"), D("100"), D("100"), id="exactly 100 needs no cap"),
    pytest.param(D("95"), D("4.99"), D("99.99"), D("99.99"), id="99.99 stays 99.99"),
])
def test_final_score_cap(make_case, score, category_score, bonus, uncapped, final):
    x = category_score
    result = score(make_case(categories={"quality": x, "cost": x, "ia": x * D("0.4"), "pi": x},
                             bonuses={"complex_patient": bonus}))
    assert result.value("final_score.uncapped") == uncapped
    assert result.value("final_score") == final


# --- complex patient bonus ------------------------------------------------------------------------

@pytest.mark.parametrize("reported, counted", [
    pytest.param(D("10.01"), D("10"), id="10.01 is capped at 10"),
    pytest.param(D("10"), D("10"), id="10 is the cap itself"),
    pytest.param(D("9.99"), D("9.99"), id="9.99 is below the cap"),
    pytest.param(D("0"), D("0"), id="0 reported counts as 0"),
])
def test_complex_patient_bonus_cap(make_case, score, reported, counted):
    result = score(make_case(bonuses={"complex_patient": reported}))
    assert result.value("bonus.complex_patient") == counted
    assert result.value("final_score") == D("79.5") + counted


NOTHING_SUBMITTED = {"quality": "not_submitted", "cost": D("50"), "ia": "not_submitted", "pi": "not_submitted"}


def test_bonus_not_added_when_no_category_data_submitted(make_case, score):
    result = score(make_case(categories=NOTHING_SUBMITTED, bonuses={"complex_patient": D("4")}))
    assert result.value("any_data_submitted") is False
    assert result.value("bonus.complex_patient") == D("0")
    assert result.value("final_score") == D("15")  # cost 50% x 30 only


def test_bonus_not_reported_is_missing_not_zero(make_case, score):
    result = score(make_case())
    assert result.value("bonus.complex_patient") is None
    assert result.summary()["bonuses"] == {"complex_patient": None}
    assert result.value("final_score") == D("79.5")


def test_bonus_not_reported_and_no_data_stays_missing(make_case, score):
    result = score(make_case(categories=NOTHING_SUBMITTED))
    assert result.value("bonus.complex_patient") is None


def test_bonus_reported_as_zero_is_zero_not_missing(make_case, score):
    result = score(make_case(bonuses={"complex_patient": D("0")}))
    assert result.value("bonus.complex_patient") == D("0")
    assert result.summary()["bonuses"] == {"complex_patient": D("0")}


# --- one versus two scored categories ----------------------------------------------------------------

@pytest.mark.parametrize("quality", [
    pytest.param(D("0"), id="quality 0"),
    pytest.param(D("40"), id="quality 40"),
    pytest.param(D("100"), id="quality 100"),
])
def test_exactly_one_scored_category_gives_the_threshold(make_case, score, quality):
    result = score(make_case(categories={"quality": quality, **REWEIGHTED_EXCEPT_QUALITY},
                             bonuses={"complex_patient": D("5")}))
    assert result.value("scored_categories") == D("1")
    assert result.value("final_score.at_threshold_by_rule") is True
    assert result.value("final_score") == D("75")
    assert result.value("payment_adjustment_percent") == D("0")


def test_only_cost_scored_gives_the_threshold(make_case, score):
    result = score(make_case(categories={"quality": ("reweighted", "euc_application"), "cost": D("10"),
                                         "ia": ("reweighted", "euc_application"),
                                         "pi": ("reweighted", "pi_hardship")}))
    assert result.value("scored_categories") == D("1")
    assert result.value("final_score") == D("75")


def test_no_scored_category_gives_the_threshold(make_case, score):
    result = score(make_case(categories={"quality": ("reweighted", "euc_application"),
                                         **REWEIGHTED_EXCEPT_QUALITY}))
    assert result.value("scored_categories") == D("0")
    assert result.value("final_score") == D("75")
    assert result.value("payment_adjustment.band") == "neutral"


@pytest.mark.parametrize("quality, ia_points, final", [
    pytest.param(D("90"), D("40"), D("91.5"), id="quality 90 and IA 100 weighted 85-15 is 91.5"),
    pytest.param(D("0"), D("0"), D("0"), id="two categories at 0 give 0, not the threshold"),
])
def test_exactly_two_scored_categories_are_weighted(make_case, score, quality, ia_points, final):
    result = score(make_case(categories={"quality": quality, "cost": ("reweighted", "no_scorable_measure"),
                                         "ia": ia_points, "pi": ("reweighted", "pi_hardship")}))
    assert result.value("scored_categories") == D("2")
    assert result.value("final_score.at_threshold_by_rule") is False
    assert result.value("final_score") == final


def test_final_score_is_sum_of_contributions_plus_bonus(make_case, score):
    result = score(make_case(bonuses={"complex_patient": D("1.25")}))
    contributions = [result.value(f"{c}.contribution") for c in ("quality", "cost", "ia", "pi")]
    assert contributions == [D("24"), D("18"), D("15"), D("22.5")]
    assert result.value("final_score.weighted_sum") == D("79.5")
    assert result.value("final_score") == D("80.75")


# --- worked examples ---------------------------------------------------------------------------------

def test_d2_standard_weights_no_reweighting(make_case, score):
    """D2: 0.80x30 + 0.60x30 + 1.00x15 + 0.90x25 + 2.5 = 82.0."""
    result = score(make_case(bonuses={"complex_patient": D("2.5")}))
    assert result.value("final_score") == D("82.0")
    assert result.value("payment_adjustment_percent") == D("0.602")  # 2.15 x 7/25


D3_CATEGORIES = {"quality": D("90"), "cost": ("reweighted", "no_scorable_measure"), "ia": D("40"),
                 "pi": "not_submitted"}


def test_d3_small_practice_pi_reweighted_cost_not_scorable(make_case, score):
    """D3: weights 50/50, quality 90% and IA 100% -> 45 + 50 = 95.0."""
    result = score(make_case(practice={"clinician_count": 6}, categories=D3_CATEGORIES))
    assert [result.value(f"{c}.weight") for c in ("quality", "cost", "ia", "pi")] == [50, 0, 50, 0]
    assert result.value("final_score") == D("95.0")


def test_d3_with_bonus_is_capped_at_100(make_case, score):
    """D3: '+ CPB if any, cap 100'."""
    result = score(make_case(practice={"clinician_count": 6}, categories=D3_CATEGORIES,
                             bonuses={"complex_patient": D("10")}))
    assert result.value("final_score.uncapped") == D("105")
    assert result.value("final_score") == D("100")


D4_CATEGORIES = {"quality": D("85"), "cost": D("70"), "ia": D("40"), "pi": "not_submitted"}


@pytest.mark.parametrize("clinicians, weights, final", [
    pytest.param(40, [85, 0, 15, 0], D("87.25"), id="not small: 85-15 gives 72.25 + 15 = 87.25"),
    pytest.param(10, [50, 0, 50, 0], D("92.5"), id="small: 50-50 gives 42.5 + 50 = 92.5"),
])
def test_d4_automatic_euc_quality_and_ia(make_case, score, clinicians, weights, final):
    result = score(make_case(practice={"clinician_count": clinicians}, automatic_euc=True,
                             categories=D4_CATEGORIES))
    assert [result.value(f"{c}.weight") for c in ("quality", "cost", "ia", "pi")] == weights
    assert result.value("final_score") == final


def test_d4_automatic_euc_quality_only_is_neutral(make_case, score):
    result = score(make_case(automatic_euc=True,
                             categories=D4_CATEGORIES | {"ia": "not_submitted"}))
    assert result.value("scored_categories") == D("1")
    assert result.value("final_score") == D("75")
    assert result.value("payment_adjustment.band") == "neutral"


def test_b5_small_practice_pi_reweighted_contributions(make_case, score):
    """B5: small practice, PI reweighted: quality 40%, IA 30%; quality 60% contributes 24, IA 100% 30."""
    result = score(make_case(practice={"clinician_count": 6},
                             categories={"quality": D("60"), "ia": D("40"), "pi": "not_submitted"}))
    assert result.value("quality.weight") == D("40")
    assert result.value("ia.weight") == D("30")
    assert result.value("quality.contribution") == D("24")
    assert result.value("ia.contribution") == D("30")


def test_b6_quality_at_full_score_contributes_at_most_its_weight(make_case, score):
    """B6: quality 66/60 is capped at 100% -> 30 points, not 33; with IA 15 and PI 25 that is 70 before cost."""
    result = score(make_case(practice={"clinician_count": 6},
                             categories={"quality": D("100"), "cost": D("0"), "ia": D("40"), "pi": D("100")}))
    assert result.value("quality.contribution") == D("30")
    assert result.value("final_score") == D("70")


def test_b6_quality_score_above_100_percent_is_rejected(make_case, rulebook_2023):
    """The case states category scores as percentages; 110% (66/60 uncapped) cannot be given."""
    case = make_case(categories={"quality": D("110")})
    with pytest.raises(CaseError) as caught:
        check_case(case, rulebook_2023, {}, "case.yaml")
    assert caught.value.render() == ("case.yaml: categories.quality.score: 110 is above 100; "
                                     "the Quality score is a percentage from 0 to 100")

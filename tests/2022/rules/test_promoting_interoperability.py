"""rules/promoting_interoperability.yaml under the 2022 rulebook.

Policy: MIPS-FACTS 1d, PY2022 column: e-Prescribing 10; Query of PDMP a 10-point bonus (R-MD 2022 PI_EP_2
isBonus, not required); HIE 20 + 20 or 40 bi-directional (no TEFCA option); Provide Patients Electronic
Access 40; public health 10 (immunization + electronic case reporting required) + 5 bonus; capped at
100; 90-day period; SAFER guide attestation required from 2022. Exclusions move points as in the 2023
rules, with the 2022 maxima (split rules unconfirmed).

A complete submission here earns 9 (e-Prescribing 90%) + 16 + 14 (referral loops 80%, 70%)
+ 38 (patient access 95%) + 10 (public health) = 87, before bonuses.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

FROM_SUBMISSION = {"status": "submitted", "from_submission": True}


@pytest.fixture
def full_pi(pi_measure):
    def build(*extra, without=(), rates=(90, 80, 70, 95)):
        ep, send, receive, access = rates
        records = [
            pi_measure("PI_PPHI_1", True), pi_measure("PI_PPHI_2", True), pi_measure("PI_ONCDIR_1", True),
            pi_measure("PI_INFBLO_1", True),
            pi_measure("PI_EP_1", numerator=ep, denominator=100),
            pi_measure("PI_HIE_1", numerator=send, denominator=100),
            pi_measure("PI_HIE_4", numerator=receive, denominator=100),
            pi_measure("PI_PEA_1", numerator=access, denominator=100),
            pi_measure("PI_PHCDRR_1", True), pi_measure("PI_PHCDRR_3", True),
        ]
        return [r for r in records if r["measure_id"] not in without] + list(extra)
    return build


@pytest.fixture
def pi_result(case, score_2022):
    def run(records, days=366):
        return score_2022(case(categories={"pi": FROM_SUBMISSION}), pi=records, pi_days=days)
    return run


# --- Query of PDMP: an optional bonus in 2022 ----------------------------------------------------------

@pytest.mark.parametrize("pdmp, bonus, score", [
    pytest.param(None, D("0"), D("87"), id="PDMP not reported: not required, no penalty, 87"),
    pytest.param(False, D("0"), D("87"), id="PDMP answered 'no': no bonus, still 87"),
    pytest.param(True, D("10"), D("97"), id="PDMP answered 'yes': adds the 10-point bonus, 97"),
])
def test_pdmp_is_an_optional_10_point_bonus(pi_result, full_pi, pi_measure, pdmp, bonus, score):
    extra = [] if pdmp is None else [pi_measure("PI_EP_2", pdmp)]
    result = pi_result(full_pi(*extra))
    assert result.value("pi.required_measures_met") is True
    assert result.value("pi.failure") is None
    assert result.value("pi.pdmp_bonus") == bonus
    assert result.value("pi.score") == score


# --- maxima --------------------------------------------------------------------------------------------

def test_2022_maxima_sum_to_100(pi_result, full_pi):
    result = pi_result(full_pi(rates=(100, 100, 100, 100)))
    assert [result.value(f"pi.{part}") for part in
            ("e_prescribing_points", "hie_points", "patient_access_points", "public_health_points")] == [
        D("10"), D("40"), D("40"), D("10")]
    assert result.value("pi.score") == D("100")


def test_bonuses_cannot_lift_the_score_above_100(pi_result, full_pi, pi_measure):
    result = pi_result(full_pi(pi_measure("PI_EP_2", True), pi_measure("PI_PHCDRR_2", True), rates=(100, 100, 100, 100)))
    assert (result.value("pi.pdmp_bonus"), result.value("pi.bonus")) == (D("10"), D("5"))
    assert result.value("pi.score") == D("100")


def test_public_health_bonus_is_5_for_one_or_more_optional_measures(pi_result, full_pi, pi_measure):
    one = pi_result(full_pi(pi_measure("PI_PHCDRR_4", True)))
    three = pi_result(full_pi(pi_measure("PI_PHCDRR_2", True), pi_measure("PI_PHCDRR_4", True),
                              pi_measure("PI_PHCDRR_5", True)))
    assert one.value("pi.bonus") == three.value("pi.bonus") == D("5")
    assert one.value("pi.score") == three.value("pi.score") == D("92")


def test_bidirectional_exchange_earns_40(pi_result, full_pi, pi_measure):
    result = pi_result(full_pi(pi_measure("PI_HIE_5", True), without=("PI_HIE_1", "PI_HIE_4")))
    assert result.value("pi.hie_option") == "bidirectional"
    assert result.value("pi.hie_points") == D("40")
    assert result.value("pi.score") == D("9") + D("40") + D("38") + D("10")


@pytest.mark.parametrize("rates, hie", [
    pytest.param((90, 80, 70, 95), D("30"), id="referral loops 80% and 70% of 20 each: 16 + 14"),
    pytest.param((90, 2, 3, 95), D("1"), id="2% of 20 = 0.4 rounds to 0, 3% of 20 = 0.6 rounds to 1"),
])
def test_referral_loops_are_20_points_each_rounded_half_up(pi_result, full_pi, rates, hie):
    assert pi_result(full_pi(rates=rates)).value("pi.hie_points") == hie


# --- requirements --------------------------------------------------------------------------------------

@pytest.mark.parametrize("days, score", [
    pytest.param(89, D("0"), id="89 days, below the 90-day minimum: 0"),
    pytest.param(90, D("87"), id="90 days exactly is enough (180 from 2024)"),
])
def test_minimum_period_is_90_days(pi_result, full_pi, days, score):
    assert pi_result(full_pi(), days=days).value("pi.score") == score


def test_safer_guide_attestation_is_required(pi_result, full_pi):
    result = pi_result(full_pi(without=("PI_PPHI_2",)))
    assert result.value("pi.failure") == "a required attestation is missing or answered 'no'"
    assert result.value("pi.score") == D("0")


@pytest.mark.parametrize("answer, score", [
    pytest.param(True, D("87"), id="SAFER Guides 'yes': 87"),
    pytest.param(False, D("87"), id="SAFER Guides 'no' is accepted in 2022: still 87 (0 before the correction)"),
])
def test_safer_guide_attestation_accepts_either_answer_in_2022(pi_result, full_pi, pi_measure, answer, score):
    result = pi_result(full_pi(pi_measure("PI_PPHI_2", answer), without=("PI_PPHI_2",)))
    assert result.value("pi.attestations_met") is True
    assert result.value("pi.score") == score


def test_a_no_on_another_required_attestation_still_scores_0(pi_result, full_pi, pi_measure):
    result = pi_result(full_pi(pi_measure("PI_INFBLO_1", False), without=("PI_INFBLO_1",)))
    assert result.value("pi.score") == D("0")


def test_zero_numerator_on_a_required_measure_scores_0(pi_result, full_pi):
    result = pi_result(full_pi(rates=(90, 80, 70, 0)))
    assert result.value("pi.required_measures_met") is False
    assert result.value("pi.score") == D("0")


# --- exclusions (2023 split rules, 2022 maxima) --------------------------------------------------------

def test_e_prescribing_exclusion_moves_10_to_the_referral_loops(pi_result, full_pi, pi_measure):
    result = pi_result(full_pi(pi_measure("PI_LVPP_1", True), without=("PI_EP_1",), rates=(0, 100, 100, 95)))
    assert result.value("pi.e_prescribing_points") == D("0")
    assert (result.value("pi.sending_max"), result.value("pi.receiving_max")) == (D("25"), D("25"))
    assert result.value("pi.score") == D("50") + D("38") + D("10")
    assert "pi.sending_max_after_exclusions" in {u.name for u in result.unconfirmed}


def test_sending_exclusion_moves_its_20_to_receiving(pi_result, full_pi, pi_measure):
    result = pi_result(full_pi(pi_measure("PI_LVOTC_1", True), without=("PI_HIE_1",)))
    assert (result.value("pi.sending_max"), result.value("pi.receiving_max")) == (D("0"), D("40"))
    assert result.value("pi.hie_points") == D("28")


def test_both_referral_loop_exclusions_move_40_to_patient_access(pi_result, full_pi, pi_measure):
    result = pi_result(full_pi(pi_measure("PI_LVOTC_1", True), pi_measure("PI_LVITC_2", True),
                               without=("PI_HIE_1", "PI_HIE_4")))
    assert result.value("pi.patient_access_max") == D("80")
    assert result.value("pi.patient_access_points") == D("76")


def test_a_single_public_health_exclusion_with_the_other_met_earns_10(pi_result, full_pi, pi_measure):
    # PI_PHCDRR_3_EX_4 is the electronic case reporting exclusion that is new in 2022 (R-MD 2022)
    result = pi_result(full_pi(pi_measure("PI_PHCDRR_3_EX_4", True), without=("PI_PHCDRR_3",)))
    assert result.value("pi.case_reporting_excluded") is True
    assert result.value("pi.public_health_points") == D("10")
    assert result.value("pi.score") == D("87")


def test_both_public_health_exclusions_move_10_to_patient_access(pi_result, full_pi, pi_measure):
    result = pi_result(full_pi(pi_measure("PI_PHCDRR_1_EX_1", True), pi_measure("PI_PHCDRR_3_EX_2", True),
                               without=("PI_PHCDRR_1", "PI_PHCDRR_3"), rates=(90, 80, 70, 100)))
    assert result.value("pi.public_health_points") == D("0")
    assert result.value("pi.patient_access_max") == D("50")
    assert result.value("pi.score") == D("9") + D("30") + D("50")


# --- no excluded points vanish (42 CFR 414.1380(b)(4)(ii)) --------------------------------------------

def exclusion_cases():
    for ep in (False, True):
        for hie in ("referral_loops", "bidirectional"):
            for send, receive in ([(False, False), (True, False), (False, True), (True, True)]
                                  if hie == "referral_loops" else [(False, False)]):
                for immunization in (False, True):
                    for case_reporting in (False, True):
                        flags = dict(ep=ep, hie=hie, send=send, receive=receive, immunization=immunization,
                                     case_reporting=case_reporting)
                        label = ", ".join(k if v is True else str(v) for k, v in flags.items() if v)
                        yield pytest.param(flags, id=label or "no exclusion")


def perfect_records(pi_measure, flags):
    """Every required measure at 100% or 'yes', each excluded one replaced by its exclusion."""
    records = [pi_measure(m, True) for m in ("PI_PPHI_1", "PI_PPHI_2", "PI_ONCDIR_1", "PI_INFBLO_1")]
    records.append(pi_measure("PI_LVPP_1", True) if flags["ep"] else pi_measure("PI_EP_1", numerator=100, denominator=100))
    if flags["hie"] == "bidirectional":
        records.append(pi_measure("PI_HIE_5", True))
    else:
        records.append(pi_measure("PI_LVOTC_1", True) if flags["send"]
                       else pi_measure("PI_HIE_1", numerator=100, denominator=100))
        records.append(pi_measure("PI_LVITC_2", True) if flags["receive"]
                       else pi_measure("PI_HIE_4", numerator=100, denominator=100))
    records.append(pi_measure("PI_PEA_1", numerator=100, denominator=100))
    records.append(pi_measure("PI_PHCDRR_1_EX_1", True) if flags["immunization"] else pi_measure("PI_PHCDRR_1", True))
    records.append(pi_measure("PI_PHCDRR_3_EX_1", True) if flags["case_reporting"] else pi_measure("PI_PHCDRR_3", True))
    return records


@pytest.mark.parametrize("flags", list(exclusion_cases()))
def test_perfect_performance_scores_100_whatever_is_excluded(pi_result, pi_measure, flags):
    result = pi_result(perfect_records(pi_measure, flags))
    assert result.value("pi.failure") is None
    assert result.value("pi.score") == D("100")


def test_e_prescribing_and_both_referral_loops_excluded_move_50_to_patient_access(pi_result, pi_measure):
    """Before the correction the e-Prescribing points vanished here: 90 at most."""
    flags = dict(ep=True, hie="referral_loops", send=True, receive=True, immunization=False, case_reporting=False)
    result = pi_result(perfect_records(pi_measure, flags))
    assert result.value("pi.e_prescribing_moved") == D("10")
    assert result.value("pi.patient_access_max") == D("90")
    assert result.value("pi.score") == D("100")

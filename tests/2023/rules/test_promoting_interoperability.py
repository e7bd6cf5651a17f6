"""rules/promoting_interoperability.yaml under the 2023 rulebook: excluded points never vanish.

Policy: 42 CFR 414.1380(b)(4)(ii)(A) (the points of an excluded measure are redistributed to other
measures); the AAO's 2023 PI summary (Query of PDMP exclusion: its 10 points go to e-Prescribing;
e-Prescribing exclusion: its points go to the Health Information Exchange objective). Maxima: e-Prescribing
10, Query of PDMP 10, HIE 15 + 15 or 30, Provider to Patient Exchange 25, public health 25.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

FROM_SUBMISSION = {"status": "submitted", "from_submission": True}


@pytest.fixture
def pi_result(case, score_2023):
    def run(records, days=366):
        return score_2023(case(categories={"pi": FROM_SUBMISSION}), pi=records, pi_days=days)
    return run


def exclusion_cases():
    for ep in (False, True):
        for pdmp in (False, True):
            for hie in ("referral_loops", "bidirectional", "tefca"):
                for send, receive in ([(False, False), (True, False), (False, True), (True, True)]
                                      if hie == "referral_loops" else [(False, False)]):
                    for public_health in ((False, False), (True, False), (True, True)):
                        flags = dict(ep=ep, pdmp=pdmp, hie=hie, send=send, receive=receive,
                                     immunization=public_health[0], case_reporting=public_health[1])
                        label = ", ".join(k if v is True else str(v) for k, v in flags.items() if v)
                        yield pytest.param(flags, id=label)


def perfect_records(pi_measure, flags):
    """Every required measure at 100% or 'yes', each excluded one replaced by its exclusion."""
    records = [pi_measure(m, True) for m in ("PI_PPHI_1", "PI_PPHI_2", "PI_ONCDIR_1", "PI_INFBLO_1")]
    records.append(pi_measure("PI_LVPP_1", True) if flags["ep"] else pi_measure("PI_EP_1", numerator=100, denominator=100))
    records.append(pi_measure("PI_EP_2_EX_1", True) if flags["pdmp"] else pi_measure("PI_EP_2", True))
    if flags["hie"] == "bidirectional":
        records.append(pi_measure("PI_HIE_5", True))
    elif flags["hie"] == "tefca":
        records.append(pi_measure("PI_HIE_6", True))
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


@pytest.mark.parametrize("hie, moved_to, maximum", [
    pytest.param("referral_loops", "pi.sending_max", D("25"), id="referral loops: 15 + 20/2 each"),
    pytest.param("bidirectional", "pi.hie_points", D("50"), id="bi-directional exchange: 30 + 20"),
])
def test_e_prescribing_and_pdmp_both_excluded_move_20_to_hie(pi_result, pi_measure, hie, moved_to, maximum):
    """Before the correction the PDMP points vanished here: 90 at most."""
    flags = dict(ep=True, pdmp=True, hie=hie, send=False, receive=False, immunization=False, case_reporting=False)
    result = pi_result(perfect_records(pi_measure, flags))
    assert result.value("pi.e_prescribing_moved") == D("20")
    assert result.value(moved_to) == maximum
    assert result.value("pi.score") == D("100")


def test_pdmp_exclusion_alone_moves_its_10_to_e_prescribing(pi_result, pi_measure):
    flags = dict(ep=False, pdmp=True, hie="referral_loops", send=False, receive=False, immunization=False,
                 case_reporting=False)
    result = pi_result(perfect_records(pi_measure, flags))
    assert result.value("pi.e_prescribing_points") == D("20")
    assert result.value("pi.e_prescribing_moved") == D("0")


# --- the SAFER Guides attestation: answered, 'yes' or 'no', in 2023 ----------------------------------------

NO_EXCLUSION = dict(ep=False, pdmp=False, hie="referral_loops", send=False, receive=False, immunization=False,
                    case_reporting=False)


@pytest.mark.parametrize("answer, score", [
    pytest.param(True, D("100"), id="'yes': 100"),
    pytest.param(False, D("100"), id="'no' is accepted in 2023: 100 (0 before the correction)"),
    pytest.param(None, D("0"), id="not answered: the category scores 0"),
])
def test_safer_guide_attestation_must_be_answered_either_way(pi_result, pi_measure, answer, score):
    records = [r for r in perfect_records(pi_measure, NO_EXCLUSION) if r["measure_id"] != "PI_PPHI_2"]
    if answer is not None:
        records.append(pi_measure("PI_PPHI_2", answer))
    result = pi_result(records)
    assert result.value("pi.score") == score

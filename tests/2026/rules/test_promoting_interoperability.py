"""rules/promoting_interoperability.yaml under the 2026 rulebook: the new optional public health measure
via TEFCA (PI_PHCDRR_6) earns the 5-point bonus, electronic case reporting is required again, and the
Security Risk Analysis attestation (now including security risk management) must be 'yes'.

Policy: MIPS-FACTS 1d; R-MD 2026 (rulebooks/2026/reference/pi_measures.jsonl). A complete submission
here earns 9 (e-Prescribing 90%) + 10 (PDMP) + 30 (bi-directional HIE) + 24 (patient access 95%) + 25
(public health) = 98.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

FROM_SUBMISSION = {"status": "submitted", "from_submission": True}


@pytest.fixture
def full_pi(pi_measure):
    def build(*extra, without=()):
        records = [
            pi_measure("PI_PPHI_1", True), pi_measure("PI_PPHI_2", True), pi_measure("PI_ONCDIR_1", True),
            pi_measure("PI_INFBLO_1", True),
            pi_measure("PI_EP_1", numerator=90, denominator=100), pi_measure("PI_EP_2", True),
            pi_measure("PI_HIE_5", True),
            pi_measure("PI_PEA_1", numerator=95, denominator=100),
            pi_measure("PI_PHCDRR_1", True), pi_measure("PI_PHCDRR_3", True),
        ]
        return [r for r in records if r["measure_id"] not in without] + list(extra)
    return build


def pi_result(case, score_2026, records):
    return score_2026(case(categories={"pi": FROM_SUBMISSION}), pi=records)


def test_phcdrr_6_is_an_optional_bonus_measure_in_2026_data(reference_2026):
    measure = reference_2026.pi_measures["PI_PHCDRR_6"]
    assert (measure.is_bonus, measure.is_required, measure.first_performance_year) == (True, False, 2026)


@pytest.mark.parametrize("extra, bonus", [
    pytest.param([], D("0"), id="no optional measure: no bonus"),
    pytest.param([("PI_PHCDRR_6", True)], D("5"), id="public health via TEFCA alone: 5"),
    pytest.param([("PI_PHCDRR_6", False)], D("0"), id="public health via TEFCA answered no: 0"),
    pytest.param([("PI_PHCDRR_6", True), ("PI_PHCDRR_2", True)], D("5"), id="TEFCA and syndromic: still 5"),
    pytest.param([("PI_PHCDRR_4", True)], D("5"), id="public health registry: 5 as before"),
])
def test_public_health_bonus(case, score_2026, full_pi, pi_measure, extra, bonus):
    result = pi_result(case, score_2026, full_pi(*(pi_measure(m, v) for m, v in extra)))
    assert result.value("pi.bonus") == bonus
    assert result.value("pi.score") == min(D("98") + bonus, D("100"))


def test_electronic_case_reporting_is_required_again(case, score_2026, full_pi):
    """Suppressed for CY2025 only: in 2026 immunization alone no longer earns the public health points."""
    result = pi_result(case, score_2026, full_pi(without=("PI_PHCDRR_3",)))
    assert result.value("pi.public_health_points") == D("0")
    assert "pi.public_health_points" not in [u.name for u in result.unconfirmed]


def test_both_public_health_exclusions_move_the_points(case, score_2026, full_pi, pi_measure):
    records = full_pi(pi_measure("PI_PHCDRR_1_EX_1", True), pi_measure("PI_PHCDRR_3_EX_2", True),
                      without=("PI_PHCDRR_1", "PI_PHCDRR_3"))
    result = pi_result(case, score_2026, records)
    assert result.value("pi.public_health_excluded") is True
    assert result.value("pi.patient_access_max") == D("50")


@pytest.mark.parametrize("answer, score", [
    pytest.param(True, D("98"), id="security risk analysis and management attested: scored"),
    pytest.param(False, D("0"), id="security risk analysis and management answered no: 0"),
    pytest.param(None, D("0"), id="security risk analysis and management missing: 0"),
])
def test_security_risk_attestation_is_required(case, score_2026, full_pi, pi_measure, answer, score):
    records = full_pi(without=("PI_PPHI_1",)) + ([pi_measure("PI_PPHI_1", answer)] if answer is not None else [])
    result = pi_result(case, score_2026, records)
    assert result.value("pi.score") == score
    if score == 0:
        assert result.value("pi.failure") == "a required attestation is missing or answered 'no'"

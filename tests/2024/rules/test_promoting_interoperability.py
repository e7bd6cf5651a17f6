"""rules/promoting_interoperability.yaml under the 2024 rulebook: a 180-day minimum period and the two
Query of PDMP exclusions of 2024.

Policy: MIPS-FACTS 1d (90 days in 2023, 180 from 2024; W-HIS24, W-QPPDL); R-MD 2024 PI_EP_2 exclusions.
A complete submission here earns 9 (e-Prescribing 90%) + 10 (PDMP) + 12 + 11 (referral loops 80%, 70%)
+ 24 (patient access 95%) + 25 (public health) = 91.
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
            pi_measure("PI_HIE_1", numerator=80, denominator=100), pi_measure("PI_HIE_4", numerator=70, denominator=100),
            pi_measure("PI_PEA_1", numerator=95, denominator=100),
            pi_measure("PI_PHCDRR_1", True), pi_measure("PI_PHCDRR_3", True),
        ]
        return [r for r in records if r["measure_id"] not in without] + list(extra)
    return build


@pytest.mark.parametrize("days, long_enough, score", [
    pytest.param(90, False, D("0"), id="90 days (enough in 2023) scores 0 in 2024"),
    pytest.param(179, False, D("0"), id="179 days just below 180 scores 0"),
    pytest.param(180, True, D("91"), id="180 days exactly is enough"),
    pytest.param(366, True, D("91"), id="the full year is enough"),
])
def test_minimum_period_is_180_days(case, score_2024, full_pi, days, long_enough, score):
    result = score_2024(case(categories={"pi": FROM_SUBMISSION}), pi=full_pi(), pi_days=days)
    assert result.value("pi.period_long_enough") is long_enough
    assert result.value("pi.score") == score
    if not long_enough:
        assert result.value("pi.failure") == "the performance period is shorter than required"


@pytest.mark.parametrize("exclusion", ["PI_EP_2_EX_1", "PI_EP_2_EX_2"])
def test_a_2024_pdmp_exclusion_moves_its_points_to_e_prescribing(case, score_2024, full_pi, pi_measure, exclusion):
    result = score_2024(case(categories={"pi": FROM_SUBMISSION}),
                        pi=full_pi(pi_measure(exclusion, True), without=("PI_EP_2",)))
    assert result.value("pi.pdmp_excluded") is True
    assert result.value("pi.pdmp_points") == D("0")
    assert result.value("pi.e_prescribing_points") == D("18")  # 90% of 10 + 10
    assert result.value("pi.score") == D("90")


def test_pi_ep_2_ex_3_no_longer_excludes_in_2024(case, score_2024, full_pi, pi_measure):
    """PI_EP_2_EX_3 was a 2023 exclusion; CMS's 2024 data no longer list it."""
    result = score_2024(case(categories={"pi": FROM_SUBMISSION}),
                        pi=full_pi(pi_measure("PI_EP_2_EX_3", True), without=("PI_EP_2",)))
    assert result.value("pi.pdmp_excluded") is False
    assert result.value("pi.score") == D("0")  # Query of PDMP is required and neither met nor excluded


@pytest.mark.parametrize("answer, score", [
    pytest.param(True, D("91"), id="SAFER Guides 'yes': 91"),
    pytest.param(False, D("0"), id="SAFER Guides 'no' scores the category 0 from 2024"),
])
def test_safer_guide_attestation_needs_a_yes_from_2024(case, score_2024, full_pi, pi_measure, answer, score):
    result = score_2024(case(categories={"pi": FROM_SUBMISSION}),
                        pi=full_pi(pi_measure("PI_PPHI_2", answer), without=("PI_PPHI_2",)))
    assert result.value("pi.score") == score

"""rules/promoting_interoperability.yaml under the 2025 rulebook: electronic case reporting (PI_PHCDRR_3)
is suppressed for CY2025 (W-LIST26), so immunization registry reporting alone earns the public health
points; how CMS scores the objective then is not in the sources, so the result says it is unconfirmed.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from engine.api import rulebook_for
from engine.api import score as engine_score
from engine.case.facts import SubmittedCategory

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


def test_immunization_alone_earns_the_public_health_points(case, score_2025, full_pi):
    result = score_2025(case(categories={"pi": FROM_SUBMISSION}), pi=full_pi(without=("PI_PHCDRR_3",)))
    assert result.value("pi.public_health_points") == D("25")
    assert result.value("pi.score") == D("98")  # 9 + 10 + 30 + 24 + 25
    assert "pi.public_health_points" in [u.name for u in result.unconfirmed]


def test_in_2024_the_same_submission_earns_no_public_health_points(case, full_pi):
    records = tuple(full_pi(without=("PI_PHCDRR_3",)))
    result = engine_score(case(performance_year=2024, categories={"pi": FROM_SUBMISSION}), rulebook_for("2024"),
                          submitted={"pi": SubmittedCategory(records, 366, "t")})
    assert result.value("pi.public_health_points") == D("0")


def test_immunization_no_earns_nothing(case, score_2025, full_pi, pi_measure):
    result = score_2025(case(categories={"pi": FROM_SUBMISSION}),
                        pi=full_pi(pi_measure("PI_PHCDRR_1", False), without=("PI_PHCDRR_1",)))
    assert result.value("pi.public_health_points") == D("0")


def test_immunization_exclusion_alone_moves_the_points(case, score_2025, full_pi, pi_measure):
    result = score_2025(case(categories={"pi": FROM_SUBMISSION}),
                        pi=full_pi(pi_measure("PI_PHCDRR_1_EX_1", True), without=("PI_PHCDRR_1", "PI_PHCDRR_3")))
    assert result.value("pi.public_health_excluded") is True
    assert result.value("pi.patient_access_max") == D("50")  # 25 + the objective's 25


@pytest.mark.parametrize("days, score", [
    pytest.param(179, D("0"), id="179 days is too short"),
    pytest.param(180, D("98"), id="180 days is enough (inherited from 2024)"),
])
def test_minimum_period_still_180_days(case, score_2025, full_pi, days, score):
    result = score_2025(case(categories={"pi": FROM_SUBMISSION}), pi=full_pi(), pi_days=days)
    assert result.value("pi.score") == score

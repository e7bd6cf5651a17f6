"""rules/categories.yaml and rules/promoting_interoperability.yaml under the 2025 rulebook: from 2025
incomplete Improvement Activities and Promoting Interoperability submissions are no longer scored and no
longer override reweighting (CY 2025 final rule as summarised by the ACAAI: "Scoring of incomplete
submissions for Quality, IA and PI will cease"). The quality counterpart is tested in test_quality.py.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from engine.api import rulebook_for
from engine.api import score as engine_score
from engine.case.facts import SubmittedCategory

FROM_SUBMISSION = {"status": "submitted", "from_submission": True}
ATTESTATIONS = ("PI_PPHI_1", "PI_PPHI_2", "PI_ONCDIR_1", "PI_INFBLO_1")


@pytest.fixture
def attestations_only(pi_measure):
    return [pi_measure(m, True) for m in ATTESTATIONS]


@pytest.fixture
def complete_pi(pi_measure, attestations_only):
    return attestations_only + [
        pi_measure("PI_EP_1", numerator=90, denominator=100), pi_measure("PI_EP_2", True),
        pi_measure("PI_HIE_5", True), pi_measure("PI_PEA_1", numerator=95, denominator=100),
        pi_measure("PI_PHCDRR_1", True)]


def small_practice(case, **categories):
    return case(practice={"clinician_count": 6},
                categories={"quality": D("80"), "cost": D("60"), "ia": D("40"), "pi": FROM_SUBMISSION} | categories)


def test_small_practice_sending_pi_attestations_only_has_pi_reweighted(case, score_2025, attestations_only):
    """Before the correction the attestations were scored: PI 0% at 25%, final 24 + 18 + 15 = 57.
    Now the submission is incomplete, PI is reweighted for the small practice: 40/30/30, 32 + 18 + 30 = 80."""
    result = score_2025(small_practice(case), pi=attestations_only)
    assert result.value("pi.minimum_criteria_met") is False
    assert result.value("pi.submitted") is False
    assert (result.value("pi.status"), result.value("pi.reason")) == ("reweighted", "small_practice")
    assert [result.value(f"{c}.weight") for c in ("quality", "cost", "ia", "pi")] == [40, 30, 30, 0]
    assert result.value("final_score") == D("80")
    assert "pi.minimum_criteria_met" in {u.name for u in result.unconfirmed}


def test_the_same_submission_was_scored_in_2024(case, attestations_only):
    book = rulebook_for("2024")
    result = engine_score(case(performance_year=2024, practice={"clinician_count": 6},
                               categories={"quality": D("80"), "cost": D("60"), "ia": D("40"), "pi": FROM_SUBMISSION}),
                          book, submitted={"pi": SubmittedCategory(tuple(attestations_only), 366, "t")})
    assert (result.value("pi.status"), result.value("pi.score")) == ("submitted", D("0"))
    assert result.value("final_score") == D("57")


def test_a_complete_pi_submission_is_scored(case, score_2025, complete_pi):
    result = score_2025(small_practice(case), pi=complete_pi)
    assert result.value("pi.minimum_criteria_met") is True
    assert result.value("pi.status") == "submitted"
    assert result.value("pi.score") == D("98")  # 9 + 10 + 30 + 24 + 25


@pytest.mark.parametrize("dropped, met", [
    pytest.param(None, True, id="everything reported: met"),
    pytest.param("PI_PPHI_2", False, id="an attestation missing: not met"),
    pytest.param("PI_EP_2", False, id="Query of PDMP neither reported nor excluded: not met"),
    pytest.param("PI_PEA_1", False, id="Provider to Patient Exchange missing: not met"),
])
def test_pi_minimum_criteria_boundary(case, score_2025, complete_pi, dropped, met):
    records = [r for r in complete_pi if r["measure_id"] != dropped]
    assert score_2025(small_practice(case), pi=records).value("pi.minimum_criteria_met") is met


def test_an_excluded_measure_counts_as_reported(case, score_2025, complete_pi, pi_measure):
    records = [r for r in complete_pi if r["measure_id"] != "PI_EP_2"] + [pi_measure("PI_EP_2_EX_1", True)]
    assert score_2025(small_practice(case), pi=records).value("pi.minimum_criteria_met") is True


def test_a_large_practice_with_an_incomplete_pi_submission_scores_0_as_not_submitted(case, score_2025,
                                                                                      attestations_only):
    result = score_2025(case(categories={"pi": FROM_SUBMISSION}), pi=attestations_only)
    assert (result.value("pi.status"), result.value("pi.score")) == ("not_submitted", D("0"))


@pytest.mark.parametrize("performed, status", [
    pytest.param(False, "reweighted", id="no activity attested: not a submission, automatic EUC reweights IA"),
    pytest.param(True, "submitted", id="one activity attested: scored"),
])
def test_incomplete_ia_submission_no_longer_overrides_automatic_euc(case, score_2025, activity, performed, status):
    result = score_2025(case(automatic_euc=True, categories={"ia": FROM_SUBMISSION}),
                        ia=[activity("IA_EPA_1", value=performed)])
    assert result.value("ia.submitted") is performed
    assert result.value("ia.status") == status

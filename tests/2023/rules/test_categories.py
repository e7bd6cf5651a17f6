"""rules/categories.yaml at its boundaries: small practice, PI reweighting, special statuses,
automatic EUC by entity type, the APM Improvement Activities credit, and "missing is not zero".

Policy: MIPS-FACTS 1d, 1e, 3.2, 3.4, 6; WORKED-EXAMPLES B4.
"""

from decimal import Decimal as D

import pytest

CATEGORIES = ("quality", "cost", "ia", "pi")


def weights(result):
    return [result.value(f"{c}.weight") for c in CATEGORIES]


# --- small practice -------------------------------------------------------------------------------

@pytest.mark.parametrize("practice, small", [
    pytest.param({"clinician_count": 1}, True, id="1 clinician is small"),
    pytest.param({"clinician_count": 15}, True, id="15 clinicians is small (the maximum)"),
    pytest.param({"clinician_count": 16}, False, id="16 clinicians is not small"),
    pytest.param({"clinician_count": 40, "small_practice": True}, True, id="stated small overrides 40 clinicians"),
    pytest.param({"clinician_count": 5, "small_practice": False}, False, id="stated not small overrides 5 clinicians"),
    pytest.param({"small_practice": True}, True, id="stated small without a count"),
])
def test_small_practice_status(make_case, score, practice, small):
    result = score(make_case(practice=practice))
    assert result.value("small_practice") is small


@pytest.mark.parametrize("clinicians", [pytest.param(1, id="1 clinician"), pytest.param(15, id="15 clinicians")])
def test_pi_not_submitted_by_small_practice_is_reweighted(make_case, score, clinicians):
    result = score(make_case(practice={"clinician_count": clinicians}, categories={"pi": "not_submitted"}))
    assert result.value("pi.status") == "reweighted"
    assert result.value("pi.reason") == "small_practice"
    assert result.value("pi.score") is None
    assert result.value("pi.contribution") is None
    assert weights(result) == [40, 30, 30, 0]


@pytest.mark.parametrize("clinicians", [pytest.param(16, id="16 clinicians"), pytest.param(40, id="40 clinicians")])
def test_pi_not_submitted_by_larger_practice_scores_zero_with_weight(make_case, score, clinicians):
    result = score(make_case(practice={"clinician_count": clinicians}, categories={"pi": "not_submitted"}))
    assert result.value("pi.status") == "not_submitted"
    assert result.value("pi.reason") is None
    assert result.value("pi.score") == D("0")
    assert result.value("pi.weight") == D("25")
    assert result.value("pi.contribution") == D("0")
    assert result.value("final_score") == D("57")  # 24 + 18 + 15 + 0


def test_pi_submitted_as_zero_by_small_practice_is_scored_zero(make_case, score):
    """Any PI submission overrides small-practice reweighting: submitted zero is not missing."""
    result = score(make_case(practice={"clinician_count": 6}, categories={"pi": D("0")}))
    assert result.value("pi.status") == "submitted"
    assert result.value("pi.reason") is None
    assert result.value("pi.score") == D("0")
    assert result.value("pi.contribution") == D("0")
    assert weights(result) == [30, 30, 15, 25]


# --- special statuses -------------------------------------------------------------------------------

@pytest.mark.parametrize("status", ["hospital_based", "asc_based", "non_patient_facing"])
def test_special_status_reweights_pi_not_submitted(make_case, score, status):
    result = score(make_case(special_statuses=[status], categories={"pi": "not_submitted"}))
    assert result.value("pi.automatic_special_status") is True
    assert result.value("pi.status") == "reweighted"
    assert result.value("pi.reason") == "special_status"
    assert result.value("pi.score") is None
    assert weights(result) == [55, 30, 15, 0]


@pytest.mark.parametrize("status", ["rural", "hpsa", "facility_based"])
def test_other_special_statuses_do_not_reweight_pi(make_case, score, status):
    result = score(make_case(special_statuses=[status], categories={"pi": "not_submitted"}))
    assert result.value("pi.automatic_special_status") is False
    assert result.value("pi.status") == "not_submitted"
    assert result.value("pi.score") == D("0")


def test_special_status_with_pi_submitted_is_scored(make_case, score):
    result = score(make_case(special_statuses=["hospital_based"], categories={"pi": D("70")}))
    assert result.value("pi.status") == "submitted"
    assert result.value("pi.score") == D("70")
    assert result.value("pi.weight") == D("25")


# --- automatic EUC by entity type ----------------------------------------------------------------------

@pytest.mark.parametrize("entity_type, program, applies, expected", [
    pytest.param("individual", None, True, [85, 0, 15, 0], id="individual: automatic EUC applies"),
    pytest.param("group", None, False, [30, 30, 15, 25], id="group: must apply instead"),
    pytest.param("virtual_group", None, False, [30, 30, 15, 25], id="virtual group: must apply instead"),
    pytest.param("apm_entity", "mips", False, [55, 0, 15, 30],
                 id="APM Entity in traditional MIPS: must apply instead, not scored on cost"),
    pytest.param("subgroup", "G0053", False, [30, 30, 15, 25], id="subgroup: inherits its group's reweighting"),
])
def test_automatic_euc_applies_to_individuals_only(make_case, score, entity_type, program, applies, expected):
    result = score(make_case(entity={"type": entity_type}, automatic_euc=True, program=program,
                             categories={"pi": "not_submitted"}))
    assert result.value("automatic_euc") is applies
    assert weights(result) == expected
    if applies:
        assert result.value("cost.reason") == "automatic_euc"
        assert result.value("pi.reason") == "automatic_euc"
    else:
        assert result.value("cost.reason") != "automatic_euc"
        assert result.value("pi.status") == "not_submitted"


def test_automatic_euc_flag_off_does_nothing(make_case, score):
    result = score(make_case(automatic_euc=False, categories={"pi": "not_submitted"}))
    assert result.value("automatic_euc") is False
    assert result.value("cost.status") == "submitted"


def test_automatic_euc_reweights_cost_even_when_cost_was_computed(make_case, score):
    result = score(make_case(automatic_euc=True, categories={"cost": D("70")}))
    assert result.value("cost.status") == "reweighted"
    assert result.value("cost.reason") == "automatic_euc"
    assert result.value("cost.score") is None
    assert result.value("cost.contribution") is None


def test_automatic_euc_reweights_every_category_without_data(make_case, score):
    result = score(make_case(automatic_euc=True, categories={
        "quality": "not_submitted", "ia": "not_submitted", "pi": "not_submitted"}))
    for category in CATEGORIES:
        assert result.value(f"{category}.reason") == "automatic_euc"
        assert result.value(f"{category}.status") == "reweighted"
    assert result.value("final_score") == D("75")


# --- Improvement Activities points and the APM credit ----------------------------------------------------

@pytest.mark.parametrize("apm, ia, points, ia_score, status", [
    pytest.param(True, "not_submitted", D("20"), D("50"), "apm_credit", id="APM, nothing attested: 20 of 40 = 50%"),
    pytest.param(True, D("10"), D("20"), D("50"), "submitted", id="APM, 10 attested: credit 20 is higher"),
    pytest.param(True, D("30"), D("30"), D("75"), "submitted", id="APM, 30 attested: attested is higher"),
    pytest.param(True, D("60"), D("40"), D("100"), "submitted", id="APM, 60 attested: capped at 40"),
    pytest.param(False, "not_submitted", D("0"), D("0"), "not_submitted", id="no APM, nothing attested: 0"),
    pytest.param(False, D("39.99"), D("39.99"), D("99.975"), "submitted", id="39.99 points just below the maximum"),
    pytest.param(False, D("40"), D("40"), D("100"), "submitted", id="40 points is 100%"),
    pytest.param(False, D("40.01"), D("40"), D("100"), "submitted", id="40.01 points is capped at 40"),
    pytest.param(False, D("80"), D("40"), D("100"), "submitted", id="80 points is capped at 40"),
])
def test_ia_points_and_apm_credit(make_case, score, apm, ia, points, ia_score, status):
    result = score(make_case(apm_participant=apm, categories={"ia": ia}))
    assert result.value("ia.points") == points
    assert result.value("ia.score") == ia_score
    assert result.value("ia.status") == status
    assert result.value("ia.contribution") == ia_score * 15 / 100


@pytest.mark.parametrize("submitted, credit", [
    pytest.param({"quality": "not_submitted", "pi": "not_submitted"}, False, id="no quality or PI: no credit yet"),
    pytest.param({"quality": D("90"), "pi": "not_submitted"}, True, id="quality submitted starts the credit"),
    pytest.param({"quality": "not_submitted", "pi": D("90")}, True, id="PI submitted starts the credit"),
])
def test_apm_credit_under_automatic_euc_starts_with_quality_or_pi(make_case, score, submitted, credit):
    result = score(make_case(apm_participant=True, automatic_euc=True,
                             categories={"ia": "not_submitted", **submitted}))
    assert result.value("ia.apm_credit") is credit
    if credit:
        assert result.value("ia.status") == "apm_credit"
        assert result.value("ia.score") == D("50")
        assert result.value("scored_categories") == D("2")
    else:
        assert result.value("ia.status") == "reweighted"
        assert result.value("ia.reason") == "automatic_euc"
        assert result.value("final_score") == D("75")


# --- missing is not zero ----------------------------------------------------------------------------

@pytest.mark.parametrize("category, given, reason", [
    pytest.param("quality", ("reweighted", "euc_application"), "euc_application", id="quality: EUC application"),
    pytest.param("cost", ("reweighted", "no_scorable_measure"), "no_scorable_measure", id="cost: no scorable measure"),
    pytest.param("ia", ("reweighted", "euc_application"), "euc_application", id="IA: EUC application"),
    pytest.param("pi", ("reweighted", "pi_hardship"), "pi_hardship", id="PI: hardship"),
    pytest.param("pi", ("reweighted", "clinician_type"), "clinician_type", id="PI: clinician type"),
    pytest.param("pi", ("reweighted", "special_status"), "special_status", id="PI: special status stated"),
])
def test_reweighted_category_is_missing_not_zero(make_case, score, category, given, reason):
    result = score(make_case(categories={category: given}))
    assert result.value(f"{category}.status") == "reweighted"
    assert result.value(f"{category}.reason") == reason
    assert result.value(f"{category}.scored") is False
    assert result.value(f"{category}.score") is None
    assert result.value(f"{category}.contribution") is None
    assert result.value(f"{category}.weight") == D("0")
    summary = result.summary()["categories"][category]
    assert summary == {"score": None, "weight": D("0"), "contribution": None, "status": "reweighted",
                       "reason": reason}


@pytest.mark.parametrize("category", ["quality", "ia", "pi"])
def test_not_submitted_category_is_zero_with_its_weight(make_case, score, category):
    result = score(make_case(categories={category: "not_submitted"}))
    assert result.value(f"{category}.status") == "not_submitted"
    assert result.value(f"{category}.score") == D("0")
    assert result.value(f"{category}.contribution") == D("0")
    assert result.value(f"{category}.weight") > 0
    assert "reason" not in result.summary()["categories"][category]


def test_submitted_categories_report_status_and_no_reason(make_case, score):
    summary = score(make_case()).summary()["categories"]
    assert summary == {
        "quality": {"score": D("80"), "weight": D("30"), "contribution": D("24"), "status": "submitted"},
        "cost": {"score": D("60"), "weight": D("30"), "contribution": D("18"), "status": "submitted"},
        "ia": {"score": D("100"), "weight": D("15"), "contribution": D("15"), "status": "submitted"},
        "pi": {"score": D("90"), "weight": D("25"), "contribution": D("22.5"), "status": "submitted"},
    }


def test_unconfirmed_reweighting_reason_surfaces_in_result(make_case, score):
    result = score(make_case(categories={"pi": ("reweighted", "clinician_type")}))
    assert any("clinician_type" in u.name for u in result.unconfirmed)

"""rules/facility_based.yaml at its boundaries (2023): who is facility-based, the group rules, the
scores read off the Hospital VBP percentile, and when a facility-based result exists.

Policy: 42 CFR 414.1380(e)(2), (e)(4), (e)(6)(iv)-(vi); 414.1365(e)(3); CMS's PY2026 quality performance
standard memo (40th percentile MIPS quality score by year).
"""

from decimal import Decimal as D

import pytest

FACILITY = {"facility": "General Hospital", "vbp_percentile": D(40), "cost_score": D(55)}


def facility_case(make_case, entity="individual", statuses=("facility_based",), facility=None, **overrides):
    return make_case(entity={"type": entity, "tin": "123456789", "npi": None if entity != "individual" else "1234567893"},
                     special_statuses=list(statuses), facility_based=FACILITY | (facility or {}), **overrides)


# --- who is facility-based ----------------------------------------------------------------------------

@pytest.mark.parametrize("share, services, determined", [
    pytest.param(D(75), 1, True, id="75% of services and 1 inpatient/ER service"),
    pytest.param(D("74.99"), 1, False, id="74.99% is below the 75% threshold"),
    pytest.param(D(100), 0, False, id="no inpatient or emergency room service"),
    pytest.param(None, 5, False, id="share not given"),
])
def test_individual_determination_from_place_of_service(make_case, score, share, services, determined):
    case = facility_case(make_case, statuses=(), facility={"covered_services_percent": share,
                                                          "inpatient_or_er_services": services})
    result = score(case)
    assert result.value("facility_based.determined") is determined
    assert result.value("alternative.facility_based") is determined


def test_cms_determination_stands_without_the_shares(make_case, score):
    result = score(facility_case(make_case))
    assert result.value("facility_based.individual_determination") is True


@pytest.mark.parametrize("share, determined", [(D(75), True), (D("74.9"), False)])
def test_group_is_facility_based_with_75_percent_of_its_clinicians(make_case, score, share, determined):
    case = facility_case(make_case, "group", statuses=(), facility={"facility_based_clinicians_percent": share})
    assert score(case).value("facility_based.determined") is determined


@pytest.mark.parametrize("ia, pi, met", [
    pytest.param("submitted", "submitted", True, id="IA and PI submitted"),
    pytest.param("submitted", "not_submitted", True, id="IA only"),
    pytest.param("not_submitted", "submitted", True, id="PI only"),
    pytest.param("not_submitted", "not_submitted", False, id="neither IA nor PI"),
])
def test_a_group_must_submit_ia_or_pi(make_case, score, ia, pi, met):
    categories = {"ia": D(40) if ia == "submitted" else "not_submitted",
                  "pi": D(80) if pi == "submitted" else "not_submitted"}
    result = score(facility_case(make_case, "group", categories=categories))
    assert result.value("facility_based.data_requirement_met") is met
    assert result.value("alternative.facility_based") is met


def test_an_individual_needs_to_submit_nothing(make_case, score):
    case = facility_case(make_case, categories={"quality": "not_submitted", "ia": "not_submitted",
                                                "pi": "not_submitted"})
    assert score(case).value("alternative.facility_based") is True


def test_a_virtual_group_can_be_facility_based_from_2023(make_case, score):
    assert score(facility_case(make_case, "virtual_group")).value("alternative.facility_based") is True


def test_an_apm_entity_is_not_scored_facility_based(make_case, score):
    result = score(facility_case(make_case, "apm_entity"))
    assert result.value("facility_based.entity_allowed") is False
    assert result.value("alternative.facility_based") is False


def test_a_2023_subgroup_is_left_out_and_says_it_is_unsettled(make_case, score):
    case = facility_case(make_case, "subgroup", program="G0055", affiliated_group={"categories": {"pi": {"status": "submitted",
                                                                                       "score": D(80)}}})
    result = score(case)
    assert result.value("facility_based.entity_allowed") is False
    names = {u.name for u in result.unconfirmed}
    assert {"params.facility_based.unsettled_entity_types", "params.facility_based.unsettled_entity_types_allowed"} <= names


# --- the scores -------------------------------------------------------------------------------------

def test_quality_at_the_40th_percentile_is_the_published_2023_value(make_case, score):
    result = score(facility_case(make_case))
    assert result.value("facility_based.quality_from_percentile") == D("74.54")
    assert result.value("facility_based.quality.score") == D("74.54")
    assert result.value("facility_based.cost.score") == D(55)  # stated: no cost point is published


def test_another_percentile_needs_the_score_cms_reported(make_case, score):
    result = score(facility_case(make_case, facility={"vbp_percentile": D(62)}))
    assert result.value("facility_based.quality_from_percentile") is None
    assert result.value("alternative.facility_based") is False  # quality unknown: no facility-based result
    stated = score(facility_case(make_case, facility={"vbp_percentile": D(62), "quality_score": D(81)}))
    assert stated.value("facility_based.quality.score") == D(81)
    assert stated.value("alternative.facility_based") is True


def test_without_a_cost_score_there_is_no_facility_based_result(make_case, score):
    result = score(facility_case(make_case, facility={"cost_score": None}))
    assert result.value("facility_based.cost.score") is None
    assert result.value("alternative.facility_based") is False


def test_not_facility_based_without_status_or_shares(make_case, score):
    result = score(make_case())
    assert result.value("alternative.facility_based") is False
    assert result.value("facility_based.determined") is False


def test_facility_results_rest_on_the_unconfirmed_cost_distribution(make_case, score):
    names = {u.name for u in score(facility_case(make_case)).unconfirmed}
    assert "params.facility_based.cost_percentiles" in names

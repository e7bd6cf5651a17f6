"""Facility-based measurement in 2024: the PY2024 40th percentile, and MVP subgroups left out."""

from decimal import Decimal as D


def test_quality_at_the_40th_percentile_is_the_published_2024_value(case, score_2024):
    result = score_2024(case(special_statuses=["facility_based"],
                             facility_based={"vbp_percentile": D(40), "cost_score": D(50)}))
    assert result.value("facility_based.quality.score") == D("69.27")
    assert result.value("alternative.facility_based") is True


def test_a_subgroup_is_not_facility_based_and_that_is_settled(case, score_2024):
    subgroup = case(entity={"type": "subgroup", "tin": "123456789", "npi": None}, program="G0055",
                    special_statuses=["facility_based"],
                    facility_based={"vbp_percentile": D(40), "cost_score": D(50)},
                    affiliated_group={"categories": {"pi": {"status": "submitted", "score": D(80)}}})
    result = score_2024(subgroup)
    assert result.value("facility_based.entity_allowed") is False
    assert not [u for u in result.unconfirmed if u.name.startswith("params.facility_based")]

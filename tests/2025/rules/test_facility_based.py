"""Facility-based measurement in 2025: no point of the MIPS quality distribution is published yet, so a
facility-based result needs the scores CMS reported."""

from decimal import Decimal as D


def test_the_40th_percentile_is_not_converted_in_2025(case, score_2025):
    result = score_2025(case(special_statuses=["facility_based"],
                             facility_based={"vbp_percentile": D(40), "cost_score": D(50)}))
    assert result.value("facility_based.quality_from_percentile") is None
    assert result.value("alternative.facility_based") is False
    assert "params.facility_based.quality_percentiles" in {u.name for u in result.unconfirmed}


def test_reported_scores_give_the_facility_based_result(case, score_2025):
    result = score_2025(case(special_statuses=["facility_based"],
                             facility_based={"vbp_percentile": D(40), "quality_score": D(77), "cost_score": D(50)}))
    assert result.value("alternative.facility_based") is True
    assert result.value("facility_based.quality.score") == D(77)

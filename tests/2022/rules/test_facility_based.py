"""Facility-based measurement was not offered for performance year 2022 (no FY 2023 Hospital VBP
Total Performance Score); a facility-based case has only its submitted result."""

from decimal import Decimal as D

from engine.api import rulebook_for, score


def test_no_facility_based_result_in_2022(make_case):
    case = make_case(performance_year=2022, special_statuses=["facility_based"],
                     facility_based={"vbp_percentile": D(40), "quality_score": D(90), "cost_score": D(90)})
    result = score(case, rulebook_for("2022"))
    assert result.value("facility_based.determined") is True
    assert result.value("facility_based.offered") is False
    assert result.value("alternative.facility_based") is False
    assert "params.facility_based.offered" not in {u.name for u in result.unconfirmed}

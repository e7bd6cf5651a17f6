"""Several results of one clinician: the highest final score counts (rules/results.yaml), a facility-based
result is kept on a tie, otherwise the first given; results of other clinicians or years are refused.

Policy: CMS 2023 Traditional MIPS Data Submission User Guide (individual vs group: the higher final score);
42 CFR 414.1380(e)(6)(vi)(B) (facility-based unless another submission gives a higher final score).
"""

from decimal import Decimal as D

import pytest

from engine.api import rulebook_for, score
from engine.combine import Combined, combine
from engine.errors import CaseError


def scored(make_case, year=2023, **overrides):
    case = make_case(performance_year=year, **overrides)
    return score(case, rulebook_for(str(year)), f"{overrides.get('case_id', 'case')}.yaml")


def final_scores(combined):
    return [c.result.value("final_score") for c in combined.candidates]


def test_one_result_without_alternative_is_returned_as_is(make_case):
    result = scored(make_case)
    assert combine([result]) is result


def test_the_highest_final_score_counts(make_case):
    individual = scored(make_case, case_id="individual")                                   # 79.5
    group = scored(make_case, case_id="group", entity={"type": "group", "tin": "123456789", "npi": None},
                   categories={"quality": D(100)})                                         # 85.5
    combined = combine([individual, group])
    assert isinstance(combined, Combined)
    assert final_scores(combined) == [D("79.5"), D("85.5")]
    assert combined.counted.label == "group"
    assert combined.tied == []
    node = combined.comparison[0]
    assert node.rule_id == "counted_result"
    assert [(c.label, c.selected) for c in node.selection] == [("individual", False), ("group", True)]


def test_a_tie_between_submitted_results_keeps_the_first_given(make_case):
    first = scored(make_case, case_id="first")
    second = scored(make_case, case_id="second", entity={"type": "group", "tin": "123456789", "npi": None})
    combined = combine([first, second])
    assert combined.counted.label == "first"
    assert [c.label for c in combined.tied] == ["second"]


FACILITY = {"vbp_percentile": D(40), "cost_score": D(60)}


def facility_case(make_case, quality, cost=D(60)):
    """A facility-based clinician whose facility-based quality is 74.54 (2023, 40th percentile)."""
    return scored(make_case, case_id="hospitalist", special_statuses=["facility_based"],
                  facility_based=FACILITY | {"cost_score": cost}, categories={"quality": quality, "cost": D(60)})


def test_facility_based_beats_a_lower_submitted_score(make_case):
    combined = combine([facility_case(make_case, D(50))])
    assert [c.origin for c in combined.candidates] == ["submitted", "facility_based"]
    assert combined.counted.origin == "facility_based"
    assert combined.counted.replaced == {"quality": D("74.54"), "cost": D(60)}
    # 74.54 x 0.3 + 60 x 0.3 + 15 + 22.5 = 77.862 against 15 + 18 + 15 + 22.5 = 70.5
    assert final_scores(combined) == [D("70.5"), D("77.862")]


def test_a_higher_submitted_score_beats_facility_based(make_case):
    combined = combine([facility_case(make_case, D(90))])
    assert combined.counted.origin == "submitted"
    assert final_scores(combined) == [D("82.5"), D("77.862")]


def test_facility_based_is_kept_on_a_tie(make_case):
    combined = combine([facility_case(make_case, D("74.54"))])
    assert final_scores(combined) == [D("77.862"), D("77.862")]
    assert combined.counted.origin == "facility_based"
    assert [c.origin for c in combined.tied] == ["submitted"]


def test_the_facility_based_result_replaces_only_quality_and_cost(make_case):
    combined = combine([facility_case(make_case, D(50))])
    facility = combined.candidates[1].result
    assert facility.value("quality.score") == D("74.54")
    assert facility.value("cost.score") == D(60)
    assert facility.value("ia.score") == D(100)
    assert facility.value("pi.score") == D(90)


def test_results_of_different_years_are_refused(make_case):
    with pytest.raises(CaseError, match=r"different performance years \(2023 in case.yaml; 2024 in case.yaml\)"):
        combine([scored(make_case), scored(make_case, 2024)])


@pytest.mark.parametrize("other, message", [
    ({"entity": {"type": "individual", "tin": "999999999", "npi": "1234567893"}}, "different TINs"),
    ({"entity": {"type": "individual", "tin": "123456789", "npi": "1999999999"}}, "different NPIs"),
])
def test_results_of_another_clinician_are_refused(make_case, other, message):
    with pytest.raises(CaseError, match=message):
        combine([scored(make_case, case_id="a"), scored(make_case, case_id="b", **other)])


def test_repeated_case_ids_are_told_apart(make_case):
    combined = combine([scored(make_case, case_id="same"), scored(make_case, case_id="same")])
    assert [c.label for c in combined.candidates] == ["same (1)", "same (2)"]

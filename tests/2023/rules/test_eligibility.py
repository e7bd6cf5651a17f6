"""MIPS eligibility (42 CFR 414.1305, 414.1310) in every year: each low-volume criterion at its boundary,
opt-in and voluntary reporting, clinician types, newly enrolled clinicians, QPs and Partial QPs; and the
score of a clinician who is not MIPS eligible carries no payment adjustment."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from engine.explain.render import explain
from questions import answer, todo, topic

YEARS = [2022, 2023, 2024, 2025, 2026]
ABOVE = {"allowed_charges": D("90000.01"), "beneficiaries": 201, "services": 201}
AT = {"allowed_charges": D("90000"), "beneficiaries": 200, "services": 200}


def eligibility(year: int, **facts):
    ans = answer("eligibility", year, entity="individual", eligibility=facts)
    data = topic(ans, "eligibility")
    return data["verdict"], data["adjustment_applies"], ans


@pytest.mark.parametrize("year", YEARS)
def test_exceeding_all_three_criteria_by_the_smallest_amount_makes_mips_apply(year):
    assert eligibility(year, clinician_type="physician", **ABOVE)[:2] == ("required", True)


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("criterion", list(AT))
def test_each_criterion_at_its_threshold_is_not_exceeded(year, criterion):
    verdict, applies, ans = eligibility(year, clinician_type="physician", **(ABOVE | {criterion: AT[criterion]}))
    assert (verdict, applies) == ("excluded_low_volume", False)
    assert todo(ans, "eligibility") == ["opt_in_election"]


@pytest.mark.parametrize("year", YEARS)
def test_exceeding_one_or_two_criteria_and_opting_in_makes_mips_apply(year):
    facts = AT | {"allowed_charges": D("90000.01")}
    assert eligibility(year, opt_in=True, **facts)[:2] == ("opted_in", True)
    assert eligibility(year, opt_in=False, **facts)[:2] == ("excluded_low_volume", False)


def test_exceeding_no_criterion_leaves_no_opt_in():
    verdict, applies, ans = eligibility(2026, opt_in=True, **AT)
    assert (verdict, applies) == ("excluded_low_volume", False)
    assert todo(ans, "eligibility") == []


def test_a_missing_figure_leaves_eligibility_undetermined_unless_another_is_at_or_below():
    verdict, applies, ans = eligibility(2026, allowed_charges=D("150000"), beneficiaries=400)
    assert (verdict, applies) == ("undetermined", None)
    assert todo(ans, "eligibility") == ["state_missing_figures"]
    assert eligibility(2026, allowed_charges=D("150000"), services=150)[:2] == ("excluded_low_volume", False)


@pytest.mark.parametrize("facts, expected", [
    ({"qualifying_apm_participant": True}, "excluded_qp"),
    ({"partial_qp": True}, "excluded_partial_qp"),
    ({"partial_qp": True, "partial_qp_elects_mips": False}, "excluded_partial_qp"),
    ({"partial_qp": True, "partial_qp_elects_mips": True}, "required"),
    ({"newly_enrolled": True}, "excluded_newly_enrolled"),
    ({"clinician_type": "other"}, "excluded_clinician_type"),
])
def test_exclusions(facts, expected):
    assert eligibility(2025, **(ABOVE | {"clinician_type": "physician"} | facts))[0] == expected


@pytest.mark.parametrize("clinician_type", ["clinical_social_worker", "certified_nurse_midwife", "nurse_practitioner"])
def test_clinical_social_workers_and_certified_nurse_midwives_are_eligible_from_2022(clinician_type):
    assert eligibility(2022, clinician_type=clinician_type, **ABOVE)[0] == "required"


def test_a_qualifying_apm_participant_is_scored_but_gets_no_payment_adjustment(make_case, score):
    result = score(make_case(eligibility={"qualifying_apm_participant": True, "clinician_type": "physician"}))
    assert result.value("final_score") == D("79.5")
    assert result.value("payment_adjustment_percent") is None
    text = explain(result, "text")
    assert ("but no MIPS payment adjustment applies on Medicare Part B claims paid in 2025: not MIPS eligible: "
            "a Qualifying APM Participant (QP) is excluded from MIPS.") in text
    assert ("Why no payment adjustment applies: rule eligibility.qualifying_apm_participant "
            "(rulebooks/2022/rules/eligibility.yaml:16; 42 CFR 414.1310 - Applicability (MIPS exclusions, opt-in, "
            "voluntary reporting, new Medicare-enrolled clinicians), (b)(1)(i) "
            "<https://www.ecfr.gov/current/title-42/chapter-IV/subchapter-B/part-414/subpart-O/section-414.1310>).") \
        in text.split("DETAILS", 1)[1]


def test_a_case_without_eligibility_facts_is_scored_as_mips_eligible(make_case, score):
    result = score(make_case())
    assert result.value("eligibility.verdict") == "not_stated"
    assert result.value("payment_adjustment_percent") == D("0.387")


def test_2022_additional_adjustment_is_none_too_when_not_eligible(make_case):
    from engine.api import rulebook_for, score as engine_score
    case = make_case(performance_year=2022, eligibility={"newly_enrolled": True},
                     categories={"quality": D("100"), "cost": D("100"), "ia": D("40"), "pi": D("100")})
    result = engine_score(case, rulebook_for("2022"))
    assert result.value("final_score") == D("100")
    assert (result.value("payment_adjustment_percent"), result.value("additional_adjustment_percent"),
            result.value("payment_adjustment.total_percent")) == (None, None, None)

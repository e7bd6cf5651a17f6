"""PY2026 MVP registration, one test per sentence of CMS's 2026 MVP registration notice
(cms-2026-mvp-registration-notice), with the exceptions: single specialty group, multispecialty small
practice (at the small-practice boundary), other groups, virtual groups, and MVP ids of another year."""

from __future__ import annotations

from datetime import datetime

import pytest

from engine.errors import CaseError
from questions import EASTERN, answer, todo, topic, verdict

MVP = "mvp_registration"


@pytest.mark.parametrize("entity, extra", [("individual", {}), ("group", {"specialty": "single_specialty"}),
                                           ("subgroup", {}), ("apm_entity", {})])
def test_individuals_groups_subgroups_and_apm_entities_can_register_until_november_30_8pm_et(entity, extra):
    ans = answer("registration", 2026, entity=entity, mvp="G0053", clinicians=20, **extra)
    assert verdict(ans, MVP) == "must_register"
    window = topic(ans, MVP)["window"]
    assert (window["id"], window["closes"]["instant"]) == ("mvp_registration", "2026-11-30T20:00:00-05:00")


def test_a_virtual_group_is_no_mvp_participation_option():
    ans = answer("registration", 2026, entity="virtual_group", mvp="G0053", clinicians=20)
    assert verdict(ans, MVP) == "may_not_register"
    assert topic(ans, MVP)["window"] is None and todo(ans, MVP) == []
    why = {w["rule"]: w["value"] for w in topic(ans, MVP)["why"]}
    assert why["mvp_registration.participation_option_allowed"] is False


def test_registration_needs_a_harp_account_with_the_security_official_role():
    assert "register_on_qpp" in todo(answer("registration", 2026, entity="individual", mvp="G0053"), MVP)


def test_prepare_the_mvp_and_the_participation_option():
    steps = todo(answer("registration", 2026, entity="individual", mvp="G0053"), MVP)
    assert {"choose_mvp", "choose_participation_option"} <= set(steps)


@pytest.mark.parametrize("mvp, offered", [("G0057", True), ("M1503", True), ("G0053", False)])
def test_prepare_whether_to_administer_cahps_if_it_is_a_quality_measure_option_in_the_mvp(mvp, offered):
    steps = todo(answer("registration", 2026, entity="subgroup", mvp=mvp, clinicians=5), MVP)
    assert ("decide_cahps" in steps) is offered


@pytest.mark.parametrize("mvp, offered", [("G0055", True), ("G0058", True), ("G0057", False)])
def test_prepare_whether_to_be_evaluated_on_an_outcomes_based_administrative_claims_measure(mvp, offered):
    steps = todo(answer("registration", 2026, entity="individual", mvp=mvp), MVP)
    assert ("decide_outcome_admin_claims" in steps) is offered


def test_a_group_attests_to_its_specialty_composition_and_cms_does_not_decide_it():
    ans = answer("registration", 2026, entity="group", mvp="G0053", clinicians=40)
    assert verdict(ans, MVP) == "depends"
    assert "attest_specialty_composition" in todo(ans, MVP)


def test_a_single_specialty_group_of_any_size_may_register():
    ans = answer("registration", 2026, entity="group", mvp="G0053", clinicians=80, specialty="single_specialty")
    assert verdict(ans, MVP) == "must_register"
    assert "attest_specialty_composition" in todo(ans, MVP)


@pytest.mark.parametrize("clinicians, allowed", [(15, True), (16, False)])
def test_a_multispecialty_group_registers_only_as_a_small_practice(clinicians, allowed):
    ans = answer("registration", 2026, entity="group", mvp="G0053", clinicians=clinicians, specialty="multispecialty")
    assert verdict(ans, MVP) == ("must_register" if allowed else "may_not_register")
    assert ("report_as_subgroups_or_individuals" in todo(ans, MVP)) is not allowed


def test_a_multispecialty_group_of_unknown_size_depends_on_its_size():
    ans = answer("registration", 2026, entity="group", mvp="G0053", specialty="multispecialty")
    assert verdict(ans, MVP) == "depends"


def test_other_groups_participate_as_subgroups_or_individuals():
    for entity in ("subgroup", "individual"):
        ans = answer("registration", 2026, entity=entity, mvp="G0053", clinicians=40, specialty=None)
        assert verdict(ans, MVP) == "must_register"
    assert "describe_subgroup" in todo(answer("registration", 2026, entity="subgroup", mvp="G0053"), MVP)


def test_before_2026_any_group_may_register():
    ans = answer("registration", 2025, entity="group", mvp="G0053", clinicians=40)
    assert verdict(ans, MVP) == "must_register"
    assert "attest_specialty_composition" not in todo(ans, MVP)


def test_with_cahps_the_mvp_registration_is_due_by_the_cahps_deadline():
    ans = answer("registration", 2026, entity="group", mvp="G0057", clinicians=12, specialty="multispecialty",
                 cahps=True)
    assert topic(ans, MVP)["window"]["id"] == "cahps_registration"
    assert "complete_by_cahps_deadline" in todo(ans, MVP)


@pytest.mark.parametrize("minute, state", [(59, "open_by_close"), (0, "closed")])
def test_the_mvp_window_closes_at_its_exact_minute(minute, state):
    moment = datetime(2026, 11, 30, 19 if minute else 20, minute, tzinfo=EASTERN)
    ans = answer("registration", 2026, on=moment, entity="individual", mvp="G0053")
    assert topic(ans, MVP)["window"]["state"] == state


@pytest.mark.parametrize("year, mvp, message", [
    (2026, "G0056", "'G0056' is not an MVP of performance year 2026"),
    (2025, "M1503", "'M1503' is not an MVP of performance year 2025"),
])
def test_an_mvp_id_of_another_year_is_refused(year, mvp, message):
    with pytest.raises(CaseError) as info:
        answer("registration", year, entity="individual", mvp=mvp)
    assert message in str(info.value) and "MVPs of" in str(info.value)


def test_an_mvp_named_with_another_reporting_option_is_refused():
    with pytest.raises(CaseError) as info:
        answer("registration", 2026, entity="group", mvp="G0057", reporting_option="traditional")
    assert str(info.value) == ("options: mvp: an MVP is named but the reporting option is 'traditional'; "
                               "name an MVP only with the reporting option mvp")

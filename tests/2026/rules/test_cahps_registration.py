"""PY2026 CAHPS for MIPS Survey registration, one test per sentence of CMS's 2026 CAHPS registration
notice (cms-2026-cahps-registration-notice) and the CAHPS registration page, with the exceptions:
Shared Savings Program ACOs, subgroups, individuals, fewer than 2 clinicians, none MIPS eligible."""

from __future__ import annotations

from datetime import datetime

import pytest

from questions import EASTERN, answer, todo, topic, verdict

CAHPS = "cahps_registration"


def test_shared_savings_program_acos_are_registered_automatically_but_must_contract_a_vendor():
    ans = answer("registration", 2026, entity="apm_entity", reporting_option="app_plus", clinicians=300,
                 ssp_aco=True)
    assert verdict(ans, CAHPS) == "registered_automatically"
    assert todo(ans, CAHPS) == ["contract_vendor"]
    assert topic(ans, CAHPS)["status"] == "confirmed"


@pytest.mark.parametrize("entity", ["group", "apm_entity"])
@pytest.mark.parametrize("option", ["app", "app_plus"])
def test_app_and_app_plus_groups_and_apm_entities_with_2_or_more_clinicians_must_register(entity, option):
    ans = answer("registration", 2026, entity=entity, reporting_option=option, clinicians=2,
                 mips_eligible_clinicians=1)
    assert verdict(ans, CAHPS) == "must_register"
    assert set(todo(ans, CAHPS)) == {"register_on_qpp", "contract_vendor"}


@pytest.mark.parametrize("clinicians, eligible", [(1, 1), (2, 0)])
def test_fewer_than_2_clinicians_or_none_mips_eligible_cannot_administer_the_survey(clinicians, eligible):
    ans = answer("registration", 2026, entity="group", reporting_option="app", clinicians=clinicians,
                 mips_eligible_clinicians=eligible)
    assert verdict(ans, CAHPS) == "not_available"
    assert topic(ans, CAHPS)["window"] is None


def test_when_the_number_of_mips_eligible_clinicians_is_not_given_the_answer_says_to_make_sure():
    ans = answer("registration", 2026, entity="group", reporting_option="app", clinicians=8)
    assert verdict(ans, CAHPS) == "must_register"
    assert "confirm_size" in todo(ans, CAHPS)


@pytest.mark.parametrize("entity", ["group", "virtual_group", "apm_entity"])
@pytest.mark.parametrize("intends, expected", [(True, "must_register"), (False, "may_register")])
def test_traditional_mips_reporters_register_if_they_use_cahps_as_1_of_6_measures(entity, intends, expected):
    ans = answer("registration", 2026, entity=entity, reporting_option="traditional", clinicians=10,
                 mips_eligible_clinicians=10, cahps=intends)
    assert verdict(ans, CAHPS) == expected


@pytest.mark.parametrize("mvp", ["G0057", "M0001", "M1423", "M0005", "M1503"])
@pytest.mark.parametrize("entity", ["group", "subgroup", "apm_entity"])
def test_mvp_reporters_register_if_they_use_cahps_as_1_of_4_measures_in_the_mvps_that_include_it(mvp, entity):
    ans = answer("registration", 2026, entity=entity, mvp=mvp, clinicians=10, mips_eligible_clinicians=10,
                 cahps=True, specialty="single_specialty" if entity == "group" else None)
    assert verdict(ans, CAHPS) == "must_register"


def test_an_mvp_without_cahps_offers_no_survey():
    ans = answer("registration", 2026, entity="subgroup", mvp="G0053", clinicians=10, cahps=True)
    assert verdict(ans, CAHPS) == "not_available"


def test_subgroups_register_through_the_qpp_service_center_after_their_mvp_registration():
    ans = answer("registration", 2026, entity="subgroup", mvp="G0057", clinicians=6, mips_eligible_clinicians=6,
                 cahps=True)
    assert verdict(ans, CAHPS) == "must_register"
    assert set(todo(ans, CAHPS)) == {"subgroup_via_service_center", "contract_vendor"}


def test_subgroups_administer_the_survey_only_as_part_of_mvp_reporting():
    ans = answer("registration", 2026, entity="subgroup", reporting_option="traditional", clinicians=6, cahps=True)
    assert verdict(ans, CAHPS) == "not_available"


def test_individual_clinicians_cannot_administer_the_survey():
    ans = answer("registration", 2026, entity="individual", reporting_option="app", cahps=True)
    assert verdict(ans, CAHPS) == "not_available"


def test_a_group_that_cannot_report_the_mvp_as_a_group_cannot_use_cahps_in_it():
    ans = answer("registration", 2026, entity="group", mvp="G0057", clinicians=40, specialty="multispecialty",
                 cahps=True)
    assert verdict(ans, CAHPS) == "not_available"


@pytest.mark.parametrize("hour, minute, state", [(19, 59, "open_by_close"), (20, 0, "closed")])
def test_the_2026_cahps_window_closes_at_8pm_eastern_to_the_minute(hour, minute, state):
    ans = answer("registration", 2026, on=datetime(2026, 6, 30, hour, minute, tzinfo=EASTERN), entity="group",
                 reporting_option="app", clinicians=5, mips_eligible_clinicians=5)
    window = topic(ans, CAHPS)["window"]
    assert (window["closes"]["instant"], window["state"]) == ("2026-06-30T20:00:00-04:00", state)

"""`mips check` as a user runs it: the issue's example, a file, every format, and clear errors."""

from __future__ import annotations

import json

INTENTS = "examples/intents"


def test_the_issue_example_answers_both_registrations_with_deadlines(run_cli):
    code, out, err = run_cli("check", "registration", "--year", "2026", "--entity", "group", "--mvp", "G0057",
                             "--cahps", "--clinicians", "12", "--specialty", "multispecialty",
                             "--on", "2026-06-30T19:59-04:00")
    assert code == 0, err
    assert "MVP REGISTRATION\nAnswer: must register.\n" in out
    assert "CAHPS FOR MIPS SURVEY REGISTRATION\nAnswer: must register.\n" in out
    assert "By when: Tue 2026-06-30 20:00 EDT, the close of \"CAHPS for MIPS survey registration\"" in out
    assert "it closes in 1 minute." in out


def test_json_answer_has_verdicts_windows_and_the_trace(run_cli):
    code, out, err = run_cli("check", "registration", f"{INTENTS}/registration-2026-subgroup-cahps.yaml",
                             "--on", "2026-07-01", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert [(a["topic"], a["verdict"]) for a in data["answers"]] == [
        ("mvp_registration", "must_register"), ("cahps_registration", "must_register")]
    assert data["answers"][1]["window"]["state"] == "closed"
    assert data["trace"][0]["rule"] in {"mvp_registration.verdict", "cahps_registration.verdict"}


def test_eligibility_from_options(run_cli):
    code, out, err = run_cli("check", "eligibility", "--year", "2026", "--entity", "individual",
                             "--clinician-type", "physician", "--allowed-charges", "90000.01",
                             "--beneficiaries", "201", "--services", "201", "--format", "markdown")
    assert code == 0, err
    assert "**Answer: MIPS eligible: the low-volume threshold is exceeded" in out
    assert "A MIPS payment adjustment applies." in out


def test_an_mvp_of_another_year_is_a_clear_message(run_cli):
    code, out, err = run_cli("check", "registration", "--year", "2026", "--entity", "group", "--mvp", "G0056")
    assert (code, out) == (1, "")
    assert err.startswith("error: options: mvp: 'G0056' is not an MVP of performance year 2026 "
                          "(did you mean 'G0059'?); the 27 MVPs of 2026: G0053, G0054,")


def test_unknown_values_are_refused_with_the_years_vocabulary(run_cli):
    code, out, err = run_cli("check", "registration", "--year", "2024", "--entity", "team", "--option", "app_plus")
    assert (code, out) == (1, "")
    assert err == ("error:\noptions: entity: unknown entity type 'team' for 2024; known: individual, group, "
                   "virtual_group, apm_entity, subgroup\noptions: reporting_option: unknown reporting option "
                   "'app_plus' for 2024; known: traditional, app, mvp\n")


def test_a_specialty_composition_before_2026_is_refused(run_cli):
    code, out, err = run_cli("check", "registration", "--year", "2025", "--entity", "group", "--mvp", "G0053",
                             "--specialty", "multispecialty")
    assert code == 1
    assert err == ("error: options: specialty: the 2025 rulebook knows no specialty compositions; "
                   "leave 'specialty' out\n")


def test_a_file_and_options_together_are_refused(run_cli):
    code, out, err = run_cli("check", "registration", f"{INTENTS}/registration-2026-ssp-aco.yaml", "--mvp", "G0057")
    assert code == 1
    assert err.startswith("error: give the question either in examples/intents/registration-2026-ssp-aco.yaml "
                          "or as options, not both")


def test_a_file_asking_the_other_question_is_refused(run_cli):
    code, out, err = run_cli("check", "eligibility", f"{INTENTS}/registration-2026-ssp-aco.yaml")
    assert code == 1
    assert "question: the file asks a registration question; run `mips check registration`" in err


def test_a_year_without_registration_rules_says_so(run_cli):
    code, out, err = run_cli("check", "registration", "--year", "2022", "--entity", "group", "--option", "app")
    assert code == 1
    assert err.startswith("error: the 2022 rulebook (rulebooks/2022) has no registration rules")

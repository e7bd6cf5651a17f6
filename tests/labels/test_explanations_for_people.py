"""Explanations lead with the answer, show measure titles at CMS's precision, and advise only what can help."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from engine import jsonout
from engine.api import score_file
from engine.explain.content import explanation
from engine.explain.render import explain

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def submission_2025():
    return score_file(EXAMPLES / "submissions/2025-individual.json", profile=EXAMPLES / "profiles/individual-2025.yaml")


def section(text: str, title: str) -> str:
    return text.split(title + "\n", 1)[1].split("\n\n", 1)[0]


def test_the_answer_comes_first_at_two_decimals_and_details_last(submission_2025):
    text = explain(submission_2025, "text")
    lines = text.splitlines()
    assert lines[2].startswith("Under traditional MIPS, your 2025 MIPS final score is 92.03 out of 100")
    assert lines[4].startswith("What cost the most: Cost, 9.15 points short of its 30 possible")
    assert "params." not in "\n".join(lines[:6])
    assert text.index("DETAILS") > text.index("WHAT WOULD RAISE THIS SCORE")
    assert "rulebooks/" not in text[: text.index("DETAILS")]


def test_measures_have_titles(submission_2025):
    text = explain(submission_2025, "text")
    assert "236 Controlling High Blood Pressure (registry): performance rate 77.61%" in text
    assert "Not counted: 047 Advance Care Plan (registry), 5.01 points: outside the 6 counted." in text


def test_advice_covers_counted_measures_only_with_their_real_gain(submission_2025):
    steps = section(explain(submission_2025, "text"), "WHAT WOULD RAISE THIS SCORE")
    assert "047" not in steps and "238" not in steps and "130" not in steps
    assert ("Quality measure 001 (Diabetes: Glycemic Status Assessment Greater Than 9%): a performance rate at or "
            "below 10% (now 13.18%) reaches decile 10: 0.32 more measure points, about 0.16 final-score points.") in steps
    assert "would gain a point" not in steps
    raised = explanation(submission_2025)["raise"]["quality_measures"]
    assert [m["measure_id"] for m in raised] == ["134", "370", "001", "236"]
    assert raised[2]["final_score_gain"] == Decimal("0.318") * 30 / 60


def test_improvement_activities_move_in_whole_activities():
    text = explain(score_file(EXAMPLES / "cases/below-threshold-2023.yaml"), "text")
    assert ("Improvement Activities: 2 more activities of 10 points would reach the maximum of 40 points; "
            "each adds 3.75 final-score points.") in text


def test_combined_advice_when_no_category_closes_the_gap_alone():
    text = explain(score_file(EXAMPLES / "cases/non-reporting-2023.yaml"), "text")
    assert "No one category closes the gap alone, but together they can" in text
    assert "together they need to cover 60.00 points" in text


def test_cost_measured_from_claims_is_not_called_a_submission():
    text = explain(score_file(EXAMPLES / "cases/non-reporting-2023.yaml"), "text")
    assert "Cost: CMS measured 50.00% from Medicare claims (it needs no submission)" in text
    assert "Cost: you scored" not in text


@pytest.fixture(scope="module")
def not_eligible():
    return score_file(EXAMPLES / "cases/qualifying-apm-participant-2024.yaml")


def test_no_payment_adjustment_is_said_plainly_and_its_rule_is_in_the_details(not_eligible):
    text = explain(not_eligible, "text")
    lines = text.splitlines()
    assert lines[2] == ("Under traditional MIPS, your 2024 MIPS final score is 71.00 out of 100, but no MIPS payment adjustment applies on "
                        "Medicare Part B claims paid in 2026: not MIPS eligible: a Qualifying APM Participant (QP) "
                        "is excluded from MIPS.")
    assert "rulebooks/" not in text[: text.index("DETAILS")] and "None%" not in text
    assert "being above or below it changes no payment" in section(text, "DISTANCE TO THE PERFORMANCE THRESHOLD")
    assert "would close the gap" not in text and "cannot close the gap" not in text
    assert ("Why no payment adjustment applies: rule eligibility.qualifying_apm_participant "
            "(rulebooks/2022/rules/eligibility.yaml:16; 42 CFR 414.1310 - Applicability (MIPS exclusions, opt-in, "
            "voluntary reporting, new Medicare-enrolled clinicians), (b)(1)(i) "
            "<https://www.ecfr.gov/current/title-42/chapter-IV/subchapter-B/part-414/subpart-O/section-414.1310>).") in text
    for fmt in ("markdown", "html"):
        assert "None%" not in explain(not_eligible, fmt)


def test_the_explanation_content_gives_the_verdict_and_the_rule_that_decided_it(not_eligible):
    data = explanation(not_eligible)
    assert data["payment_adjustment_percent"]["value"] is None
    assert data["eligibility"]["verdict"] == "excluded_qp" and data["eligibility"]["adjustment_applies"] is False
    assert data["eligibility"]["decided_by"]["rule"] == "eligibility.qualifying_apm_participant"
    assert explanation(score_file(EXAMPLES / "cases/individual-2024.yaml"))["eligibility"]["adjustment_applies"]


def test_explain_format_json_gives_the_same_content(run_cli):
    code, out, err = run_cli("explain", "--format", "json", "examples/cases/qualifying-apm-participant-2024.yaml")
    assert code == 0, err
    expected = explanation(score_file(Path("examples/cases/qualifying-apm-participant-2024.yaml").resolve()))
    assert out == jsonout.dumps(expected | {"case_file": "examples/cases/qualifying-apm-participant-2024.yaml"})

"""`mips diff` with a case leads with the case's answer and the changes it read; two files of one clinician compare."""

from __future__ import annotations

from pathlib import Path

import pytest

EXAMPLES = Path("examples")


@pytest.fixture
def run(run_cli):
    """`mips diff ARGS` in this process, from the project folder; its output (it must succeed)."""
    def diff(*args: str | Path) -> str:
        code, out, err = run_cli("diff", *(str(a) for a in args))
        assert code == 0, err
        return out
    return diff


def test_the_case_answer_comes_first_and_the_full_diff_only_with_all(run):
    text = run("2023", "2024", "--case", EXAMPLES / "cases/individual-2023.yaml")
    lines = text.splitlines()
    assert lines[0] == "Case example-individual-2023 under the 2023 and the 2024 rulebooks"
    assert lines[2] == "The final score stays 82.00; the payment adjustment goes from +0.602% to +0.294%."
    assert "because params.payment_adjustment.max_positive_percent 2.15 -> 1.05" in text
    assert "Rulebook changes this case read: 3 (every change: add --all)" in text
    assert "BENCHMARK CHANGES" not in text and len(lines) < 20
    full = run("2023", "2024", "--case", EXAMPLES / "cases/individual-2023.yaml", "--all")
    assert full.startswith(text.rstrip("\n")) and "BENCHMARK CHANGES" in full


def test_two_submissions_of_one_clinician_across_years(run):
    text = run("--case", EXAMPLES / "submissions/2024-individual.json", "--profile", EXAMPLES / "profiles/individual-2024.yaml",
               "--case", EXAMPLES / "submissions/2023-individual.json", "--profile", EXAMPLES / "profiles/individual-2023.yaml")
    assert text.splitlines()[0] == ("examples/submissions/2023-individual.json scored under 2023, "
                                    "examples/submissions/2024-individual.json under 2024")
    assert "The final score rises from 83.69 to 88.09" in text
    assert "because facts.cost.cms_measures differ (the files of the two years)" in text


def test_wrong_combinations_say_what_to_give(run_cli):
    code, out, err = run_cli("diff", "2023")
    assert code != 0 and "give two rulebooks" in err and "Traceback" not in err


def test_a_year_without_payment_adjustment_compares_in_words(run):
    text = run("--case", EXAMPLES / "cases/individual-2024.yaml",
               "--case", EXAMPLES / "cases/qualifying-apm-participant-2024.yaml")
    assert ("the payment adjustment goes from +0.357% to none (not MIPS eligible: a Qualifying APM Participant (QP) "
            "is excluded from MIPS)") in text
    assert "because facts.eligibility.qualifying_apm_participant missing -> true" in text
    same = run("2023", "2024", "--case", EXAMPLES / "cases/qualifying-apm-participant-2024.yaml")
    assert "and the payment adjustment stays none (not MIPS eligible" in same


def test_bonuses_that_moved_are_listed_and_unchanged_values_are_no_reason(run):
    text = run("--case", EXAMPLES / "cases/individual-2024.yaml", "--case", EXAMPLES / "cases/individual-2025.yaml")
    assert "  * Complex patient bonus: 2.50 -> 3.00 points (+0.50)\n      because facts.bonuses.complex_patient 2.5 -> 3" in text
    assert "max_positive_percent 1.05 -> 1.05" not in text
    assert "Payment adjustment +0.357% -> +0.3045%" not in text  # it moved with the final score only

"""Intent files that are refused, each with its file, line and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import CaseError
from engine.check import intent_from_file
from engine.check.intent import check_intent
from engine.api import rulebook_for


def refused(tmp_path: Path, text: str, question: str = "registration") -> str:
    path = tmp_path / "intent.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CaseError) as info:
        intent, document, name = intent_from_file(path)
        check_intent(intent, question, rulebook_for(str(intent.performance_year)), document, name)
    return str(info.value).replace(str(tmp_path) + "/", "")


def test_an_unknown_key_is_refused_with_its_line(tmp_path):
    message = refused(tmp_path, "performance_year: 2026\nentity: group\nmvps: G0057\n")
    assert "intent.yaml:3:1: mvps: unknown key 'mvps'" in message


def test_more_mips_eligible_clinicians_than_clinicians_is_impossible(tmp_path):
    message = refused(tmp_path, "performance_year: 2026\nentity: group\nclinicians: 3\nmips_eligible_clinicians: 4\nmvp: G0057\n")
    assert "mips_eligible_clinicians (4) is more than clinicians (3)" in message


def test_an_unknown_clinician_type_is_refused_with_the_years_types(tmp_path):
    message = refused(tmp_path, "performance_year: 2024\nentity: individual\neligibility:\n  clinician_type: pharmacist\n",
                      "eligibility")
    assert message.startswith("intent.yaml:4:19: eligibility.clinician_type: unknown clinician type 'pharmacist' for 2024")


def test_a_registration_question_needs_a_reporting_option_or_an_mvp(tmp_path):
    message = refused(tmp_path, "performance_year: 2026\nentity: group\n")
    assert message == ("intent.yaml:1:1: reporting_option: a registration question needs the reporting option "
                       "(traditional, app, mvp, app_plus) or an MVP id")


def test_a_partial_qp_election_without_partial_qp_is_refused(tmp_path):
    message = refused(tmp_path, "performance_year: 2026\nentity: individual\neligibility:\n  partial_qp_elects_mips: true\n",
                      "eligibility")
    assert "partial_qp_elects_mips goes with partial_qp: true" in message

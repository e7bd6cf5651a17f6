"""Pathway selection (engine/pathways/select.py) from what each year's pathways.yaml declares.

Policy: a QPP submission selects its program by the programName of its measurement sets (mips, app1,
appPlus from 2025, or an MVP id of the year's MVP list); a case by its `program` field, else by the
default of its entity type. Nothing that names another program is scored as traditional MIPS.
"""

from __future__ import annotations

import pytest

from engine.api import rulebook_for, score, select
from engine.errors import CaseError


def messages(exc: pytest.ExceptionInfo) -> list[str]:
    return [f"{p.path}: {p.message}" for p in exc.value.problems]


@pytest.mark.parametrize("year, program, entity, pathway", [
    pytest.param(2022, "mips", "individual", "traditional", id="2022 mips: traditional"),
    pytest.param(2022, "app1", "group", "app", id="2022 app1: APP"),
    pytest.param(2023, "G0054", "individual", "mvp", id="2023 MVP id: MVP"),
    pytest.param(2025, "appPlus", "apm_entity", "app_plus", id="2025 appPlus: APP Plus"),
    pytest.param(2026, "M1503", "subgroup", "mvp", id="2026 new MVP id: MVP"),
])
def test_program_selects_its_pathway(make_case, year, program, entity, pathway):
    chosen = select(make_case(performance_year=year, program=program, entity={"type": entity}), rulebook_for(str(year)))
    assert chosen.name == pathway
    assert chosen.program.name == program


@pytest.mark.parametrize("entity, pathway, line_key", [
    pytest.param("individual", "traditional", "individual", id="individual: traditional"),
    pytest.param("group", "traditional", "group", id="group: traditional"),
    pytest.param("virtual_group", "traditional", "virtual_group", id="virtual group: traditional"),
    pytest.param("apm_entity", "app", "apm_entity", id="APM Entity: the APP"),
])
def test_a_case_without_program_takes_its_entity_types_default(make_case, entity, pathway, line_key):
    chosen = select(make_case(entity={"type": entity}), rulebook_for("2023"))
    assert chosen.name == pathway
    assert chosen.why.startswith("the case names no program")
    assert chosen.at.file == "rulebooks/2022/pathways.yaml"


def test_the_selection_is_the_first_step_of_the_trace_and_in_the_result(make_case, rulebook_2023):
    result = score(make_case(entity={"type": "apm_entity"}), rulebook_2023)
    first = result.trace[0]
    assert (first.rule_id, first.output, first.status) == ("pathway", "app", "derived")
    assert first.file == "rulebooks/2022/pathways.yaml"
    summary = result.summary()
    assert summary["pathway"]["name"] == "app"
    assert summary["rulebook"]["pathway"] == "app"
    assert [result.value(f"{c}.weight") for c in ("quality", "cost", "ia", "pi")] == [50, 0, 20, 30]


def test_a_subgroup_must_state_its_mvp(make_case, rulebook_2023):
    with pytest.raises(CaseError) as caught:
        select(make_case(entity={"type": "subgroup"}), rulebook_2023)
    assert messages(caught) == [
        "program: a MVP subgroup case must state the program it reports in 2023: add 'program:' with one of "
        "mips (traditional MIPS), app1 (the APM Performance Pathway (APP)), an MVP id (a MIPS Value Pathway "
        "(MVP): G0053, G0054, G0055, G0056, G0057, G0058, G0059, M0001, M0002, M0003, M0004, M0005)"]


def test_an_mvp_id_of_another_year_is_refused_naming_its_years(make_case):
    with pytest.raises(CaseError) as caught:
        select(make_case(performance_year=2024, program="G0056"), rulebook_for("2024"))
    [message] = messages(caught)
    assert message.startswith("program: programName 'G0056' (a MIPS Value Pathway (MVP)) is a program of "
                              "performance year 2023, not of 2024; for 2024 use one of: mips (traditional MIPS), ")


def test_app_plus_before_2025_is_refused(make_case):
    with pytest.raises(CaseError) as caught:
        select(make_case(performance_year=2024, program="appPlus", entity={"type": "apm_entity"}), rulebook_for("2024"))
    [message] = messages(caught)
    assert message.startswith("program: programName 'appPlus' (the APM Performance Pathway with the APP Plus "
                              "quality measure set (APP Plus)) is a program of performance year 2025, 2026, not "
                              "of 2024; for 2024 use one of: mips (traditional MIPS), app1 (the APM Performance "
                              "Pathway (APP)), an MVP id")


def test_an_unknown_program_is_refused(make_case, rulebook_2023):
    with pytest.raises(CaseError) as caught:
        select(make_case(program="pcf"), rulebook_2023)
    [message] = messages(caught)
    assert message.startswith("program: programName 'pcf' is not a program of performance year 2023 that this "
                              "engine scores; use one of: mips (traditional MIPS)")


@pytest.mark.parametrize("program, entity, label", [
    pytest.param("app1", "virtual_group", "the APM Performance Pathway (APP)", id="virtual group: no APP"),
    pytest.param("mips", "subgroup", "traditional MIPS", id="subgroup: no traditional MIPS"),
    pytest.param("G0054", "virtual_group", "a MIPS Value Pathway (MVP)", id="virtual group: no MVP"),
])
def test_an_entity_type_the_pathway_is_not_open_to_is_refused(make_case, rulebook_2023, program, entity, label):
    with pytest.raises(CaseError) as caught:
        select(make_case(program=program, entity={"type": entity}), rulebook_2023)
    [message] = messages(caught)
    assert message.startswith(f"entity.type: a ")
    assert f"cannot report {label} (programName '{program}')" in message

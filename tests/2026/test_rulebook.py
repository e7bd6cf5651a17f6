"""The 2026 rulebook: it validates, extends 2025 (and through it 2024, 2023 and 2022), and the effective
rulebook shows for every inherited value the file and line of the year that wrote it.

Policy: MIPS-FACTS 1a, 1d.
"""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest


def test_2026_validates(run_cli):
    code, out, err = run_cli("rulebook", "validate", "2026")
    assert (code, err) == (0, "")
    assert out.startswith("rulebook 2026 (rulebooks/2026): valid;")


@pytest.mark.parametrize("year", ["2023", "2024", "2025"])
def test_the_years_it_extends_validate(run_cli, year):
    code, out, err = run_cli("rulebook", "validate", year)
    assert (code, err) == (0, "")
    assert out.startswith(f"rulebook {year} (rulebooks/{year}): valid;")


def test_2026_extends_the_chain(rulebook_2026):
    chain = []
    book = rulebook_2026
    while book is not None:
        chain.append(book.year)
        book = book.parent
    assert chain == [2026, 2025, 2024, 2023, 2022]


@pytest.fixture(scope="module")
def shown(run_cli):
    code, out, err = run_cli("rulebook", "show", "2026", "--format", "json")
    assert (code, err) == (0, "")
    return json.loads(out)


@pytest.mark.parametrize("name, year, file", [
    pytest.param("params.program.performance_threshold", 2023, "parameters/program.yaml",
                 id="performance threshold: written in 2023, unchanged since"),
    pytest.param("params.quality.case_minimum", 2022, "parameters/quality.yaml", id="case minimum: 2022"),
    pytest.param("params.quality.data_completeness_percent", 2024, "parameters/quality.yaml",
                 id="data completeness 75%: written in 2024"),
    pytest.param("params.improvement_activities.activity_points", 2025, "parameters/improvement_activities.yaml",
                 id="IA points per activity: written in 2025"),
    pytest.param("params.program.payment_year_offset", 2023, "parameters/program.yaml",
                 id="payment year offset: written in 2023, unchanged since"),
])
def test_show_gives_where_each_parameter_is_written(shown, rulebook_2026, name, year, file):
    entry = shown["parameters"][name]
    assert entry["at"].startswith(f"rulebooks/{year}/{file}:")
    parameter = rulebook_2026.parameters[name]
    assert entry["at"] == str(parameter.origin)
    assert (entry["source"], entry["status"]) == (parameter.source, parameter.status)


def test_inherited_2023_parameter_points_at_its_line(shown):
    at = shown["parameters"]["params.program.performance_threshold"]["at"]
    file, line = at.rsplit(":", 1)
    text = open(file, encoding="utf-8").read().splitlines()
    # the line is the parameter's first field, right under its name
    assert "performance_threshold:" in [text[int(line) - 2].strip(), text[int(line) - 1].strip()]
    assert shown["parameters"]["params.program.performance_threshold"]["value"] == 75


def test_show_gives_where_each_rule_is_written(shown):
    assert shown["rules"]["pi.bonus"]["at"].startswith("rulebooks/2026/rules/promoting_interoperability.yaml:")
    assert shown["rules"]["quality.complex_organization_adjustment"]["at"].startswith("rulebooks/2025/rules/quality.yaml:")
    assert shown["rules"]["final_score"]["at"].startswith("rulebooks/2022/rules/final_score.yaml:")


def test_payment_year_2028_maximum_is_an_unconfirmed_placeholder(rulebook_2026):
    maximum = rulebook_2026.parameters["params.payment_adjustment.max_positive_percent"]
    assert (maximum.value, maximum.status) == (D("1.05"), "unconfirmed")
    assert "2028" in maximum.note
    assert str(maximum.origin).startswith("rulebooks/2026/")


def test_diff_2025_2026(run_cli):
    code, out, err = run_cli("diff", "2025", "2026", "--format", "json")
    assert (code, err) == (0, "")
    changes = {c["name"]: c for c in json.loads(out)["changes"]}
    assert changes["pi.bonus"]["change"] == "changed"
    assert changes["quality.measure_points_on_placeholder_benchmarks"]["change"] == "added"
    assert "params.program.payment_year_offset" not in changes
    assert "params.quality.data_completeness_percent" not in changes

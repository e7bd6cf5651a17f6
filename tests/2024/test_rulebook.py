"""The 2024 rulebook: it validates, it extends 2023 and states only what differs, and `show` and
`diff` report where each value comes from.

Policy: 42 CFR 414.1405 (payment year 2026), the 2024 QPP pages and the 2024 reweighting table.
"""

from __future__ import annotations

import json
from decimal import Decimal as D


def test_2024_validates(run_cli):
    code, out, err = run_cli("rulebook", "validate", "2024")
    assert (code, err) == (0, "")
    assert out.startswith("rulebook 2024 (rulebooks/2024): valid;")


def test_2024_extends_2023(rulebook_2024):
    assert rulebook_2024.year == 2024
    assert rulebook_2024.parent is not None and rulebook_2024.parent.year == 2023


def test_changed_values_are_the_2024_ones(rulebook_2024):
    params = rulebook_2024.parameters
    assert params["params.quality.data_completeness_percent"].value == D("75")
    assert params["params.promoting_interoperability.min_period_days"].value == D("180")
    assert params["params.program.payment_year_offset"].value == D("2")
    assert params["params.payment_adjustment.max_positive_percent"].value == D("1.05")
    assert params["params.payment_adjustment.max_positive_percent"].status == "confirmed"
    assert params["params.payment_adjustment.negative_scaling"].status == "confirmed"


def test_2024_states_its_own_reweighting_table_with_the_statuses_of_2024(rulebook_2024):
    """Rows an earlier year's source gives are secondary for 2024; the default weights are restated for 2024."""
    table = rulebook_2024.tables["reweighting"]
    assert table.file == "rulebooks/2024/tables/reweighting.yaml"
    rows = {row.id: row for row in table.rows}
    assert rows["all_scored"].status == "confirmed"
    assert rows["euc_all"].status == rows["no_cost"].status == rows["no_pi"].status == "secondary"
    assert rows["no_pi_no_ia_small"].status == "unconfirmed"


def test_show_json_gives_each_value_where_it_is_written(run_cli):
    code, out, err = run_cli("rulebook", "show", "2024", "--format", "json")
    assert (code, err) == (0, "")
    shown = json.loads(out)["parameters"]
    assert shown["params.quality.data_completeness_percent"]["at"].startswith("rulebooks/2024/parameters/quality.yaml:")
    assert shown["params.quality.data_completeness_percent"]["value"] == 75
    # unchanged values are inherited with their 2023 location, source and status
    assert shown["params.program.performance_threshold"]["at"].startswith("rulebooks/2023/parameters/program.yaml:")
    assert shown["params.quality.case_minimum"]["at"].startswith("rulebooks/2022/parameters/quality.yaml:")


def test_diff_2023_2024_lists_the_changes(run_cli):
    code, out, err = run_cli("diff", "2023", "2024", "--format", "json")
    assert (code, err) == (0, "")
    changes = {c["name"]: c for c in json.loads(out)["changes"]
               if c["kind"] in ("parameter", "rule") or c["name"].startswith("params.")}
    completeness = changes["params.quality.data_completeness_percent"]
    assert completeness["change"] == "changed"
    assert (completeness["old"]["value"], completeness["new"]["value"]) == (70, 75)
    assert "params.promoting_interoperability.min_period_days" in changes
    assert "params.quality.case_minimum" not in changes

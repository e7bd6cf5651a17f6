"""The 2025 rulebook: it validates, extends 2024, drops the Improvement Activities weights and shows
where each value comes from.

Policy: MIPS-FACTS 1a, 1c, 1e.
"""

from __future__ import annotations

import json
from decimal import Decimal as D


def test_2025_validates(run_cli):
    code, out, err = run_cli("rulebook", "validate", "2025")
    assert (code, err) == (0, "")
    assert out.startswith("rulebook 2025 (rulebooks/2025): valid;")


def test_2025_extends_2024(rulebook_2025):
    assert rulebook_2025.parent is not None and rulebook_2025.parent.year == 2024
    assert rulebook_2025.parent.parent.year == 2023


def test_activity_weights_are_removed(rulebook_2025):
    params = rulebook_2025.parameters
    for gone in ("medium_points", "high_points", "special_status_multiplier"):
        assert f"params.improvement_activities.{gone}" not in params
    assert params["params.improvement_activities.activity_points"].value == D("20")
    assert params["params.improvement_activities.activity_points"].status == "secondary"
    assert params["params.improvement_activities.special_status_activity_points"].value == D("40")
    assert params["params.improvement_activities.special_status_activity_points"].status == "secondary"


def test_payment_year_2027_maximum_is_an_unconfirmed_placeholder(rulebook_2025):
    maximum = rulebook_2025.parameters["params.payment_adjustment.max_positive_percent"]
    assert (maximum.value, maximum.status) == (D("1.05"), "unconfirmed")
    assert "2027" in maximum.note


def test_show_json_provenance(run_cli):
    code, out, err = run_cli("rulebook", "show", "2025", "--format", "json")
    assert (code, err) == (0, "")
    shown = json.loads(out)["parameters"]
    assert shown["params.quality.data_completeness_percent"]["at"].startswith("rulebooks/2024/")
    assert shown["params.quality.complex_organization_cap_percent"]["at"].startswith("rulebooks/2025/")
    assert shown["params.improvement_activities.max_points"]["at"].startswith("rulebooks/2023/")


def test_diff_2024_2025_lists_removed_and_added_parameters(run_cli):
    code, out, err = run_cli("diff", "2024", "2025", "--format", "json")
    assert (code, err) == (0, "")
    changes = {c["name"]: c["change"] for c in json.loads(out)["changes"]}
    assert changes["params.improvement_activities.medium_points"] == "removed"
    assert changes["params.improvement_activities.activity_points"] == "added"
    assert changes["quality.complex_organization_adjustment"] == "added"
    assert changes["params.payment_adjustment.max_positive_percent"] == "changed"

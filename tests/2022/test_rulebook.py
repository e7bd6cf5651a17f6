"""The 2022 rulebook: it validates as a standalone rulebook (the earliest year, no `extends`) next to
the data files others keep in rulebooks/2022, every value cites a source and status, and `mips diff
2022 2023` shows the real 2022 -> 2023 changes of MIPS-FACTS 1a-1e.
"""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest


def test_2022_validates(run_cli):
    code, out, err = run_cli("rulebook", "validate", "2022")
    assert (code, err) == (0, "")
    assert out.startswith("rulebook 2022 (rulebooks/2022): valid;")


def test_2022_is_standalone(rulebook_2022):
    assert rulebook_2022.parent is None
    assert rulebook_2022.year == 2022
    assert all(name.startswith("rulebooks/2022/") for name in rulebook_2022.files)


def test_2022_uses_the_euc_parameters_kept_in_rulebooks_2022(rulebook_2022):
    automatic = rulebook_2022.parameters["params.euc.automatic_entity_types"]
    assert list(automatic.value) == ["individual"]
    assert automatic.origin.file == "rulebooks/2022/parameters/euc.yaml"


def test_every_parameter_cites_a_source_and_unconfirmed_ones_say_why(rulebook_2022):
    for name, parameter in rulebook_2022.parameters.items():
        assert parameter.source and parameter.status in {"confirmed", "secondary", "derived", "unconfirmed"}, name
        if parameter.status == "unconfirmed":
            assert parameter.note, f"{name} is unconfirmed without a note"


@pytest.mark.parametrize("name, value, status", [
    ("params.program.payment_year_offset", D("2"), "confirmed"),
    ("params.program.performance_threshold", D("75"), "confirmed"),
    ("params.payment_adjustment.additional_performance_threshold", D("89"), "confirmed"),
    ("params.payment_adjustment.max_positive_percent", D("2.15"), "unconfirmed"),
    ("params.quality.data_completeness_percent", D("70"), "confirmed"),
    ("params.quality.minimum_points", D("3"), "confirmed"),
    ("params.quality.no_benchmark_points", D("3"), "confirmed"),
    ("params.quality.no_data_completeness_points", D("0"), "confirmed"),
    ("params.quality.small_practice_no_data_completeness_points", D("3"), "confirmed"),
    ("params.promoting_interoperability.min_period_days", D("90"), "secondary"),
    ("params.promoting_interoperability.pdmp_bonus_points", D("10"), "confirmed"),
    ("params.promoting_interoperability.referral_loops_points", D("20"), "confirmed"),
    ("params.promoting_interoperability.hie_alternative_points", D("40"), "confirmed"),
    ("params.promoting_interoperability.patient_access_points", D("40"), "confirmed"),
    ("params.promoting_interoperability.public_health_points", D("10"), "secondary"),
    ("params.promoting_interoperability.bonus_points", D("5"), "secondary"),
    ("params.bonuses.complex_patient_max", D("10"), "confirmed"),
    ("params.improvement_activities.medium_points", D("10"), "confirmed"),
    ("params.improvement_activities.high_points", D("20"), "confirmed"),
])
def test_2022_values_and_their_status(rulebook_2022, name, value, status):
    parameter = rulebook_2022.parameters[name]
    assert (parameter.value, parameter.status) == (value, status)


def test_2022_has_no_pdmp_exclusions_and_no_tefca(rulebook_2022):
    params = rulebook_2022.parameters
    assert "params.promoting_interoperability.pdmp_exclusions" not in params
    assert "params.promoting_interoperability.pdmp_points" not in params
    expressions = [e.source for rule in rulebook_2022.rules.values() for e in rule.expressions]
    assert not any("PI_HIE_6" in text or "PI_EP_2_EX" in text for text in expressions)


def test_the_additional_adjustment_output_is_defined(rulebook_2022):
    assert "additional_adjustment_percent" in rulebook_2022.outputs


@pytest.fixture(scope="module")
def diff_2022_2023(run_cli):
    code, out, err = run_cli("diff", "2022", "2023", "--format", "json")
    assert (code, err) == (0, "")
    return {(c["kind"], c["name"]): c for c in json.loads(out)["changes"]}


@pytest.mark.parametrize("kind, name, change, old, new", [
    ("parameter", "params.quality.minimum_points", "changed", 3, 1),
    ("parameter", "params.payment_adjustment.additional_performance_threshold", "removed", 89, None),
    ("rule", "additional_adjustment_percent", "removed", None, None),
    ("parameter", "params.promoting_interoperability.pdmp_bonus_points", "removed", 10, None),
    ("parameter", "params.promoting_interoperability.pdmp_points", "added", None, 10),
    ("parameter", "params.promoting_interoperability.referral_loops_points", "changed", 20, 15),
    ("parameter", "params.promoting_interoperability.hie_alternative_points", "changed", 40, 30),
    ("parameter", "params.promoting_interoperability.patient_access_points", "changed", 40, 25),
    ("parameter", "params.promoting_interoperability.public_health_points", "changed", 10, 25),
    ("parameter", "params.quality.no_benchmark_points", "removed", 3, None),
    ("parameter", "params.quality.unscored_points", "added", None, 0),
    ("case input entity_types", "subgroup", "added", None, None),
])
def test_diff_2022_2023_shows_the_real_changes(diff_2022_2023, kind, name, change, old, new):
    found = diff_2022_2023[(kind, name)]
    assert found["change"] == change
    if old is not None:
        assert D(str(found["old"]["value"] if isinstance(found["old"], dict) else found["old"])) == D(old)
    if new is not None:
        assert D(str(found["new"]["value"] if isinstance(found["new"], dict) else found["new"])) == D(new)


@pytest.mark.parametrize("name", ["params.quality.data_completeness_percent", "params.program.performance_threshold",
                                  "params.bonuses.complex_patient_max", "params.improvement_activities.high_points"])
def test_diff_2022_2023_keeps_what_did_not_change(diff_2022_2023, name):
    found = diff_2022_2023.get(("parameter", name))
    assert found is None or "value" not in found.get("fields", [])

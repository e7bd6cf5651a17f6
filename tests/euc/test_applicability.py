"""Whether the automatic policy applies to an entity type at a place, and why not."""

from __future__ import annotations

import pytest

from engine.errors import MipsError
from engine.euc import applicability, covering_events


def kerr_2025():
    return covering_events(2025, state="TX", county="Kerr")


def test_individual_versus_group_in_the_same_county():
    individual = applicability(2025, "individual", kerr_2025())
    group = applicability(2025, "group", kerr_2025())
    assert (individual.applies, individual.basis) == (True, "automatic")
    assert (group.applies, group.basis) == (False, "application")
    assert individual.parameter.name == "params.euc.automatic_entity_types"
    assert group.parameter.name == "params.euc.application_entity_types"
    assert group.to_data()["events"] == ["texas_flooding_2025"]
    assert group.to_data()["automatic_entity_types"] == ["individual"]
    assert group.parameter.status == "unconfirmed" and group.parameter.source.startswith("aapmr-2022-kentucky-euc (2022)")


@pytest.mark.parametrize("entity_type", ["virtual_group", "apm_entity"])
def test_other_entities_need_an_application(entity_type):
    result = applicability(2024, entity_type, covering_events(2024, state="NC", county="Buncombe"))
    assert (result.applies, result.basis) == (False, "application")
    assert result.parameter.status == "secondary"


def test_a_subgroup_inherits_its_groups_reweighting():
    result = applicability(2026, "subgroup", covering_events(2026, state="HI", county="Hawaii"))
    assert (result.applies, result.basis) == (False, "inherits")
    assert result.parameter.name == "params.euc.inherited_entity_types"
    assert (result.parameter.source, result.parameter.status) == (
        "qpp-2026-notices (subgroups inherit the affiliated group's reweighting)", "confirmed")


def test_no_subgroups_in_2022():
    with pytest.raises(MipsError) as error:
        applicability(2022, "subgroup", covering_events(2022, state="KY", county="Perry"))
    assert error.value.render() == ("unknown entity type 'subgroup' for performance year 2022; entity types: "
                                    "individual, group, virtual_group, apm_entity")


def test_not_covered_and_county_needed():
    assert applicability(2023, "individual", covering_events(2023, state="TX", county="Kerr")).basis == "not_covered"
    partial = applicability(2025, "individual", covering_events(2025, state="TX"))
    assert (partial.applies, partial.basis) == (None, "county_needed")


def test_place_must_be_of_the_same_year():
    with pytest.raises(MipsError, match="looked up for 2025, not 2024"):
        applicability(2024, "individual", kerr_2025())


def test_2023_parameters_extend_the_existing_file():
    result = applicability(2023, "group", covering_events(2023, state="MS", county="Panola"))
    assert (result.applies, str(result.parameter.origin)) == (False, "rulebooks/2023/parameters/euc.yaml:11")

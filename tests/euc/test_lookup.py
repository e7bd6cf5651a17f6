"""Which events cover a place: by ZIP (real crosswalk rows), by state and county, and by state alone."""

from __future__ import annotations

import pytest

from engine.errors import MipsError
from engine.euc import covering_events, euc_years

CMS_2025 = ("cms-qpp-eu-data staging/2025/euc_counties.csv, data/2025/euc_county_zipcode_crosswalk.csv at "
            "commit 017e0d2076b0")


def places(coverage) -> list[tuple[str, str | None, bool | None, list[str]]]:
    return [(a.state, a.county, a.covered, [c.event.id for c in a.covers]) for a in coverage.answers]


def test_zip_inside_a_designated_county():
    coverage = covering_events(2025, zip="78028")  # crosswalk row TX,kerr,78028
    assert coverage.covered is True
    assert places(coverage) == [("TX", "Kerr", True, ["texas_flooding_2025"])]
    assert (coverage.cited.source, coverage.cited.status) == (CMS_2025, "confirmed")
    [cover] = coverage.answers[0].covers
    assert cover.event.source.startswith("texmed-2025-floods") and cover.event.status == "confirmed"
    assert cover.assignment.status == "confirmed"


def test_zip_in_several_designated_counties_returns_each():
    coverage = covering_events(2025, zip="78624")
    assert [(s, c) for s, c, _, _ in places(coverage)] == [("TX", "Kendall"), ("TX", "Kerr"), ("TX", "Llano"),
                                                          ("TX", "Mason")]
    assert all(covered for _, _, covered, _ in places(coverage))


def test_zip_outside_every_designated_county():
    coverage = covering_events(2025, zip="78201")  # San Antonio, Bexar County: not in the 2025 list
    assert coverage.covered is False and coverage.answers == ()
    assert (coverage.cited.source, coverage.cited.status) == (CMS_2025, "confirmed")


def test_zip_with_leading_zero_and_crosswalk_spelling_matched_to_cms_name():
    assert places(covering_events(2022, zip="00601")) == [("PR", "Adjuntas", True, ["hurricane_fiona_puerto_rico_2022"]),
                                                         ("PR", "Ponce", True, ["hurricane_fiona_puerto_rico_2022"])]
    # the crosswalk spells Hillsborough 'hills'; places.csv carries the staging name
    hills = covering_events(2024, zip="33503")
    assert places(hills) == [("FL", "Hillsborough", True,
                              ["hurricane_debby_2024", "hurricane_helene_2024", "hurricane_milton_2024"])]


@pytest.mark.parametrize("state,county,expected", [
    ("TX", "Kerr", "Kerr"), ("tx", "KERR COUNTY", "Kerr"), ("TX", " kerr county ", "Kerr"),
])
def test_county_names_match_regardless_of_case_and_county_suffix(state, county, expected):
    assert places(covering_events(2025, state=state, county=county)) == [
        ("TX", expected, True, ["texas_flooding_2025"])]


def test_parish_suffix_and_punctuation():
    assert places(covering_events(2024, state="LA", county="St Tammany"))[0][:3] == ("LA", "St. Tammany parish", True)
    assert places(covering_events(2024, state="LA", county="st. tammany parish"))[0][2] is True
    assert places(covering_events(2023, state="FL", county="St Johns County"))[0][:3] == ("FL", "St. Johns", True)


def test_florida_2024_counties_go_to_all_three_hurricanes_unconfirmed():
    [answer] = covering_events(2024, state="FL", county="Pinellas").answers
    assert [c.event.id for c in answer.covers] == ["hurricane_debby_2024", "hurricane_helene_2024",
                                                   "hurricane_milton_2024"]
    assert {c.assignment.status for c in answer.covers} == {"unconfirmed"}
    assert answer.covers[0].event.declarations == ("FEMA DR-4806-FL",)
    assert answer.cited.status == "confirmed"  # the county is covered for certain; only the event is not


def test_data_is_authority_for_places_beyond_the_named_events():
    [uvalde] = covering_events(2025, state="TX", county="Uvalde").answers
    assert uvalde.covered and uvalde.covers[0].assignment.status == "unconfirmed"


def test_2022_events_are_the_ones_cms_names_with_all_their_counties():
    """CMS's 2022 automatic EUC document names five events and lists the counties of each (Appendix B)."""
    [first] = covering_events(2022, state="KY", county="Breathitt").answers
    [later] = covering_events(2022, state="KY", county="Casey").answers  # not in the August 2022 notice
    for answer in (first, later):
        assert answer.covered
        assert answer.covers[0].event.id == "kentucky_flooding_2022"
        assert answer.covers[0].assignment.status == "confirmed"
    [nm] = covering_events(2022, state="NM", county="Los Alamos").answers
    assert nm.covers[0].event.id == "new_mexico_wildfires_2022" and nm.covers[0].event.status == "confirmed"
    [fl] = covering_events(2022, state="FL", county="Lee").answers
    assert fl.covers[0].event.id == "hurricane_ian_florida_2022"
    [pr] = covering_events(2022, state="PR").answers
    assert pr.covers[0].event.id == "hurricane_fiona_puerto_rico_2022"


def test_a_year_with_no_event_for_the_place():
    assert places(covering_events(2023, state="TX", county="Kerr")) == [("TX", "Kerr", False, [])]
    assert places(covering_events(2022, state="OH")) == [("OH", None, False, [])]


def test_a_county_not_in_the_states_list_is_simply_not_covered():
    assert places(covering_events(2025, state="TX", county="Nowhere")) == [("TX", "Nowhere", False, [])]


def test_state_alone_with_some_counties_designated_needs_a_county():
    coverage = covering_events(2025, state="TX")
    assert coverage.covered is None
    assert len(coverage.answers[0].designated_counties) == 22


def test_2026_hawaii_and_northern_mariana_islands_by_state_and_county():
    [maui] = covering_events(2026, state="HI", county="Maui").answers
    assert maui.covered is True and maui.state_name == "Hawaii"
    assert [c.event.id for c in maui.covers] == ["hawaii_kona_low_2026"]
    assert maui.covers[0].event.declarations == ("FEMA DR-4909-HI",)
    assert maui.covers[0].assignment.whole_state and maui.cited.status == "unconfirmed"
    [saipan] = covering_events(2026, state="MP", county="Saipan").answers
    assert [c.event.id for c in saipan.covers] == ["cnmi_super_typhoon_sinlaku_2026"]
    assert covering_events(2026, state="MP").covered is True
    [kerr] = covering_events(2026, state="TX", county="Kerr").answers
    assert kerr.covered is False and kerr.cited.source.startswith("qpp-2026-notices") and kerr.cited.status == "unconfirmed"


def test_2026_has_no_zip_list():
    with pytest.raises(MipsError) as error:
        covering_events(2026, zip="96793")
    assert error.value.render() == ("performance year 2026 has no ZIP code list (CMS has published no county-ZIP "
                                    "crosswalk for it); a ZIP code cannot be resolved: give --state and --county instead")


@pytest.mark.parametrize("kwargs,message", [
    ({"zip": "7802"}, "ZIP code '7802' must be exactly 5 digits"),
    ({"zip": "78028-1234"}, "ZIP code '78028-1234' must be exactly 5 digits"),
    ({"state": "ZZ", "county": "Kerr"}, "unknown state 'ZZ'; give a two-letter state or territory code such as TX, "
                                        "HI or MP"),
    ({"zip": "78028", "state": "TX"}, "give either a ZIP code or a state (and county), not both"),
    ({}, "give a ZIP code, or a state (and a county)"),
    ({"state": "TX", "county": " "}, "county name ' ' is empty"),
])
def test_bad_queries(kwargs, message):
    with pytest.raises(MipsError) as error:
        covering_events(2025, **kwargs)
    assert error.value.render() == message


def test_unknown_year():
    with pytest.raises(MipsError) as error:
        covering_events(2021, zip="78028")
    assert error.value.render() == ("no automatic EUC data for performance year 2021; years with EUC data: "
                                    + ", ".join(str(year) for year in euc_years()))


def test_every_answer_carries_source_and_status():
    for year, query in [(2022, {"zip": "41339"}), (2023, {"state": "GU", "county": "Dededo"}),
                        (2024, {"state": "CA", "county": "Los Angeles"}), (2026, {"state": "HI"})]:
        data = covering_events(year, **query).to_data()
        assert data["place_data"]["source"] and data["place_data"]["status"]
        for place in data["places"]:
            assert place["place_data"]["status"] in {"confirmed", "secondary", "derived", "unconfirmed"}
            for event in place["events"]:
                assert event["source"] and event["status"] and event["assignment"]["source"]
                assert event["assignment"]["status"]

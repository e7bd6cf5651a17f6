"""`mips euc` as a user runs it."""

from __future__ import annotations

import json


def test_euc_by_zip_names_the_event_and_the_source(run_cli):
    code, out, err = run_cli("euc", "--year", "2025", "--zip", "78028")
    assert code == 0, err
    assert out.startswith("Automatic EUC, performance year 2025: ZIP code 78028\n"
                          "ZIP code 78028 lies in 1 designated county of CMS's list.")
    assert "\nKerr, TX (Texas): COVERED\n  Event: Texas severe storms and flooding (July 2025) [texas_flooding_2025]\n" in out
    assert ("  Coverage data: source: CMSgov/qpp-eu-data: counties designated under the automatic extreme and "
            "uncontrollable circumstances policy, and their ZIP code crosswalk, staging/2025/euc_counties.csv") in out
    assert "<https://github.com/CMSgov/qpp-eu-data>; status: confirmed" in out
    assert "Entity type individual: the automatic EUC policy APPLIES" in out
    assert "Entity type group: the automatic EUC policy does NOT apply" in out
    assert "Entity type subgroup: the automatic EUC policy does NOT apply" in out


def test_euc_by_state_and_county_for_an_individual_and_a_group(run_cli):
    code, out, _ = run_cli("euc", "--year", "2025", "--state", "TX", "--county", "Kerr", "--entity-type", "individual")
    assert code == 0 and "Entity type individual: the automatic EUC policy APPLIES" in out
    code, out, _ = run_cli("euc", "--year", "2025", "--state", "TX", "--county", "Kerr", "--entity-type", "group")
    assert code == 0 and "Entity type group: the automatic EUC policy does NOT apply" in out
    assert "the participation option group needs an EUC exception application instead" in out


def test_euc_json(run_cli):
    code, out, err = run_cli("euc", "--year", "2026", "--state", "MP", "--county", "Tinian", "--entity-type",
                             "subgroup", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["coverage"]["covered"] is True
    assert data["coverage"]["places"][0]["events"][0]["declarations"] == ["FEMA DR-4910-MP"]
    assert [a["basis"] for a in data["applicability"]] == ["inherits"]


def test_euc_errors(run_cli):
    for args, message in [
        (("--year", "2026", "--zip", "96793"), "error: performance year 2026 has no ZIP code list"),
        (("--year", "2025", "--zip", "123"), "error: ZIP code '123' must be exactly 5 digits"),
        (("--year", "2025", "--state", "XX", "--county", "Kerr"), "error: unknown state 'XX'"),
        (("--year", "2025", "--county", "Kerr"), "error: --county needs --state"),
        (("--year", "2019", "--state", "TX"), "error: no automatic EUC data for performance year 2019"),
        (("--year", "2025", "--state", "TX", "--county", "Kerr", "--entity-type", "hospital"),
         "error: unknown entity type 'hospital' for performance year 2025"),
    ]:
        code, out, err = run_cli("euc", *args)
        assert code == 1 and out == "", args
        assert err.startswith(message) and "Traceback" not in err


def test_misspelled_county_suggests_the_designated_one(run_cli):
    code, out, _ = run_cli("euc", "--year", "2025", "--state", "TX", "--county", "Kerrr")
    assert code == 0
    assert "Kerrr, TX (Texas): NOT COVERED\n  No county of that name is designated in TX for 2025; did you mean Kerr?" in out


def test_state_only_asks_for_the_county_for_every_option(run_cli):
    code, out, _ = run_cli("euc", "--year", "2025", "--state", "TX")
    assert code == 0
    assert out.count("cannot say until the county is known") == 5
    assert "Only some counties of TX are designated: give --county for a verdict." in out

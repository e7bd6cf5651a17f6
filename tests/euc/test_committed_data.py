"""The committed EUC data and calendars of every year load and keep the sourcing rules."""

from __future__ import annotations

import pytest

from engine.api import rulebook_for
from engine.calendar import calendar_years, load_calendar
from engine.euc import euc_years, load_euc_year
from engine.rulebook.registry import available_years

YEARS = euc_years()
STATUSES = {"confirmed", "secondary", "derived", "unconfirmed"}


def test_every_year_has_euc_data_and_a_calendar():
    final = [year for year in available_years() if rulebook_for(str(year)).status == "final"]
    assert final and set(final) <= set(YEARS)
    assert calendar_years() == YEARS


@pytest.mark.parametrize("year", YEARS)
def test_euc_year_loads_with_every_value_cited(year):
    data = load_euc_year(year)
    assert data.year == year and data.events
    for event in data.events:
        assert event.source and event.status in STATUSES
        for assignment in event.assignments:
            assert assignment.source and assignment.status in STATUSES
            if assignment.status == "unconfirmed":
                assert assignment.note, (event.id, assignment.state)
    for parameter in data.parameters.values():
        assert parameter.source and parameter.status in STATUSES
    assert (data.places is None) == (year == 2026)


@pytest.mark.parametrize("year", YEARS)
def test_calendar_loads_with_every_event_cited(year):
    calendar = load_calendar(year)
    assert calendar.year == year and calendar.program_zone == "America/New_York"
    for event in calendar.events:
        assert event.source and event.status in STATUSES
        dated = [m for m in (event.opens, event.closes, event.at) if m is not None and m.date is not None]
        if not dated and not any(m is not None and m.after for m in (event.closes, event.at)):
            assert event.status == "unconfirmed", event.id


def test_counties_counts_match_cms_lists():
    counts = {year: len(load_euc_year(year).places.counties) for year in YEARS[:-1]}
    assert counts == {2022: 220, 2023: 108, 2024: 338, 2025: 23}

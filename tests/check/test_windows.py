"""Registration windows from the program calendar, at their exact minute; a window or rule the sources
do not settle answers "unconfirmed" visibly."""

from __future__ import annotations

from datetime import datetime

import pytest

from engine.api import rulebook_for
from engine.calendar import load_calendar
from engine.explain.render import render_answer
from questions import EASTERN, answer, topic

GROUP_APP = {"entity": "group", "reporting_option": "app", "clinicians": 5, "mips_eligible_clinicians": 5}


@pytest.mark.parametrize("moment, state", [
    (datetime(2024, 3, 31, 23, 59, tzinfo=EASTERN), "not_yet_open"),
    (datetime(2024, 4, 1, 0, 0, tzinfo=EASTERN), "open"),
    (datetime(2024, 7, 1, 23, 59, tzinfo=EASTERN), "open"),     # no time of day published: the whole day
    (datetime(2024, 7, 2, 0, 0, tzinfo=EASTERN), "closed"),
])
def test_2024_cahps_window_opens_and_closes_at_its_exact_minute(moment, state):
    window = topic(answer("registration", 2024, on=moment, **GROUP_APP), "cahps_registration")["window"]
    assert (window["opens"]["date"], window["closes"]["date"], window["state"]) == ("2024-04-01", "2024-07-01", state)


@pytest.mark.parametrize("hour, minute, state", [(19, 59, "open_by_close"), (20, 0, "closed")])
def test_2026_cahps_window_closes_at_8pm_eastern(hour, minute, state):
    moment = datetime(2026, 6, 30, hour, minute, tzinfo=EASTERN)
    window = topic(answer("registration", 2026, on=moment, **GROUP_APP), "cahps_registration")["window"]
    assert window["state"] == state
    assert window.get("closes_in", {}).get("text") == ("1 minute" if minute else None)


def test_a_moment_in_another_offset_is_the_same_instant():
    moment = datetime.fromisoformat("2026-07-01T00:00:00+00:00")   # 20:00 EDT on June 30
    assert topic(answer("registration", 2026, on=moment, **GROUP_APP), "cahps_registration")["window"]["state"] == "closed"


@pytest.mark.parametrize("year", [2023, 2025])
def test_a_year_whose_mvp_window_is_not_recorded_answers_unconfirmed(year):
    ans = answer("registration", year, entity="individual", mvp="G0053")
    window = topic(ans, "mvp_registration")["window"]
    assert (window["state"], window["status"]) == ("unknown", "unconfirmed")
    assert ("calendar event", "mvp_registration") in {(u.kind, u.name) for u in ans.unconfirmed}
    text = render_answer(ans, "check.txt.j2")
    assert f'By when: not known. The {year} calendar does not record when "MVP registration" closes' in text
    assert "VALUES NOT YET CONFIRMED" in text and "calendar event mvp_registration" in text


def test_a_rule_the_sources_do_not_settle_for_the_year_is_listed_as_unconfirmed():
    ans = answer("registration", 2025, entity="subgroup", mvp="M1423", clinicians=5, cahps=True)
    assert ("rule", "cahps_registration.todo.subgroup_via_service_center") in {(u.kind, u.name) for u in ans.unconfirmed}
    confirmed = answer("registration", 2026, entity="subgroup", mvp="M1423", clinicians=5, cahps=True)
    assert not any(u.name == "cahps_registration.todo.subgroup_via_service_center" for u in confirmed.unconfirmed)


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026])
def test_every_window_a_rule_names_is_an_event_of_the_years_calendar(year):
    events = {event.id for event in load_calendar(year).events}
    book = rulebook_for(str(year))
    named = {p.value for name, p in book.parameters.items() if name.endswith(".window_event")}
    assert named and named <= events

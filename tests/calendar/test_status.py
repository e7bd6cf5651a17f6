"""What is open when: exact minutes in Eastern time on both sides of daylight saving, extensions, relative deadlines."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from engine.calendar import (calendar_years, classify, load_calendar, load_calendar_file, load_calendars, read_moment,
                             status_on)
from engine.errors import MipsError

ROOT = Path(__file__).resolve().parents[2] / "rulebooks"
ET = ZoneInfo("America/New_York")
UTC = timezone.utc


def ids(entries) -> list[tuple[int, str]]:
    return [(entry.event.year, entry.event.id) for entry in entries]


def at(*parts: int, tz=UTC) -> datetime:
    return datetime(*parts, tzinfo=tz)


def test_2026_11_22_shows_mvp_registration_open_until_2026_11_30_at_20_00_eastern():
    status = status_on(read_moment("2026-11-22", "America/New_York"))
    assert status.moment == at(2026, 11, 22, tz=ET)
    assert ids(status.open) == [(2026, "mvp_registration")]
    entry = status.open[0]
    assert entry.instant == at(2026, 11, 30, 20, 0, tz=ET)
    assert entry.instant.utcoffset().total_seconds() == -5 * 3600  # EST
    assert entry.closes_soon and not entry.opening_recorded
    data = entry.to_data()
    assert data["closes"]["instant"] == "2026-11-30T20:00:00-05:00"
    assert data["closes"]["zone"] == "America/New_York" and data["closes"]["zone_abbreviation"] == "EST"
    assert data["distance"]["text"] == "8 days 20 hours"
    assert data["source"].startswith("qpp-2026-notices") and data["status"] == "confirmed"


def test_november_deadline_in_est_one_minute_before_is_open_and_the_exact_minute_is_closed():
    calendars = load_calendars([2026])
    # 20:00 EST on 30 November 2026 is 01:00 UTC on 1 December
    before = classify(at(2026, 12, 1, 0, 59), calendars)
    assert ids(before.open) == [(2026, "mvp_registration")]
    assert before.open[0].distance.total_seconds() == 60
    closed = classify(at(2026, 12, 1, 1, 0), calendars)
    assert ids(closed.open) == []
    assert ids(closed.just_closed) == [(2026, "mvp_registration")]
    # 00:00 UTC would be the close under a fixed UTC-4 reading; in November it is still 19:00 EST and open
    assert ids(classify(at(2026, 12, 1, 0, 0), calendars).open) == [(2026, "mvp_registration")]


def test_march_31_deadline_in_edt_one_minute_before_is_open_and_the_exact_minute_is_closed():
    calendars = load_calendars([2022])
    # PY2022 submission closed 20:00 ET on 31 March 2023 = 20:00 EDT = 00:00 UTC on 1 April
    assert ids(classify(at(2023, 3, 31, 23, 59), calendars).open) == [(2022, "data_submission")]
    closed = classify(at(2023, 4, 1, 0, 0), calendars)
    assert ids(closed.open) == [] and (2022, "data_submission") in ids(closed.just_closed)
    # a fixed UTC-5 reading would keep it open until 01:00 UTC
    assert ids(classify(at(2023, 4, 1, 0, 30), calendars).open) == []


def test_the_same_wall_clock_minute_differs_by_an_hour_across_the_dst_change():
    mvp = next(e for e in load_calendar(2026).events if e.id == "mvp_registration")
    submission = next(e for e in load_calendar(2022).events if e.id == "data_submission")
    assert mvp.end.astimezone(UTC) == at(2026, 12, 1, 1, 0)
    assert submission.end.astimezone(UTC) == at(2023, 4, 1, 0, 0)


def test_central_time_deadline_is_the_same_instant_as_eight_pm_eastern():
    events = {e.id: e for e in load_calendar(2023).events}
    assert events["change_healthcare_euc_applications"].end == events["targeted_review"].end
    assert events["change_healthcare_euc_applications"].end.astimezone(UTC) == at(2024, 10, 12, 0, 0)


def test_py2023_submission_window_closes_on_the_extended_date():
    calendars = load_calendars([2023])
    event = next(e for e in calendars[0].events if e.id == "data_submission")
    assert event.extended_from.instant(end_of_day=True) == at(2024, 4, 1, 20, 0, tz=ET)
    # after the original close, before the extended one: still open
    after_original = classify(at(2024, 4, 1, 20, 0, tz=ET), calendars)
    assert ids(after_original.open) == [(2023, "data_submission")]
    assert ids(classify(at(2024, 4, 15, 19, 59, tz=ET), calendars).open) == [(2023, "data_submission")]
    closed = classify(at(2024, 4, 15, 20, 0, tz=ET), calendars)
    assert ids(closed.open) == [] and ids(closed.just_closed) == [(2023, "data_submission")]


def test_py2024_targeted_review_resolves_to_30_days_after_the_payment_adjustment_release():
    event = next(e for e in load_calendar(2024).events if e.id == "targeted_review")
    assert (event.at.after, event.at.days) == ("payment_adjustment_release", 30)
    assert event.end == at(2025, 11, 14, 20, 0, tz=ET)
    calendars = load_calendars([2024])
    assert ids(classify(at(2025, 11, 14, 19, 59, tz=ET), calendars).closing_soon) == [(2024, "targeted_review")]
    assert ids(classify(at(2025, 11, 14, 20, 0, tz=ET), calendars).just_closed) == [(2024, "targeted_review")]
    released = classify(at(2025, 10, 20, tz=ET), calendars)
    assert ids(released.just_released) == [(2024, "payment_adjustment_release")]


def test_relative_deadline_waits_until_the_release_date_is_recorded():
    status = classify(at(2026, 11, 22, tz=ET), load_calendars([2025, 2026]))
    assert [(e.year, e.id) for e in status.waiting] == [(2025, "targeted_review"), (2026, "targeted_review")]


def test_events_without_a_recorded_date_are_listed_as_undated():
    status = classify(at(2026, 11, 22, tz=ET), load_calendars([2026]))
    assert [(e.year, e.id) for e in status.undated] == [(2026, "virtual_group_election"),
                                                        (2026, "euc_and_pi_hardship_applications")]
    assert all(e.status == "unconfirmed" for e in status.undated)


def test_relative_deadline_resolves_once_the_release_date_is_recorded(tmp_path):
    source = (ROOT / "2025" / "calendar.yaml").read_text(encoding="utf-8")
    dated = source.replace("""  payment_adjustment_release:
    name: 2027 payment adjustment information released
    kind: release
    at: {date: unknown,""", """  payment_adjustment_release:
    name: 2027 payment adjustment information released
    kind: release
    at: {date: 2026-10-15,""")
    assert dated != source
    folder = tmp_path / "2025"
    folder.mkdir()
    (folder / "calendar.yaml").write_text(dated)
    review = next(e for e in load_calendar_file(folder / "calendar.yaml").events if e.id == "targeted_review")
    assert review.at.date.isoformat() == "2026-11-14" and review.at.time is None
    # time unknown: the deadline runs to the end of that day
    assert review.end == at(2026, 11, 15, tz=ET)


def test_unknown_time_counts_from_the_start_and_to_the_end_of_the_day():
    calendars = load_calendars([2024])
    # PY2024 CAHPS registration: 1 April - 1 July 2024, times not published
    assert (2024, "cahps_registration") in ids(classify(at(2024, 3, 31, 23, 59, tz=ET), calendars).opening_soon)
    assert (2024, "cahps_registration") in ids(classify(at(2024, 4, 1, 0, 0, tz=ET), calendars).open)
    assert (2024, "cahps_registration") in ids(classify(at(2024, 7, 1, 23, 59, tz=ET), calendars).open)
    assert (2024, "cahps_registration") in ids(classify(at(2024, 7, 2, 0, 0, tz=ET), calendars).just_closed)


def test_extended_submission_window_closes_at_its_published_time():
    calendars = load_calendars([2024])
    # PY2024 submission: extended from 31 March to 14 April 2025, 8 p.m. ET (CMS listserv of 14 April 2025)
    assert (2024, "data_submission") in ids(classify(at(2025, 4, 1, 0, 0, tz=ET), calendars).open)
    assert (2024, "data_submission") in ids(classify(at(2025, 4, 14, 19, 59, tz=ET), calendars).open)
    assert (2024, "data_submission") in ids(classify(at(2025, 4, 14, 20, 0, tz=ET), calendars).just_closed)


def test_window_with_unrecorded_opening_is_open_only_once_its_close_is_near():
    calendars = load_calendars([2026])
    assert ids(classify(at(2026, 9, 1, tz=ET), calendars).open) == []
    assert ids(classify(at(2026, 11, 1, tz=ET), calendars).open) == [(2026, "mvp_registration")]


def test_lists_are_sorted_by_instant_and_every_entry_is_cited():
    status = status_on(at(2024, 6, 20, tz=ET))
    for name in ("open", "closing_soon", "just_closed", "opening_soon", "just_released"):
        entries = getattr(status, name)
        assert [e.instant for e in entries] == sorted(e.instant for e in entries)
        for entry in entries:
            assert entry.event.source and entry.event.status in {"confirmed", "secondary", "derived", "unconfirmed"}
    assert ids(status.open) == [(2024, "cahps_registration"), (2024, "mvp_registration")]
    assert ids(status.closing_soon) == [(2024, "pi_performance_period_last_start")]


def test_read_moment_accepts_a_date_or_an_offset_date_time_and_nothing_else():
    assert read_moment("2026-11-22", "America/New_York") == at(2026, 11, 22, tz=ET)
    assert read_moment("2026-11-22T14:30-05:00", "America/New_York") == at(2026, 11, 22, 19, 30)
    assert read_moment("2026-11-22T19:30Z", "America/New_York") == at(2026, 11, 22, 19, 30)
    with pytest.raises(MipsError, match="has no UTC offset"):
        read_moment("2026-11-22T14:30", "America/New_York")
    with pytest.raises(MipsError, match="neither a date"):
        read_moment("22/11/2026", "America/New_York")


def test_unknown_year_names_the_years_that_have_a_calendar():
    with pytest.raises(MipsError) as error:
        load_calendar(2019)
    assert error.value.render() == ("no program calendar for performance year 2019; years with a calendar: "
                                    + ", ".join(str(year) for year in calendar_years()))


def test_status_on_needs_an_aware_moment():
    with pytest.raises(MipsError, match="time zone"):
        status_on(datetime(2026, 11, 22))

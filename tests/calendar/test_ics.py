"""The iCalendar export parses back, keeps RFC 5545's line rules, and is byte-identical across runs."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from engine.calendar import build_ics, load_calendars, write_ics
from engine.calendar.ics import escape, fold
from engine.errors import MipsError


def unfold(data: bytes) -> list[str]:
    """Content lines: CRLF-separated, a line starting with a space continues the previous one."""
    assert data.endswith(b"\r\n")
    physical = data[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in physical)
    lines: list[bytes] = []
    for line in physical:
        if line.startswith(b" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return [line.decode("utf-8") for line in lines]


def parse(data: bytes) -> dict:
    """A tiny parser: a tree of components, each a list of (name, params, value) properties."""
    stack = [{"name": "ROOT", "properties": [], "children": []}]
    for line in unfold(data):
        head, _, value = line.partition(":")
        name, *params = head.split(";")
        if name == "BEGIN":
            component = {"name": value, "properties": [], "children": []}
            stack[-1]["children"].append(component)
            stack.append(component)
        elif name == "END":
            assert stack.pop()["name"] == value
        else:
            stack[-1]["properties"].append((name, dict(p.split("=", 1) for p in params), value))
    assert len(stack) == 1
    [calendar] = stack[0]["children"]
    return calendar


def prop(component: dict, name: str) -> tuple[dict, str]:
    [(params, value)] = [(p, v) for n, p, v in component["properties"] if n == name]
    return params, value


def unescape(value: str) -> str:
    return value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


@pytest.fixture(scope="module")
def all_years() -> bytes:
    return build_ics(load_calendars()).data


def events_of(calendar: dict) -> dict[str, dict]:
    return {prop(e, "UID")[1]: e for e in calendar["children"] if e["name"] == "VEVENT"}


def test_file_is_byte_identical_across_runs(tmp_path):
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    write_ics(first, load_calendars([2026]))
    write_ics(second, load_calendars([2026]))
    write_ics(first, load_calendars([2026]))
    assert first.read_bytes() == second.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.ics", "b.ics"]  # no temporary files left behind


def test_lines_are_crlf_and_at_most_75_octets(all_years):
    for line in all_years.split(b"\r\n"):
        assert len(line) <= 75


def test_fold_never_splits_a_utf8_character():
    folded = fold("DESCRIPTION:" + "é" * 100)
    parts = folded.split(b"\r\n")
    assert all(len(p) <= 75 for p in parts)
    for part in parts:
        part.decode("utf-8")  # each physical line is valid UTF-8 on its own
    assert unfold(folded) == ["DESCRIPTION:" + "é" * 100]


def test_escape_text_values():
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_calendar_parses_back_with_required_properties(all_years):
    calendar = parse(all_years)
    assert calendar["name"] == "VCALENDAR"
    assert prop(calendar, "VERSION")[1] == "2.0"
    assert prop(calendar, "PRODID")[1] == "-//mips-rulebook-engine//program calendar//EN"
    events = events_of(calendar)
    assert len(events) == len([e for e in calendar["children"] if e["name"] == "VEVENT"])  # UIDs unique
    for uid, event in events.items():
        assert uid.endswith("@mips-rulebook-engine")
        assert prop(event, "DTSTAMP")[1] == "20261123T000000Z"
        assert prop(event, "DTSTART")
        assert "source: " in unescape(prop(event, "DESCRIPTION")[1])


def test_mvp_registration_2026_closes_at_20_00_new_york(all_years):
    event = events_of(parse(all_years))["py2026-mvp-registration@mips-rulebook-engine"]
    assert prop(event, "DTSTART") == ({"TZID": "America/New_York"}, "20261130T200000")
    assert prop(event, "SUMMARY")[1] == "PY2026: MVP registration (closes)"
    assert prop(event, "STATUS")[1] == "CONFIRMED"
    description = unescape(prop(event, "DESCRIPTION")[1])
    assert "Closes: Mon 2026-11-30 20:00 EST (America/New_York)" in description
    assert "(2026 MVP registration, 'until Nov 30, 2026 8 pm ET') <https://qpp.cms.gov/>" in description


def test_windows_deadlines_and_all_day_events(all_years):
    events = events_of(parse(all_years))
    extended = events["py2023-data-submission@mips-rulebook-engine"]
    assert prop(extended, "DTSTART") == ({"TZID": "America/New_York"}, "20240102T000000")
    assert prop(extended, "DTEND") == ({"TZID": "America/New_York"}, "20240415T200000")
    all_day = events["py2026-data-submission@mips-rulebook-engine"]
    assert prop(all_day, "DTSTART") == ({"VALUE": "DATE"}, "20270104")
    assert prop(all_day, "DTEND") == ({"VALUE": "DATE"}, "20270401")
    review = events["py2024-targeted-review@mips-rulebook-engine"]
    assert prop(review, "DTSTART") == ({"TZID": "America/New_York"}, "20251114T200000")
    chicago = events["py2023-change-healthcare-euc-applications@mips-rulebook-engine"]
    assert prop(chicago, "DTSTART") == ({"TZID": "America/Chicago"}, "20241011T190000")
    assert prop(events["py2025-data-submission@mips-rulebook-engine"], "STATUS")[1] == "TENTATIVE"


def test_undated_events_are_left_out_and_reported():
    result = build_ics(load_calendars([2026]))
    assert [e.id for e in result.written] == ["cahps_registration", "mvp_registration", "data_submission"]
    assert [e.id for e in result.skipped] == ["virtual_group_election", "euc_and_pi_hardship_applications",
                                              "payment_adjustment_release", "targeted_review"]


def _offset_from_vtimezone(timezone: dict, local: datetime) -> timedelta:
    """The UTC offset the file's own VTIMEZONE gives a local time: the latest onset not after it."""
    onsets = []
    for observance in timezone["children"]:
        start = datetime.strptime(prop(observance, "DTSTART")[1], "%Y%m%dT%H%M%S")
        text = prop(observance, "TZOFFSETTO")[1]
        sign = -1 if text[0] == "-" else 1
        onsets.append((start, sign * timedelta(hours=int(text[1:3]), minutes=int(text[3:5]))))
    earlier = [o for o in onsets if o[0] <= local]
    assert earlier, f"{local} is before the first observance"
    return max(earlier)[1]


def test_every_tzid_has_a_vtimezone_that_agrees_with_the_zone_data(all_years):
    calendar = parse(all_years)
    zones = {prop(c, "TZID")[1]: c for c in calendar["children"] if c["name"] == "VTIMEZONE"}
    checked = 0
    for event in events_of(calendar).values():
        for name in ("DTSTART", "DTEND"):
            found = [(p, v) for n, p, v in event["properties"] if n == name and "TZID" in p]
            for params, value in found:
                local = datetime.strptime(value, "%Y%m%dT%H%M%S")
                expected = local.replace(tzinfo=ZoneInfo(params["TZID"])).utcoffset()
                assert _offset_from_vtimezone(zones[params["TZID"]], local) == expected
                checked += 1
    assert set(zones) == {"America/Chicago", "America/New_York"}
    assert checked >= 8


def test_a_failed_write_leaves_the_old_file_untouched(tmp_path, monkeypatch):
    target = tmp_path / "calendar.ics"
    target.write_bytes(b"old")

    def fail(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(MipsError, match="cannot write the file: disk full; nothing was written"):
        write_ics(target, load_calendars([2026]))
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["calendar.ics"]

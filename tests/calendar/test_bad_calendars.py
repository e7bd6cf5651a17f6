"""Bad calendar files: every problem at once, each with file, line, key and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.calendar import load_calendar_file
from engine.errors import MipsError

BASE = """\
description: test calendar
year: 2024
reviewed: 2026-11-23
program_time_zone: {zone: America/New_York, source: qpp-2026-notices, status: confirmed}
events:
  submission:
    name: Data submission window
    kind: window
    opens: {date: 2025-01-02, time: unknown, zone: America/New_York}
    closes: {date: 2025-03-31, time: "20:00", zone: America/New_York}
    source: qpp-2026-notices
    status: confirmed
  release:
    name: Payment adjustments released
    kind: release
    at: {date: unknown, time: unknown, zone: America/New_York}
    source: qpp-2026-notices
    status: unconfirmed
"""


def problems(tmp_path: Path, text: str, folder: str = "2024") -> list[tuple[int | None, str, str]]:
    path = tmp_path / folder / "calendar.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MipsError) as error:
        load_calendar_file(path)
    for problem in error.value.problems:
        assert problem.file == str(path)
    return [(p.line, p.path, p.message) for p in error.value.problems]


def test_the_base_calendar_is_valid(tmp_path):
    path = tmp_path / "2024" / "calendar.yaml"
    path.parent.mkdir()
    path.write_text(BASE, encoding="utf-8")
    calendar = load_calendar_file(path)
    assert [e.id for e in calendar.events] == ["submission", "release"]


def test_unknown_key(tmp_path):
    text = BASE.replace("    status: confirmed\n  release:", "    status: confirmed\n    colour: red\n  release:")
    assert problems(tmp_path, text) == [(13, "events.submission.colour", "unknown key 'colour'; allowed keys here: "
                                         "source, status, note, name, kind, opens, closes, extended_from, at")]


def test_bad_time_zone(tmp_path):
    text = BASE.replace('time: "20:00", zone: America/New_York', 'time: "20:00", zone: America/New_Yrok')
    assert problems(tmp_path, text) == [(10, "events.submission.closes.zone",
                                         "unknown time zone 'America/New_Yrok'; use an IANA name such as "
                                         "America/New_York")]


def test_closes_before_opens(tmp_path):
    text = BASE.replace("closes: {date: 2025-03-31", "closes: {date: 2024-12-31")
    assert problems(tmp_path, text) == [(10, "events.submission.closes",
                                         "closes 2024-12-31 20:00 America/New_York is not after opens 2025-01-02 "
                                         "(time unknown) America/New_York; a window must close after it opens")]


def test_unquoted_time_is_read_by_yaml_as_a_number(tmp_path):
    text = BASE.replace('time: "20:00"', "time: 20:00")
    assert problems(tmp_path, text) == [(10, "events.submission.closes.time",
                                         'write the time in quotes, like "20:00" (unquoted, YAML reads 20:00 as a '
                                         "number)")]


def test_every_schema_problem_is_reported_at_once(tmp_path):
    text = (BASE.replace("zone: America/New_York}\n    source: qpp-2026-notices\n    status: confirmed",
                         "zone: Mars/Olympus}\n    source: qpp-2026-notices\n    status: sure")
            .replace("    name: Payment adjustments released\n", ""))
    found = problems(tmp_path, text)
    assert [(line, path) for line, path, _ in found] == [
        (10, "events.submission.closes.zone"), (12, "events.submission.status"), (14, "events.release")]
    assert found[2][2] == "missing required key 'name'"


def test_shape_problems(tmp_path):
    text = BASE.replace("    kind: release\n    at:", "    kind: deadline\n    opens: {date: 2025-01-02, time: "
                        "unknown, zone: America/New_York}\n    at:")
    assert problems(tmp_path, text) == [(16, "events.release.opens", "a deadline has no 'opens'; it takes at")]


def test_relative_moment_must_follow_a_single_event_of_the_calendar(tmp_path):
    text = BASE + """\
  review:
    name: Targeted review closes
    kind: deadline
    at: {after: submission, days: 30, time: unknown, zone: America/New_York}
    source: qpp-2026-notices
    status: confirmed
  appeal:
    name: Appeal closes
    kind: deadline
    at: {after: nothing, time: unknown, zone: America/New_York}
    source: qpp-2026-notices
    status: confirmed
"""
    assert problems(tmp_path, text) == [
        (22, "events.review.at.after", "'submission' is a window; a moment can only follow a deadline or a release "
         "(a single moment)"),
        (28, "events.appeal.at.after", "'nothing' is no other event of this calendar; events: submission, release, "
         "review"),
        (28, "events.appeal.at.after", "a relative moment needs 'days' (how many days after the other event)"),
    ]


def test_relative_moments_must_not_go_round_in_a_circle(tmp_path):
    text = BASE.replace("at: {date: unknown, time: unknown", "at: {after: review, days: 1, time: unknown") + """\
  review:
    name: Targeted review closes
    kind: deadline
    at: {after: release, days: 30, time: unknown, zone: America/New_York}
    source: qpp-2026-notices
    status: confirmed
"""
    found = problems(tmp_path, text)
    assert (16, "events.release.at.after", "relative moments go round in a circle: release -> review -> release") in found
    assert (22, "events.review.at.after", "relative moments go round in a circle: review -> release -> review") in found


def test_date_or_after_is_required(tmp_path):
    text = BASE.replace("at: {date: unknown, time: unknown", "at: {time: unknown")
    assert problems(tmp_path, text) == [(16, "events.release.at", "missing required key 'date' (a date or 'unknown'), "
                                         "or 'after' and 'days' for a moment relative to another event")]


def test_year_must_match_the_folder(tmp_path):
    assert problems(tmp_path, BASE, folder="2025") == [(2, "year", "year 2024 does not match the folder name 2025")]


def test_duplicate_keys_and_yaml_syntax(tmp_path):
    text = BASE.replace("    status: unconfirmed\n", "    status: unconfirmed\n    status: confirmed\n")
    assert problems(tmp_path, text) == [(19, "", "duplicate key 'status' (first defined on line 18); remove one of them")]


def test_extension_must_move_the_close_later(tmp_path):
    text = BASE.replace("    source: qpp-2026-notices\n    status: confirmed\n  release",
                        '    extended_from: {date: 2025-04-15, time: "20:00", zone: America/New_York}\n'
                        "    source: qpp-2026-notices\n    status: confirmed\n  release")
    assert problems(tmp_path, text) == [(11, "events.submission.extended_from",
                                         "the original close 2025-04-15 20:00 America/New_York is not before the "
                                         "extended close 2025-03-31 20:00 America/New_York")]

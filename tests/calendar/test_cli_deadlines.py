"""`mips deadlines` as a user runs it: text, JSON, the .ics file, and errors without tracebacks."""

from __future__ import annotations

import json

from engine.calendar import calendar_years

YEARS = ", ".join(str(year) for year in calendar_years())


def test_deadlines_on_2026_11_22_text(run_cli):
    code, out, err = run_cli("deadlines", "--on", "2026-11-22")
    assert code == 0, err
    assert out.startswith("MIPS program calendar as of 2026-11-22T00:00:00-05:00 (EST), performance years "
                          f"{YEARS}\n")
    open_now = out.split("Open now\n", 1)[1].split("\n\n", 1)[0]
    assert open_now.splitlines()[:3] == [
        "  PY2026 MVP registration",
        "    closes Mon 2026-11-30 20:00 EST (America/New_York)",
        "    time left: 8 days 20 hours, closing soon (opening date not recorded)",
    ]
    assert ("    source: QPP notices of 2026: MVP registration, CAHPS for MIPS registration, 2024 public use file "
            "release, automatic EUC for Hawaii and the Northern Mariana Islands, (2026 MVP registration, 'until Nov 30, "
            "2026 8 pm ET') <https://qpp.cms.gov/>; status: confirmed") in open_now
    assert "Waiting for a date\n  PY2025 Targeted review requests close: date not recorded" in out


def test_deadlines_json_uses_exact_instants(run_cli):
    code, out, err = run_cli("deadlines", "--on", "2026-11-22T12:00:00-05:00", "--format", "json", "--year", "2026")
    assert code == 0, err
    status = json.loads(out)["status"]
    assert status["years"] == [2026]
    [entry] = status["open"]
    assert entry["closes"]["instant"] == "2026-11-30T20:00:00-05:00"
    assert entry["distance"] == {"days": 8, "hours": 8, "minutes": 0, "text": "8 days 8 hours"}
    assert (entry["source"], entry["status"]) == (
        "qpp-2026-notices (2026 MVP registration, 'until Nov 30, 2026 8 pm ET')", "confirmed")


def test_deadlines_ics_is_written_and_identical_across_runs(run_cli, tmp_path):
    target = tmp_path / "mips-2026.ics"
    code, out, err = run_cli("deadlines", "--year", "2026", "--ics", str(target))
    assert code == 0, err
    assert out.startswith(f"Wrote {target}: 3 events of performance year 2026.\nLeft out, no date recorded yet:\n")
    first = target.read_bytes()
    assert first.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert run_cli("deadlines", "--year", "2026", "--ics", str(target))[0] == 0
    assert target.read_bytes() == first


def test_errors_are_messages_not_tracebacks(run_cli):
    for args, message in [
        (("--on", "2026-11-22T10:00"), "error: --on '2026-11-22T10:00' has no UTC offset"),
        (("--on", "tomorrow"), "error: --on 'tomorrow' is neither a date"),
        (("--year", "2019"), f"error: no program calendar for performance year 2019; years with a calendar: {YEARS}"),
    ]:
        code, out, err = run_cli("deadlines", *args)
        assert code == 1 and out == ""
        assert err.startswith(message) and "Traceback" not in err

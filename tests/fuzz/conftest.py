"""Fuzzing settings: a short run in the default suite, a long campaign with `pytest --fuzz-long`."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from tests.fuzz.harness import STATS

settings.register_profile("fuzz-short", max_examples=12, deadline=None, derandomize=True, database=None,
                          suppress_health_check=list(HealthCheck))


def pytest_configure(config: pytest.Config) -> None:
    settings.register_profile("fuzz-long", max_examples=config.getoption("--fuzz-examples"), deadline=None,
                              database=None, suppress_health_check=list(HealthCheck))
    settings.load_profile("fuzz-long" if config.getoption("--fuzz-long") else "fuzz-short")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not STATS or not config.getoption("--fuzz-long"):
        return
    terminalreporter.section("fuzz campaign")
    for kind, counts in sorted(STATS.items()):
        terminalreporter.write_line(f"{kind:12} " + ", ".join(f"{name} {count}" for name, count in sorted(counts.items())))

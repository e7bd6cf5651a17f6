"""Fixtures for the 2023 rulebook tests that score measure records: see tests/year_fixtures.py."""

from year_fixtures import year_fixtures

globals().update(year_fixtures(2023))

"""Fixtures for the 2023 pathway tests: see tests/year_fixtures.py."""

from year_fixtures import year_fixtures

globals().update(year_fixtures(2023))

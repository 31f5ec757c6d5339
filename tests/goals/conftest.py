"""Fixtures for the goal tests: API clients (as in tests/api).
The real Chromium fixtures come from tests/browser_fixtures.py for the whole suite."""

from tests.api.conftest import api_as, api_with_key  # noqa: F401

"""Fixtures for the development plan tests: the API clients of tests/api and the real
Chromium fixtures, shared by the whole suite from tests/browser_fixtures.py."""

from tests.api.conftest import api_as, api_with_key

__all__ = ["api_as", "api_with_key"]

"""Fixtures for the development plan tests: the API clients of tests/api and the real
Chromium of tests/browser (the same fixtures, so both suites drive things the same way)."""

from tests.api.conftest import api_as, api_with_key
from tests.browser.conftest import browser, new_context

__all__ = ["api_as", "api_with_key", "browser", "new_context"]

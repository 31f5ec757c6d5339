"""Fixtures for the goal tests: API clients (as in tests/api) and a real Chromium (as in
tests/browser) for the goal journey."""

from tests.api.conftest import api_as, api_with_key  # noqa: F401
from tests.browser.conftest import browser, new_context  # noqa: F401

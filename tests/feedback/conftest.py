"""Fixtures shared from other test packages: the API clients of tests/api (a person's
session, a system's key) and the real Chromium of tests/browser."""

from tests.api.conftest import api_as, api_with_key
from tests.browser.conftest import browser, new_context

__all__ = ["api_as", "api_with_key", "browser", "new_context"]

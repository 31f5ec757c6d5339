"""Fixtures for the goal tests: API clients (as in tests/api).
The real Chromium fixtures come from tests/browser_fixtures.py for the whole suite."""

from collections.abc import Iterator

import pytest
from django.utils import translation

from tests.api.conftest import api_as, api_with_key  # noqa: F401


@pytest.fixture(autouse=True)
def _default_language_after_each_test() -> Iterator[None]:
    """A page of a German organization leaves German active on the test's thread (the
    language is set per request and never reset): the next test starts in the default."""
    yield
    translation.deactivate()

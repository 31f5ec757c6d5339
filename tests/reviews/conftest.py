"""Fixtures for the review tests: the API clients of tests/api."""

from tests.api.conftest import api_as, api_with_key

__all__ = ["api_as", "api_with_key"]

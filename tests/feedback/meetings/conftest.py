"""The API clients of tests/api (a person's session, an API key) for the 1:1 tests."""

from tests.api.conftest import api_as, api_with_key

__all__ = ["api_as", "api_with_key"]

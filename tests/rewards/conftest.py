"""The API clients of tests/api (a person's session, a system's key) for praise tests."""

from tests.api.conftest import api_as, api_with_key

__all__ = ["api_as", "api_with_key"]

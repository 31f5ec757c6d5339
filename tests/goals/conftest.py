"""API clients for the goal API tests (the same fixtures as tests/api)."""

from tests.api.conftest import api_as, api_with_key  # noqa: F401

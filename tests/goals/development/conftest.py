"""API clients for the development plan tests (the same fixtures as tests/api)."""

from tests.api.conftest import api_as, api_with_key

__all__ = ["api_as", "api_with_key"]

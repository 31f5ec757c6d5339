from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import api_as, api_with_key
from tests.privacy.scenario import read_export, request_export

__all__ = ["api_as", "api_with_key"]  # the fixtures, for test_api.py


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Exports are written to the default storage: a folder of the test's own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def export_of(django_capture_on_commit_callbacks):
    """export_of(requester, person) -> {file name: text} of the ZIP, built by the task that
    the request queues on commit (run eagerly here)."""

    def _export_of(requester, person):
        with django_capture_on_commit_callbacks(execute=True):
            export = request_export(requester, person)
        return read_export(export)

    return _export_of

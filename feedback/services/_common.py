"""Helpers shared by the feedback app's services."""

from __future__ import annotations

from typing import Any

from perfmgmt.errors import DomainError
from perfmgmt.web.links import optional_reverse

MAX_TEXT = 10_000
MAX_ASKED = 20


def _check_length(**texts: str | None) -> None:
    fields = {
        name: [f"Keep it under {MAX_TEXT:,} characters."]
        for name, text in texts.items()
        if text is not None and len(text) > MAX_TEXT
    }
    if fields:
        raise DomainError("Some fields are too long.", fields=fields)


def _url(name: str, **kwargs: Any) -> str:
    return optional_reverse(name, **kwargs)

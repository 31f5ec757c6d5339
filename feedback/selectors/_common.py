"""Helpers shared by the feedback app's selectors."""

from __future__ import annotations

from django.http import Http404


def _as_int(value: int | str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404("Not found.") from None
    if not 0 < number < 2**63:
        raise Http404("Not found.")
    return number

"""Reading object ids from URLs, query strings and forms.

Ids arrive as text. Anything that is not a positive 64-bit number cannot name a row, so it
is answered like a missing object (404), never with a 500 from the database.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

_LARGEST_ID = 2**63 - 1


def object_id(value: Any) -> int:
    """The id in `value`, or Http404 when it cannot be one."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404("Not found.") from None
    if not 0 < number <= _LARGEST_ID:
        raise Http404("Not found.")
    return number


def optional_id(value: str | None) -> int | None:
    """A filter's number from a query string; None when it is empty or not a number.

    Out-of-range numbers are kept: the selector they go to answers them as not found.
    """
    try:
        return int(value) if value else None
    except ValueError:
        return None

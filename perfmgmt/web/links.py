"""Links to pages that may not exist yet.

The shell links to pages built by other parts of the product (people, notifications, API
keys). A link whose URL name does not resolve is left out instead of breaking every page.
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse


def optional_reverse(name: str, *, query: str = "", **kwargs: Any) -> str:
    """The URL for `name`, or "" when it does not resolve."""
    try:
        url = reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""
    return f"{url}?{query}" if query else url

"""Links to pages that may not exist yet.

The shell links to pages built by other parts of the product (people, notifications, API
keys). A link whose URL name does not resolve is left out instead of breaking every page.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from django.urls import (
    NoReverseMatch,
    URLResolver,
    get_resolver,
    get_script_prefix,
    get_urlconf,
    reverse,
)
from django.utils.translation import get_language


def optional_reverse(name: str, *, query: str = "", **kwargs: Any) -> str:
    """The URL for `name`, or "" when it does not resolve."""
    try:
        url = reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""
    return f"{url}?{query}" if query else url


# Stands where the organization's slug goes (the `slug` converter accepts it; no fixed part of
# an address contains it); a slug needs no escaping, so the replaced address is the reversed one.
_SLUG_STAND_IN = "0-org-slug-0"
# Reversed addresses with the stand-in, per URL resolver (a new one, after the URL
# configuration changes, starts empty), script prefix and language.
_templates: WeakKeyDictionary[URLResolver, dict[tuple[str, str, str, bool], str]] = (
    WeakKeyDictionary()
)


def organization_reverse(name: str, *, org_slug: str | None) -> str:
    """`optional_reverse(name, org_slug=org_slug)` (or without a slug when it is None), from a
    remembered reversal: the menu asks for the same two dozen addresses on every page."""
    resolver = get_resolver(get_urlconf())
    known = _templates.setdefault(resolver, {})
    key = (get_script_prefix(), get_language() or "", name, org_slug is not None)
    if key not in known:
        kwargs = {"org_slug": _SLUG_STAND_IN} if org_slug is not None else {}
        known[key] = optional_reverse(name, **kwargs)
    url = known[key]
    return url.replace(_SLUG_STAND_IN, org_slug, 1) if org_slug is not None else url

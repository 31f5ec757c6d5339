"""Where each app's pages are mounted: an extension point filled by every app's `routes.py`.

An app calls `pages("<prefix>", "<app>.urls")` in its `routes` module; perfmgmt/urls.py
discovers those modules and mounts what they registered, in registration order, after the
foundation's own pages. The foundation never names a feature's URL configuration.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, include, path

from perfmgmt.registry import Registry


@dataclass(frozen=True)
class Pages:
    prefix: str
    urlconf: str


_pages: Registry[Pages] = Registry()


def pages(prefix: str, urlconf: str) -> None:
    """Mount `urlconf` at `prefix` (for example "o/<slug:org_slug>/goals/"). Idempotent."""
    _pages.add(Pages(prefix, urlconf))


def page_urlpatterns() -> list[URLPattern | URLResolver]:
    return [path(entry.prefix, include(entry.urlconf)) for entry in _pages]

"""The REST API's resources: an extension point filled by every app's `routes.py`.

An app calls `api_routes("<prefix>", ViewSet, basename="...")` in its `routes` module;
perfmgmt/api/urls.py discovers those modules and registers each view set under
/api/v1/orgs/<org_slug>/, in registration order.
"""

from __future__ import annotations

from dataclasses import dataclass

from rest_framework.viewsets import ViewSetMixin

from perfmgmt.registry import Registry


@dataclass(frozen=True)
class ApiRoute:
    prefix: str
    viewset: type[ViewSetMixin]
    basename: str


_routes: Registry[ApiRoute] = Registry()


def api_routes(prefix: str, viewset: type[ViewSetMixin], *, basename: str) -> None:
    """Serve `viewset` at /api/v1/orgs/<org_slug>/<prefix>/. Idempotent."""
    _routes.add(ApiRoute(prefix, viewset, basename))


def registered() -> list[ApiRoute]:
    return list(_routes)

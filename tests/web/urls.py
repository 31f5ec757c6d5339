"""The project's URLs, plus placeholders for contract pages that are not installed.

The shell links to pages other parts of the product build (people, notifications, API keys,
API docs), under URL names fixed by the shared contract. While a namespace is missing from
the project, a placeholder stands in so the shell's role rules can still be tested; once the
real pages exist, they are used and the placeholders are not added.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, include, path

from perfmgmt import urls as project


def _placeholder(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse("placeholder")


_ORG_CONTRACT = {
    "people": [
        ("directory", ""),
        ("profile", "<int:member_id>/"),
        ("invite", "invite/"),
        ("org_chart", "org-chart/"),
        ("teams", "teams/"),
        ("audit", "audit/"),
    ],
    "notifications": [("inbox", ""), ("badge", "badge/")],
    "api_credentials": [("list", "")],
}
_GLOBAL_CONTRACT = {"api": [("docs", "docs/")]}

_installed = get_resolver(project.__name__).namespace_dict


def _placeholders(namespace: str, routes: list[tuple[str, str]], prefix: str) -> URLResolver:
    patterns = [path(route, _placeholder, name=name) for name, route in routes]
    return path(f"{prefix}_{namespace}/", include((patterns, namespace)))


urlpatterns: list[URLPattern | URLResolver] = list(project.urlpatterns)
for _namespace, _routes in _ORG_CONTRACT.items():
    if _namespace not in _installed:
        urlpatterns.append(_placeholders(_namespace, _routes, "o/<slug:org_slug>/"))
for _namespace, _routes in _GLOBAL_CONTRACT.items():
    if _namespace not in _installed:
        urlpatterns.append(_placeholders(_namespace, _routes, ""))

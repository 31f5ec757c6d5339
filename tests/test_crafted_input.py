"""No crafted input makes any route answer 500, found by walking the URL configuration.

Every route tests/test_isolation.py's walker finds (pages, API, sign-in, admin) gets, on
every method it allows and on OPTIONS: query strings with a NUL, with a lone surrogate
(percent-encoded, and as the JSON escape text), with a tampered cursor and with date-times
whose UTC offset PostgreSQL refuses; and bodies that are JSON nested 100,000 deep, over the
size limit, or hold "\\ud800" or a NUL in every field, as JSON and as a form. Whatever
answers, it is below 500, and a 400 says what was wrong. The input that one gate owns (NUL,
text that is not Unicode, the size limit) is refused the same way on every route.
A new route is covered without touching this file.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django import forms
from django.conf import settings
from django.test import Client
from django.urls import get_resolver, reverse
from django_filters import FilterSet
from rest_framework import serializers

from perfmgmt.api.filters import UtcDateTimeFilter
from perfmgmt.api.parsers import JSONParser
from tests.conftest import OrgPeople, login
from tests.factories import UserFactory
from tests.test_isolation import Endpoint, objects_for, url_for, walk

pytestmark = pytest.mark.django_db

ENDPOINTS = list(walk(get_resolver().url_patterns))
BODY_METHODS = ("post", "put", "patch", "delete")


def methods_of(endpoint: Endpoint) -> list[str]:
    # A function view (the admin, allauth's few) says nothing about its methods: try both.
    return endpoint.methods or ["get", "post"]


def route_group(endpoint: Endpoint) -> str:
    """The routes of one viewset, one admin model or one app's pages make one test: each
    test pays for two organizations, and the failures name the route anyway."""
    admin_model = re.match(r"admin/(\w+)/(\w+)/", endpoint.route)
    if endpoint.route.startswith("admin/"):
        return admin_model[0] if admin_model else "admin/"
    name = endpoint.name or endpoint.route
    if name.startswith("api:"):
        return name.rsplit("-", 1)[0]
    return name.split(":")[0] if ":" in name else name.split("_")[0]


GROUPS: dict[str, list[Endpoint]] = {}
for _endpoint in ENDPOINTS:
    GROUPS.setdefault(route_group(_endpoint), []).append(_endpoint)


# --- What is sent ---------------------------------------------------------------------------


def _serializer_classes(cls: type[Any]) -> Iterator[type[Any]]:
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _serializer_classes(subclass)


def _project_field_names() -> list[str]:
    """Every writable field name of every serializer of the project."""
    names = set()
    for cls in _serializer_classes(serializers.Serializer):
        if cls.__module__.split(".")[0] in ("perfmgmt", "goals", "feedback", "reviews", "rewards"):
            fields = cls().fields
            names |= {name for name, field in fields.items() if not field.read_only}
    return sorted(names)


def _filtersets() -> list[type[FilterSet]]:
    views = (endpoint.view_class for endpoint in ENDPOINTS if endpoint.is_api)
    return [view.filterset_class for view in views if getattr(view, "filterset_class", None)]  # type: ignore[union-attr]


FIELD_NAMES = _project_field_names()
FILTER_NAMES = sorted({name for filterset in _filtersets() for name in filterset.base_filters})
# Query parameters the pages read (request.GET), besides the API's filters.
PAGE_PARAMETERS = ["q", "page", "period", "status", "team", "role", "section", "next", "search"]
PARAMETERS = sorted({*FILTER_NAMES, *PAGE_PARAMETERS, "cursor", "page_size"})
DATE_TIME_PARAMETERS = sorted(
    {
        name
        for filterset in _filtersets()
        for name, declared in filterset.base_filters.items()
        if isinstance(declared, UtcDateTimeFilter)
    }
)


def _every(value: str, names: list[str] = PARAMETERS) -> dict[str, str]:
    return dict.fromkeys(names, value)


def _cursor(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


# Name -> raw query string. The first two are refused by the input gate, before any view.
QUERIES: dict[str, str] = {
    "nul": "&".join(f"{name}=a%00b" for name in PARAMETERS),
    "surrogate-utf8": "&".join(f"{name}=%ED%A0%80" for name in PARAMETERS),
}
# Name -> query parameters that reach the views (sent on GET).
VIEW_QUERIES: dict[str, dict[str, str]] = {
    "surrogate-escape-text": _every("\\ud800"),
    "cursor-abc": {"cursor": _cursor(b"p=abc")},
    "offset-out-of-range": _every("2026-01-01T00:00:00+20:00", DATE_TIME_PARAMETERS),
    "offset-before-year-1": _every("0001-01-01T00:00:00+20:00", DATE_TIME_PARAMETERS),
}
OVER_THE_LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440
DEEP_JSON = "[" * 100_000 + "]" * 100_000
# Name -> (content type, body, whether the input gate refuses it before any view). A JSON
# body is checked where it is parsed (the API's parser), so only a view that reads it
# answers 400; JSON goes to the API only, forms go everywhere.
BODIES: dict[str, tuple[str, str | bytes, bool]] = {
    "json-deep": ("application/json", DEEP_JSON, False),
    "json-surrogate": ("application/json", json.dumps(_every("\ud800", FIELD_NAMES)), False),
    "json-nul": ("application/json", json.dumps(_every("a\x00b", FIELD_NAMES)), False),
    "form-nul": (
        "application/x-www-form-urlencoded",
        "&".join(f"{name}=a%00b" for name in FIELD_NAMES),
        True,
    ),
    "form-surrogate": (
        "application/x-www-form-urlencoded",
        "&".join(f"{name}=%ED%A0%80" for name in FIELD_NAMES),
        True,
    ),
    "json-too-large": ("application/json", b'{"a": "' + b"x" * OVER_THE_LIMIT, False),
    "form-too-large": ("application/x-www-form-urlencoded", b"a=" + b"x" * OVER_THE_LIMIT, True),
}


# --- How it is sent -----------------------------------------------------------------------

PLACEHOLDERS = {"key": "x", "uidb36": "1", "token": "x", "url": "x", "app_label": "goals"}


def _placeholder_url(endpoint: Endpoint) -> str:
    """A route of its own regex or converters, with a placeholder per argument."""
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: PLACEHOLDERS.get(m[1], "1"), endpoint.route)
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: PLACEHOLDERS.get(m[1], "1"), route)
    return "/" + route.replace("^", "").replace("$", "")


def _url(endpoint: Endpoint, org: OrgPeople) -> str:
    if "org_slug" in endpoint.kwargs:
        return url_for(endpoint, org.organization.slug, objects_for(endpoint, org))
    if endpoint.name and not endpoint.kwargs:
        return reverse(endpoint.name)
    return _placeholder_url(endpoint)


@dataclass
class Outcome:
    endpoint: Endpoint
    method: str
    case: str
    status: int
    body: bytes

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.endpoint.route} [{self.case}] -> {self.status}"


def _send(client: Client, method: str, url: str, query: str = "", **kwargs: Any) -> Any:
    return client.generic(method.upper(), f"{url}?{query}" if query else url, **kwargs)


def _says_why(endpoint: Endpoint, response: Any) -> bool:
    if endpoint.is_api:  # the API's one error body, or SCIM's (RFC 7644 §3.12)
        body = response.json()
        return bool(body["error"]["message"] if "error" in body else body["detail"])
    return len(response.content.strip()) > 0


def _requests(endpoint: Endpoint, url: str, client: Client) -> Iterator[tuple[str, str, Any, bool]]:
    """(method, case, response, whether the input gate must have refused it)"""
    for method in [*methods_of(endpoint), "options"]:
        for case, query in QUERIES.items():
            yield method, case, _send(client, method, url, query), True
        if method == "get":
            for case, params in VIEW_QUERIES.items():
                yield method, case, _send(client, method, url, urlencode(params)), False
        if method in BODY_METHODS:
            for case, (content_type, body, gate) in BODIES.items():
                if content_type == "application/json" and not endpoint.is_api:
                    continue  # no page reads a JSON body
                response = _send(client, method, url, data=body, content_type=content_type)
                yield method, case, response, gate


def _client_for(group: list[Endpoint], org: OrgPeople) -> Client:
    client = Client(raise_request_exception=False)
    if group[0].route.startswith("admin/"):
        user = UserFactory.create(is_staff=True, is_superuser=True)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client
    return login(client, org.owner)


# --- The tests ----------------------------------------------------------------------------


def test_the_walk_reaches_pages_api_sign_in_and_admin() -> None:
    names = {endpoint.name for endpoint in ENDPOINTS}
    assert {"web:home", "api:goal-list", "api:docs", "account_login"} <= names
    assert "admin:goals_goal_change" in names
    assert {"since", "after", "before", "created_after"} <= set(DATE_TIME_PARAMETERS)


@pytest.mark.parametrize("group", [pytest.param(group, id=group) for group in GROUPS])
def test_no_crafted_input_makes_a_route_answer_500(group: str, org: OrgPeople) -> None:
    wrong: list[str] = []
    client = _client_for(GROUPS[group], org)
    for endpoint in GROUPS[group]:
        url = _url(endpoint, org)
        for method, case, response, gate in _requests(endpoint, url, client):
            outcome = Outcome(endpoint, method, case, response.status_code, _body(response))
            expected = 413 if case.endswith("too-large") else 400
            if outcome.status >= 500 or (gate and outcome.status != expected):
                wrong.append(str(outcome))
            elif outcome.status == 400 and not _says_why(endpoint, response):
                wrong.append(f"{outcome} without a message")
    assert not wrong, "\n".join(wrong)


def _body(response: Any) -> bytes:
    """The whole body, also of a streamed download (a CSV export): a 500 may hide in it."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def test_every_api_view_parses_json_with_the_bounded_parser() -> None:
    """JSON only through the API's bounded parser; any other body (the people sync's CSV)
    through a parser that says it reads up to a limit of its own."""
    for endpoint in ENDPOINTS:
        if endpoint.is_api:
            view = endpoint.view_class
            for parser in view.parser_classes:  # type: ignore[union-attr]
                bounded_other = (
                    getattr(parser, "bounded", False) and "json" not in parser.media_type
                )
                assert issubclass(parser, JSONParser) or bounded_other, (view, parser)


def test_every_date_time_filter_of_the_api_is_the_utc_one() -> None:
    """One date-time filter type: PostgreSQL refuses offsets Python accepts (item 10)."""
    for filterset in _filtersets():
        for name, declared in filterset.base_filters.items():
            if issubclass(declared.field_class, forms.DateTimeField):
                assert isinstance(declared, UtcDateTimeFilter), f"{filterset.__name__}.{name}"

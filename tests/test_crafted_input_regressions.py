"""Crafted inputs that once answered 500, each now a 4xx that says what was wrong.

Security issue 8, items 7 to 10. tests/test_crafted_input.py sends the same kinds of input
to every route of the URL walk; this file pins the reported cases and the rules behind them.
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from perfmgmt.api.parsers import MAX_DEPTH, JSONParser, RequestBodyTooLarge
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople, login
from tests.feedback.factories import make_feedback
from tests.goals.factories import create_goal
from tests.test_isolation import ORG_ENDPOINTS, Endpoint, endpoint_params, url_for

pytestmark = pytest.mark.django_db


def api_url(org: OrgPeople, path: str) -> str:
    return f"/api/v1/orgs/{org.organization.slug}/{path}"


def client_as(member: Membership) -> Client:
    """Signed in; an exception in a view answers 500 instead of failing the test there."""
    return login(Client(raise_request_exception=False), member)


def post_json(client: Client, url: str, body: str | bytes) -> Any:
    return client.post(url, body, content_type="application/json")


def error_of(response: Any) -> dict[str, Any]:
    return response.json()["error"]


# --- 7. Tampered cursors --------------------------------------------------------------------

LIST_ENDPOINTS = [
    endpoint
    for endpoint in ORG_ENDPOINTS
    if endpoint.is_api
    and getattr(endpoint.callback, "actions", {}).get("get") == "list"
    # SCIM lists page by startIndex and count (RFC 7644 §3.4.2.4): no cursor to tamper with.
    and getattr(endpoint.view_class, "pagination_class", None) is not None
]
TAMPERED_CURSORS = {
    "position-abc": b"p=abc",
    "nul": b"\x00",
    "position-nul": b"p=\x00",
    "position-5000-digits": b"p=" + b"9" * 5000,
    "negative-position": b"p=-1",
    "empty-position": b"p=",
    "unknown-key": b"x=1",
}


def test_the_walk_finds_the_api_lists() -> None:
    assert {"api:member-list", "api:goal-list", "api:feedback-list"} <= {
        endpoint.name for endpoint in LIST_ENDPOINTS
    }


@pytest.mark.parametrize("endpoint", endpoint_params(LIST_ENDPOINTS))
def test_a_tampered_cursor_on_any_api_list_is_a_400_on_the_cursor(
    endpoint: Endpoint, org: OrgPeople
) -> None:
    client = client_as(org.owner)
    url = url_for(endpoint, org.organization.slug, {})
    for name, cursor in TAMPERED_CURSORS.items():
        response = client.get(url, {"cursor": base64.b64encode(cursor).decode()})
        assert response.status_code == 400, f"{name}: {response.status_code}"
        assert error_of(response)["fields"] == {"cursor": ["Invalid cursor"]}, name


def test_a_cursor_the_api_wrote_still_turns_the_page(org: OrgPeople) -> None:
    client = client_as(org.hr)
    first = client.get(api_url(org, "members/"), {"page_size": 4}).json()
    second = client.get(first["next"]).json()
    assert len(first["results"]) == 4
    assert {row["id"] for row in first["results"]}.isdisjoint(
        row["id"] for row in second["results"]
    )


QUALITATIVE = {"goal_type": "qualitative"}  # needs no start value or target


# --- 8. Deep and oversized JSON ---------------------------------------------------------------

DEEP_JSON = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("path", ["goals/", "feedback/", "members/", "one-on-ones/series/"])
def test_json_nested_100000_levels_deep_is_a_400(org: OrgPeople, path: str) -> None:
    response = post_json(client_as(org.owner), api_url(org, path), DEEP_JSON)
    assert response.status_code == 400
    assert "JSON nested too deeply" in error_of(response)["message"]


def test_json_at_the_depth_limit_is_parsed_and_one_level_more_is_refused(
    org: OrgPeople,
) -> None:
    client = client_as(org.owner)

    def nested(levels: int) -> str:
        return '{"title": ' + "[" * (levels - 1) + "]" * (levels - 1) + "}"

    at_limit = post_json(client, api_url(org, "goals/"), nested(MAX_DEPTH))
    beyond = post_json(client, api_url(org, "goals/"), nested(MAX_DEPTH + 1))
    assert at_limit.status_code == 400
    assert "title" in error_of(at_limit)["fields"]
    assert beyond.status_code == 400
    assert "JSON nested too deeply" in error_of(beyond)["message"]


def test_brackets_inside_strings_do_not_count_as_nesting(org: OrgPeople) -> None:
    title = "[[[{{{" * 10 + '\\"]]]' * 5 + '"['
    body = json.dumps(
        {"title": title, "owner_kind": "person", "owner_person": org.owner.pk, **QUALITATIVE}
    )
    response = post_json(client_as(org.owner), api_url(org, "goals/"), body)
    assert response.status_code == 201, response.content
    assert response.json()["title"] == title


def test_a_json_body_over_the_size_limit_is_a_413_before_parsing(
    org: OrgPeople, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"situation": "x" * 1000})
    response = post_json(client_as(org.owner), api_url(org, "feedback/"), body)
    assert response.status_code == 413
    assert error_of(response)["message"] == (
        "The request body is larger than the limit of 1000 bytes."
    )


def test_the_json_parser_itself_reads_no_more_than_the_size_limit(settings: Any) -> None:
    """DRF's parser reads the stream to its end; the middleware is not the only guard."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10
    with pytest.raises(RequestBodyTooLarge):
        JSONParser().parse(io.BytesIO(b'{"title": "longer than ten bytes"}'))
    assert JSONParser().parse(io.BytesIO(b'{"a": 1}')) == {"a": 1}


# --- 9. Lone surrogates in JSON ------------------------------------------------------------------


def _goal_update_body(org: OrgPeople) -> dict[str, Any]:
    goal = create_goal(org.report)
    return {"goal": goal.pk, "confidence": "\ud800", "comment": "Going well"}


SURROGATE_CASES: dict[str, tuple[str, str, Callable[[OrgPeople], dict[str, Any]]]] = {
    "feedback visibility": (
        "feedback/",
        "visibility",
        lambda org: {"recipient": org.report.pk, "visibility": "\ud800", "situation": "x"},
    ),
    "goal owner_kind": (
        "goals/",
        "owner_kind",
        lambda org: {"title": "Ship", "owner_kind": "\ud800"},
    ),
    "goal-update confidence": ("goal-updates/", "confidence", _goal_update_body),
}


@pytest.mark.parametrize("case", list(SURROGATE_CASES))
def test_a_lone_surrogate_in_an_enum_field_is_a_400_naming_the_field(
    org: OrgPeople, case: str
) -> None:
    path, field, make_body = SURROGATE_CASES[case]
    body = json.dumps(make_body(org))  # ensure_ascii: the surrogate travels as "\ud800"
    assert "\\ud800" in body
    response = post_json(client_as(org.report), api_url(org, path), body)
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid"
    assert error_of(response)["fields"] == {
        field: ["Surrogate characters are not allowed: U+D800."]
    }


def test_a_lone_surrogate_deep_in_a_body_or_in_a_key_is_named_by_its_path(
    org: OrgPeople,
) -> None:
    body = json.dumps(
        {"title": "Ship", "milestones": [{"title": "ok"}, {"title": "x\udfff"}], "\udbff": 1}
    )
    response = post_json(client_as(org.report), api_url(org, "goals/"), body)
    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"milestones.1.title", "non_field_errors"}


def test_an_emoji_sent_as_a_surrogate_pair_escape_is_kept(org: OrgPeople) -> None:
    body = json.dumps(
        {
            "recipient": org.report.pk,
            "visibility": "private",
            "situation": "At the demo \U0001f600",
            "behaviour": "you answered every question",
            "impact": "the customer signed",
        }
    )
    assert "\\ud83d\\ude00" in body
    response = post_json(client_as(org.manager), api_url(org, "feedback/"), body)
    assert response.status_code == 201, response.content
    assert response.json()["situation"] == "At the demo \U0001f600"


def test_a_nul_escape_in_json_text_is_a_400_naming_the_field(org: OrgPeople) -> None:
    body = json.dumps({"title": "a\x00b", "owner_kind": "person"})
    response = post_json(client_as(org.report), api_url(org, "goals/"), body)
    assert response.status_code == 400
    assert error_of(response)["fields"] == {"title": ["Null characters are not allowed."]}


def test_an_escaped_backslash_before_u0000_is_ordinary_text(org: OrgPeople) -> None:
    title = "C:\\u0000 and \\ud800 are just text"
    body = json.dumps(
        {"title": title, "owner_kind": "person", "owner_person": org.report.pk, **QUALITATIVE}
    )
    response = post_json(client_as(org.report), api_url(org, "goals/"), body)
    assert response.status_code == 201, response.content
    assert response.json()["title"] == title


# --- 10. NUL in page filters, odd offsets, OPTIONS on the docs --------------------------------


@pytest.mark.parametrize(
    ("name", "query"),
    [("people:directory", "q=a%00b"), ("development:home", "period=2026%00")],
)
def test_a_nul_in_a_page_filter_is_a_400_page_that_says_so(
    org: OrgPeople, name: str, query: str
) -> None:
    url = reverse(name, kwargs={"org_slug": org.organization.slug})
    response = client_as(org.owner).get(f"{url}?{query}")
    assert response.status_code == 400
    assert b"The query string contains a NUL character." in response.content


def test_text_that_is_not_utf8_in_a_query_string_is_a_400(org: OrgPeople) -> None:
    url = reverse("people:directory", kwargs={"org_slug": org.organization.slug})
    response = client_as(org.owner).get(f"{url}?q=%ED%A0%80")
    assert response.status_code == 400
    assert b"The query string is not valid UTF-8 text." in response.content


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_a_nul_in_a_form_is_a_400_page(org: OrgPeople, encoding: str) -> None:
    url = reverse("goals:create", kwargs={"org_slug": org.organization.slug})
    client = client_as(org.owner)
    if encoding == "multipart":
        response = client.post(url, {"title": "a\x00b"})
    else:
        body = "title=a%00b"
        response = client.post(url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert b"The form contains a NUL character." in response.content


@pytest.mark.parametrize("offset", ["+20:00", "-23:59"])
def test_the_feedback_since_filter_takes_an_offset_postgres_refuses(
    org: OrgPeople, offset: str
) -> None:
    feedback = make_feedback(org.manager, org.report)
    sign = 1 if offset[0] == "+" else -1
    hours, minutes = (int(part) for part in offset[1:].split(":"))
    shift = sign * timedelta(hours=hours, minutes=minutes)
    earlier = feedback.created_at.astimezone(UTC) - timedelta(hours=1)
    since = (earlier + shift).replace(tzinfo=None).isoformat() + offset

    client = client_as(org.manager)
    response = client.get(api_url(org, "feedback/"), {"since": since})
    later = client.get(
        api_url(org, "feedback/"), {"since": (datetime.now(UTC) + timedelta(days=1)).isoformat()}
    )

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [feedback.pk]
    assert later.json()["results"] == []


def test_a_since_with_no_moment_in_utc_is_a_400_on_since(org: OrgPeople) -> None:
    response = client_as(org.manager).get(
        api_url(org, "feedback/"), {"since": "0001-01-01T00:00:00+20:00"}
    )
    assert response.status_code == 400
    assert "since" in error_of(response)["fields"]


@pytest.mark.parametrize("name", ["api:docs", "api:schema"])
def test_options_on_the_api_documentation_answers_the_allowed_methods(
    org: OrgPeople, name: str
) -> None:
    for client in (Client(raise_request_exception=False), client_as(org.owner)):
        response = client.options(reverse(name))
        assert response.status_code == 200
        assert "GET" in response["Allow"]

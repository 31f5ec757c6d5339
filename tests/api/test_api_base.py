"""What every endpoint inherits from the API base: the OpenAPI description, offline docs,
cursor pagination and throttling."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from tests.api.conftest import members_url
from tests.factories import MembershipFactory


def test_the_openapi_description_is_valid_and_has_no_warnings(db):
    out = StringIO()
    # --validate checks the document against the OpenAPI 3 JSON schema; --fail-on-warn turns
    # every endpoint whose types could not be worked out into a failure.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", stdout=out
    )
    document = json.loads(out.getvalue())
    assert document["openapi"].startswith("3.")
    assert "/api/v1/orgs/{org_slug}/members/" in document["paths"]


def test_the_schema_is_served_to_anyone_who_asks(db):
    response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert "/api/v1/orgs/{org_slug}/members/{member_id}/" in json.loads(response.content)["paths"]


@pytest.mark.parametrize("page", ["/api/v1/docs/"])
def test_the_api_docs_load_their_scripts_from_this_server(db, page):
    response = APIClient().get(page)
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r"<script[^>]+src=\"([^\"]+)\"", html)
    assert sources, html
    assert all(source.startswith("/static/") for source in sources), sources


def test_pages_of_a_list_follow_each_other_by_cursor_without_repeats(org, api_as):
    for _ in range(7):
        MembershipFactory.create(organization=org.organization, manager=org.manager)
    client = api_as(org.hr)
    seen: list[int] = []
    url: str | None = members_url(org) + "?page_size=5"
    pages = 0
    while url:
        body = client.get(url).json()
        seen += [person["id"] for person in body["results"]]
        url = body["next"]
        pages += 1
    assert pages == 3  # 6 people of the fixture + 7 = 13, in pages of 5
    assert len(seen) == len(set(seen)) == 13


def test_a_cursor_that_cannot_be_decoded_is_a_400_on_the_cursor_parameter(org, api_as):
    response = api_as(org.hr).get(members_url(org) + "?cursor=not-a-cursor")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"cursor": ["Invalid cursor"]}


def test_too_many_requests_get_429_with_retry_after(org, api_as):
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "principal": "3/min"}
    client = api_as(org.report)
    with override_settings(REST_FRAMEWORK={**_rest_framework(), "DEFAULT_THROTTLE_RATES": rates}):
        statuses = [client.get(members_url(org)).status_code for _ in range(4)]
        refused = client.get(members_url(org))
    assert statuses == [200, 200, 200, 429]
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["error"]["code"] == "throttled"


def test_the_limit_is_counted_per_caller(org, api_as):
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "principal": "2/min"}
    with override_settings(REST_FRAMEWORK={**_rest_framework(), "DEFAULT_THROTTLE_RATES": rates}):
        first = api_as(org.report)
        second = api_as(org.report2)
        assert [first.get(members_url(org)).status_code for _ in range(3)] == [200, 200, 429]
        assert second.get(members_url(org)).status_code == 200


def _rest_framework() -> dict[str, object]:
    from django.conf import settings

    return dict(settings.REST_FRAMEWORK)


def _anonymous_docs_status(remote_address: str, forwarded: str) -> int:
    client = APIClient(REMOTE_ADDR=remote_address, headers={"X-Forwarded-For": forwarded})
    return client.get("/api/v1/docs/").status_code


def test_anonymous_calls_behind_the_proxy_are_throttled_per_real_client(db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "principal": "2/min"}
    with override_settings(REST_FRAMEWORK={**_rest_framework(), "DEFAULT_THROTTLE_RATES": rates}):
        # The client writes an address of its own each time; the proxy appends the real one.
        statuses = [
            _anonymous_docs_status(proxy, f"192.0.2.{number}, 203.0.113.10") for number in range(3)
        ]
        someone_else = _anonymous_docs_status(proxy, "198.51.100.20")
    assert statuses == [200, 200, 429]
    assert someone_else == 200


def test_without_trusted_proxies_x_forwarded_for_does_not_escape_the_throttle(db, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "principal": "2/min"}
    with override_settings(REST_FRAMEWORK={**_rest_framework(), "DEFAULT_THROTTLE_RATES": rates}):
        statuses = [
            _anonymous_docs_status("203.0.113.10", f"192.0.2.{number}") for number in range(3)
        ]
    assert statuses == [200, 200, 429]

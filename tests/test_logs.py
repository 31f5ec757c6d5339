"""With LOG_FORMAT=json every line is JSON and says which request, person and organization."""

from __future__ import annotations

import io
import json
import logging.config
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import structlog
from celery.signals import before_task_publish
from django.conf import settings
from django.test import Client

from perfmgmt.api.models import ApiCredential, hash_secret
from perfmgmt.logs import logging_config
from perfmgmt.tenancy.context import organization_scope
from tests.conftest import PASSWORD, OrgPeople

LogLines = Callable[[], list[dict[str, Any]]]


@pytest.fixture
def json_logs() -> Iterator[LogLines]:
    """Logging as LOG_FORMAT=json configures it; its one handler writes to a buffer here."""
    logging.config.dictConfig(logging_config(log_format="json", level="INFO"))
    (handler,) = logging.getLogger().handlers
    written = io.StringIO()
    handler.setStream(written)  # type: ignore[attr-defined]
    try:
        yield lambda: [json.loads(line) for line in written.getvalue().splitlines()]
    finally:
        logging.config.dictConfig(settings.LOGGING)


def test_a_request_to_an_organization_page_logs_request_person_and_organization(
    org: OrgPeople, client_for: Callable[..., Client], json_logs: LogLines
) -> None:
    response = client_for(org.manager).get("/o/acme/")
    assert response.status_code == 200

    finished = [line for line in json_logs() if line["event"] == "request_finished"]
    assert len(finished) == 1
    assert finished[0]["request"] == "GET /o/acme/"
    assert finished[0]["code"] == 200
    assert finished[0]["organization"] == "acme"
    assert finished[0]["user_id"] == org.manager.user.pk
    assert finished[0]["request_id"]


def test_the_organization_of_one_request_is_not_in_the_next_ones_lines(
    org: OrgPeople, client_for: Callable[..., Client], json_logs: LogLines
) -> None:
    client = client_for(org.manager)
    client.get("/o/acme/")
    client.get("/")

    finished = [line for line in json_logs() if line["event"] == "request_finished"]
    assert [line.get("organization") for line in finished] == ["acme", None]
    assert finished[0]["request_id"] != finished[1]["request_id"]


def test_the_client_address_is_the_one_our_proxy_saw_not_one_the_client_wrote(
    org: OrgPeople, client_for: Callable[..., Client], json_logs: LogLines, settings: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    client_for(org.manager).get(
        "/o/acme/", headers={"x-forwarded-for": "203.0.113.9, 198.51.100.7"}
    )

    finished = [line for line in json_logs() if line["event"] == "request_finished"]
    assert finished[0]["ip"] == "198.51.100.7"


def test_no_api_key_password_or_invitation_token_reaches_the_log(
    org: OrgPeople, json_logs: LogLines
) -> None:
    prefix, key = ApiCredential.generate_key()
    with organization_scope(org.organization):
        ApiCredential.objects.create(
            name="Sync", prefix=prefix, key_hash=hash_secret(key), created_by=org.owner
        )
    invitation_token = "an-invitation-token-nobody-may-read"
    client = Client()

    client.get("/api/v1/orgs/acme/members/", headers={"authorization": f"Bearer {key}"})
    client.post("/accounts/login/", {"login": org.report.user.email, "password": PASSWORD})
    client.post("/accounts/login/", {"login": org.report.user.email, "password": "wrong-guess!"})
    client.get(f"/invitations/{invitation_token}/")
    client.get(f"/accounts/login/?next=/invitations/{invitation_token}/")

    lines = json_logs()
    written = "\n".join(json.dumps(line) for line in lines)
    assert {line["event"] for line in lines} >= {"request_started", "request_finished"}
    assert "Not Found: /invitations/[redacted]/" in written  # Django's own 404 line, too
    for secret in (key, PASSWORD, "wrong-guess!", invitation_token):
        assert secret not in written


def test_a_queued_task_carries_the_request_id_but_opens_its_own_organization() -> None:
    headers: dict[str, Any] = {}
    with structlog.contextvars.bound_contextvars(
        request_id="request-1", user_id=7, organization="acme"
    ):
        before_task_publish.send(
            sender="perfmgmt.any_task", headers=headers, body={}, properties={}, routing_key="q"
        )

    carried = headers["__django_structlog__"]
    assert carried["request_id"] == "request-1"
    assert carried["user_id"] == 7
    assert "organization" not in carried

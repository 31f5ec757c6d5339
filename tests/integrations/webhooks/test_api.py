"""The webhooks API: /api/v1/orgs/<slug>/webhooks/ and /webhook-deliveries/."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from perfmgmt.api.models import Scope
from perfmgmt.audit.models import AuditEntry
from perfmgmt.integrations.webhooks.events import emit
from perfmgmt.integrations.webhooks.models import WebhookDelivery, WebhookEndpoint
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.api.conftest import create_key, key_client
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory, OrganizationFactory
from tests.integrations.conftest import api_as

from .conftest import Receiver, register

__all__ = ["api_as"]
pytestmark = pytest.mark.django_db


def url(org: OrgPeople, tail: str = "") -> str:
    return f"/api/v1/orgs/{org.organization.slug}/webhooks/{tail}"


def test_an_owner_registers_an_endpoint_and_sees_the_secret_once(
    org: OrgPeople, receiver: Receiver, api_as: Callable[[Membership], APIClient]
) -> None:
    client = api_as(org.owner)
    body = {"url": receiver.url(), "event_types": ["goal.created"], "description": "ERP"}

    created = client.post(url(org), body, format="json")

    assert created.status_code == 201, created.content
    assert created.json()["secret"].startswith("whsec_")
    assert created["Cache-Control"] == "no-store"
    endpoint_id = created.json()["id"]
    assert "secret" not in client.get(url(org, f"{endpoint_id}/")).json()
    assert "secret" not in client.get(url(org)).json()["results"][0]
    with organization_scope(org.organization):
        assert AuditEntry.objects.filter(action="webhook.create").count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://hooks.example.com/", "event_types": ["goal.created"]}, "url"),
        ({"url": "http://127.0.0.1/hook", "event_types": ["goal.created"]}, "url"),
        ({"url": "http://169.254.169.254/latest", "event_types": ["goal.created"]}, "url"),
        ({"url": "https://user:pw@hooks.example.com/", "event_types": ["goal.created"]}, "url"),
        ({"url": "https://[::1", "event_types": ["goal.created"]}, "url"),
        ({"url": "https://hooks.example.com/", "event_types": []}, "event_types"),
        ({"url": "https://hooks.example.com/", "event_types": ["goal.deleted"]}, "event_types"),
        ({"url": "https://hooks.example.com/", "event_types": "goal.created"}, "event_types"),
        ({"event_types": ["goal.created"]}, "url"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    org: OrgPeople, api_as: Callable[[Membership], APIClient], body: dict, field: str
) -> None:
    response = api_as(org.owner).post(url(org), body, format="json")
    assert response.status_code == 400, response.content
    assert field in str(response.json())
    with organization_scope(org.organization):
        assert not WebhookEndpoint.objects.exists()


def test_a_key_needs_the_webhook_scopes_and_may_subscribe_only_to_what_it_reads(
    org: OrgPeople, receiver: Receiver
) -> None:
    _, reader = create_key(org, [Scope.MEMBERS_READ])
    assert key_client(reader).get(url(org)).status_code == 403
    _, writer = create_key(org, [Scope.WEBHOOKS_WRITE, Scope.MEMBERS_READ])
    client = key_client(writer)
    refused = client.post(
        url(org), {"url": receiver.url(), "event_types": ["goal.created"]}, format="json"
    )
    assert refused.status_code == 400
    assert "event_types" in refused.json()["error"]["fields"]
    body = {"url": receiver.url(), "event_types": ["member.updated"]}
    assert client.post(url(org), body, format="json").status_code == 201


def test_someone_who_is_not_an_owner_is_refused(
    org: OrgPeople, api_as: Callable[[Membership], APIClient]
) -> None:
    assert api_as(org.hr).get(url(org)).status_code == 403


def test_another_organizations_endpoint_is_not_found(
    org: OrgPeople,
    other_org: OrgPeople,
    receiver: Receiver,
    api_as: Callable[[Membership], APIClient],
) -> None:
    theirs, _ = register(other_org, receiver.url())
    client = api_as(org.owner)
    for method, tail in [
        ("get", f"{theirs.pk}/"),
        ("patch", f"{theirs.pk}/"),
        ("delete", f"{theirs.pk}/"),
        ("post", f"{theirs.pk}/rotate-secret/"),
        ("get", f"{theirs.pk}/deliveries/"),
    ]:
        assert getattr(client, method)(url(org, tail), {}, format="json").status_code == 404


def test_disabling_changing_and_rotating_are_audited(
    org: OrgPeople, receiver: Receiver, api_as: Callable[[Membership], APIClient]
) -> None:
    endpoint, secret = register(org, receiver.url())
    client = api_as(org.owner)
    changed = client.patch(
        url(org, f"{endpoint.pk}/"),
        {"enabled": False, "event_types": ["goal.completed"]},
        format="json",
    )
    assert changed.status_code == 200
    assert changed.json()["enabled"] is False
    assert changed.json()["event_types"] == ["goal.completed"]
    rotated = client.post(url(org, f"{endpoint.pk}/rotate-secret/"))
    assert rotated.status_code == 200
    assert rotated.json()["secret"] != secret
    with organization_scope(org.organization):
        actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"webhook.create", "webhook.update", "webhook.rotate_secret"} <= actions


def test_the_delivery_log_and_a_redelivery(
    org: OrgPeople,
    receiver: Receiver,
    api_as: Callable[[Membership], APIClient],
    django_capture_on_commit_callbacks: Callable,
) -> None:
    endpoint, _ = register(org, receiver.url(), ["member.updated"])
    with organization_scope(org.organization):
        emit("member.updated", resource=org.report)
        delivery = WebhookDelivery.objects.get()
    client = api_as(org.owner)
    log = client.get(url(org, f"{endpoint.pk}/deliveries/")).json()["results"]
    assert [entry["message_id"] for entry in log] == [delivery.message_id]
    delivery_url = f"/api/v1/orgs/{org.organization.slug}/webhook-deliveries/{delivery.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        redelivered = client.post(f"{delivery_url}redeliver/")
    assert redelivered.status_code == 200
    assert len(receiver.received) == 1
    [attempt] = client.get(delivery_url).json()["attempts"]
    assert attempt["status_code"] == 204
    assert attempt["number"] == 1


def test_a_redelivery_to_a_disabled_endpoint_is_a_409(
    org: OrgPeople, receiver: Receiver, api_as: Callable[[Membership], APIClient]
) -> None:
    endpoint, _ = register(org, receiver.url(), ["member.updated"])
    with organization_scope(org.organization):
        emit("member.updated", resource=org.report)
        delivery = WebhookDelivery.objects.get()
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_enabled=False)
    response = api_as(org.owner).post(
        f"/api/v1/orgs/{org.organization.slug}/webhook-deliveries/{delivery.pk}/redeliver/"
    )
    assert response.status_code == 409


def _organization_with_endpoints(count: int, receiver: Receiver) -> tuple[OrgPeople, str]:
    """`count` endpoints; the last one has `count` deliveries."""
    organization = OrganizationFactory.create(slug=f"hooks-{count}")
    owner = MembershipFactory.create(organization=organization, role="owner")
    people = OrgPeople(organization, owner, owner, owner, owner, owner, owner)
    for number in range(count):
        events = ["member.updated"] if number == count - 1 else ["goal.created"]
        endpoint, _ = register(people, receiver.url(f"/{number}"), events)
    with organization_scope(organization):
        for _number in range(count):
            emit("member.updated", resource=owner)
    return people, str(endpoint.pk)


@pytest.mark.parametrize("tail", ["", "{endpoint}/deliveries/"])
def test_the_lists_run_a_fixed_number_of_queries(receiver: Receiver, tail: str) -> None:
    counts = []
    for size in (5, 50):
        people, endpoint = _organization_with_endpoints(size, receiver)
        client = APIClient()
        client.force_login(people.owner.user, backend="django.contrib.auth.backends.ModelBackend")
        target = url(people, tail.format(endpoint=endpoint))
        client.get(target)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(target)
        assert len(response.json()["results"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]

"""The owner's webhook pages: list, add (secret shown once), detail with the log, buttons."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from perfmgmt.integrations.webhooks.events import emit
from perfmgmt.integrations.webhooks.models import WebhookDelivery, WebhookEndpoint
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople, login
from tests.factories import MembershipFactory, OrganizationFactory

from .conftest import Receiver, register

pytestmark = pytest.mark.django_db


def page(org: OrgPeople, tail: str = "") -> str:
    return f"/o/{org.organization.slug}/settings/webhooks/{tail}"


def test_an_owner_adds_an_endpoint_and_the_secret_is_shown_once(
    org: OrgPeople, receiver: Receiver, client_for: Callable[[Membership], Client]
) -> None:
    client = client_for(org.owner)
    assert client.get(page(org, "new/")).status_code == 200
    response = client.post(
        page(org, "new/"),
        {"url": receiver.url(), "event_types": ["goal.created", "member.updated"]},
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    with organization_scope(org.organization):
        endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret.encode() in response.content
    detail = client.get(page(org, f"{endpoint.pk}/"))
    assert detail.status_code == 200
    assert endpoint.secret.encode() not in detail.content
    assert receiver.url().encode() in client.get(page(org)).content


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1/hook", b"not on the public internet"),
        ("gopher://hooks.example.com/", b"Use an http:// or https:// URL."),
    ],
)
def test_a_bad_url_is_a_form_error(
    org: OrgPeople, client_for: Callable[[Membership], Client], url: str, message: bytes
) -> None:
    response = client_for(org.owner).post(
        page(org, "new/"), {"url": url, "event_types": ["goal.created"]}
    )
    assert response.status_code == 400
    assert message in response.content
    with organization_scope(org.organization):
        assert not WebhookEndpoint.objects.exists()


def test_only_owners_reach_the_pages(
    org: OrgPeople, client_for: Callable[[Membership], Client]
) -> None:
    assert client_for(org.hr).get(page(org)).status_code == 403
    assert client_for(org.report).get(page(org, "new/")).status_code == 403


def test_another_organizations_endpoint_and_delivery_are_not_found(
    org: OrgPeople,
    other_org: OrgPeople,
    receiver: Receiver,
    client_for: Callable[[Membership], Client],
) -> None:
    theirs, _ = register(other_org, receiver.url(), ["member.updated"])
    with organization_scope(other_org.organization):
        emit("member.updated", resource=other_org.report)
        delivery = WebhookDelivery.objects.get()
    client = client_for(org.owner)
    assert client.get(page(org, f"{theirs.pk}/")).status_code == 404
    assert client.post(page(org, f"{theirs.pk}/switch/")).status_code == 404
    assert client.post(page(org, f"deliveries/{delivery.pk}/redeliver/")).status_code == 404
    with organization_scope(other_org.organization):
        assert WebhookEndpoint.objects.get().is_enabled


def test_the_detail_page_shows_the_log_and_sends_again(
    org: OrgPeople,
    receiver: Receiver,
    client_for: Callable[[Membership], Client],
    django_capture_on_commit_callbacks: Callable,
) -> None:
    endpoint, _ = register(org, receiver.url(), ["member.updated"])
    with organization_scope(org.organization):
        emit("member.updated", resource=org.report)
        delivery = WebhookDelivery.objects.get()
    client = client_for(org.owner)
    assert delivery.message_id.encode() in client.get(page(org, f"{endpoint.pk}/")).content
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(page(org, f"deliveries/{delivery.pk}/redeliver/"))
    assert sent.status_code == 302
    assert len(receiver.received) == 1
    detail = client.get(page(org, f"{endpoint.pk}/")).content.decode()
    assert "#1" in detail
    assert "204" in detail


def test_turning_an_endpoint_off_and_on(
    org: OrgPeople, receiver: Receiver, client_for: Callable[[Membership], Client]
) -> None:
    endpoint, _ = register(org, receiver.url())
    client = client_for(org.owner)
    assert client.post(page(org, f"{endpoint.pk}/switch/")).status_code == 302
    endpoint.refresh_from_db()
    assert not endpoint.is_enabled
    client.post(page(org, f"{endpoint.pk}/switch/"))
    endpoint.refresh_from_db()
    assert endpoint.is_enabled


def test_rotating_shows_a_new_secret(
    org: OrgPeople, receiver: Receiver, client_for: Callable[[Membership], Client]
) -> None:
    endpoint, secret = register(org, receiver.url())
    response = client_for(org.owner).post(page(org, f"{endpoint.pk}/rotate/"))
    assert response.status_code == 200
    endpoint.refresh_from_db()
    assert endpoint.secret != secret
    assert endpoint.secret.encode() in response.content


def _sized(count: int, receiver: Receiver) -> tuple[Client, str, int]:
    organization = OrganizationFactory.create(slug=f"pages-{count}")
    owner = MembershipFactory.create(organization=organization, role="owner")
    people = OrgPeople(organization, owner, owner, owner, owner, owner, owner)
    for number in range(count):
        events = ["member.updated"] if number == count - 1 else ["goal.created"]
        endpoint, _ = register(people, receiver.url(f"/{number}"), events)
    with organization_scope(organization):
        for _number in range(count):
            emit("member.updated", resource=owner)
        for delivery in WebhookDelivery.objects.all():
            delivery.attempts.create(organization=organization, number=1, status_code=500)
    return login(Client(), owner), organization.slug, endpoint.pk


@pytest.mark.parametrize("tail", ["", "{endpoint}/"])
def test_the_pages_run_a_fixed_number_of_queries(receiver: Receiver, tail: str) -> None:
    counts = []
    for size in (5, 50):
        client, slug, endpoint = _sized(size, receiver)
        target = f"/o/{slug}/settings/webhooks/{tail.format(endpoint=endpoint)}"
        client.get(target)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(target).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]

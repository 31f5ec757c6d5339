"""Webhook objects for tests/test_isolation.py (made directly: no URL check, nothing sent)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

from perfmgmt.integrations.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from perfmgmt.integrations.webhooks.signing import generate_secret
from perfmgmt.tenancy.context import organization_scope
from tests.conftest import OrgPeople


def make_isolation_endpoint(people: OrgPeople) -> WebhookEndpoint:
    with organization_scope(people.organization):
        return WebhookEndpoint.objects.create(
            url="https://hooks.example.com/perfmgmt",
            event_types=["goal.created"],
            secret=generate_secret(),
            created_by=people.owner,
        )


def make_isolation_delivery(people: OrgPeople) -> WebhookDelivery:
    endpoint = make_isolation_endpoint(people)
    with organization_scope(people.organization):
        event = WebhookEvent.objects.create(event_type="goal.created", payload={"data": {}})
        return WebhookDelivery.objects.create(endpoint=endpoint, event=event)


WEBHOOK_OBJECT_KWARGS: dict[str, type[models.Model]] = {
    "webhook_id": WebhookEndpoint,
    "delivery_id": WebhookDelivery,
}

WEBHOOK_MAKERS: dict[type[models.Model], Callable[[OrgPeople], models.Model]] = {
    WebhookEndpoint: make_isolation_endpoint,
    WebhookDelivery: make_isolation_delivery,
}

"""`emit()`: what a feature service calls, inside its transaction, when something happened.

    from perfmgmt.integrations.webhooks.events import emit
    emit("goal.completed", resource=goal)

It costs one indexed query when nobody listens. Otherwise it writes the event (its payload
built from the catalogue's fields of `resource`) and one delivery per subscribed enabled
endpoint, in the caller's transaction, and queues the deliveries once it commits: a change
rolled back sends nothing, a change committed is delivered even if the worker was down.

An operation made of several service calls (a SCIM PUT reactivates, updates and maybe
deactivates one person) wraps them in `coalesced_events()`: each resource then gets one
event, written when the block ends. A bulk writer that never builds models (the people sync)
writes its events in a fixed number of statements with `bulk.emit_selected`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from perfmgmt.tenancy.context import current_organization

from .catalogue import EventType, event_type
from .models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from .queueing import queue_deliveries


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def resource_data(event: EventType, resource: models.Model) -> dict[str, Any]:
    """The minimal resource: its id and the catalogue's fields, nothing else."""
    data: dict[str, Any] = {"object": event.resource, "id": resource.pk}
    for field in event.fields:
        data[field] = _plain(getattr(resource, field))
    return data


def build_payload(
    event: EventType, resource: models.Model, organization_slug: str
) -> dict[str, Any]:
    return {
        "type": event.name,
        "timestamp": _plain(timezone.now()),
        "organization": organization_slug,
        "data": resource_data(event, resource),
    }


def subscribed_endpoint_ids(organization_id: int, name: str) -> list[int]:
    return list(
        WebhookEndpoint.objects.filter(
            organization_id=organization_id, is_enabled=True, event_types__contains=[name]
        ).values_list("pk", flat=True)
    )


def emit(name: str, *, resource: models.Model) -> WebhookEvent | None:
    """Record that `name` happened to `resource` for every endpoint listening; None when
    no enabled endpoint of the resource's organization subscribes to it."""
    events = emit_many(name, resources=[resource])
    return events[0] if events else None


# Inside `coalesced_events()`: what each resource's event is so far, by (resource, id).
_pending: ContextVar[dict[tuple[str, Any], tuple[str, models.Model]] | None] = ContextVar(
    "webhook_events_pending", default=None
)


def merged_name(earlier: str, later: str) -> str:
    """One event for two changes of one resource: its creation stays a creation (the
    receiver has never seen it); otherwise the latest change says what it is now."""
    return earlier if earlier.endswith(".created") else later


@contextmanager
def coalesced_events() -> Iterator[None]:
    """Within the block, `emit` records one event per resource (see `merged_name`), built
    from the last state passed, and writes them when the block ends without an error. Use
    it inside the transaction of the change. Nested blocks write with the outermost."""
    if _pending.get() is not None:
        yield
        return
    token = _pending.set({})
    try:
        yield
        pending = _pending.get() or {}
    finally:
        _pending.reset(token)
    by_name: dict[str, list[models.Model]] = {}
    for name, resource in pending.values():
        by_name.setdefault(name, []).append(resource)
    for name, resources in by_name.items():
        emit_many(name, resources=resources)


def _coalesce(name: str, resources: Sequence[models.Model]) -> bool:
    pending = _pending.get()
    if pending is None:
        return False
    resource_kind = event_type(name).resource
    for resource in resources:
        key = (resource_kind, resource.pk)
        earlier = pending.get(key)
        pending[key] = (merged_name(earlier[0], name) if earlier else name, resource)
    return True


def emit_many(name: str, *, resources: Sequence[models.Model]) -> list[WebhookEvent]:
    """`emit` for several resources of the active organization in a fixed number of
    queries (a cycle's releases, say). Inside `coalesced_events()` nothing is written yet
    (an empty list)."""
    event = event_type(name)
    if not resources:
        return []
    if _coalesce(name, resources):
        return []
    organization = current_organization()  # a tenant row is written in its own scope
    if any(row.organization_id != organization.pk for row in resources):  # type: ignore[attr-defined]
        raise PermissionError("Refusing to emit an event of another organization.")
    endpoint_ids = subscribed_endpoint_ids(organization.pk, name)
    if not endpoint_ids:
        return []
    with transaction.atomic():
        rows = WebhookEvent.objects.bulk_create(
            WebhookEvent(
                organization=organization,
                event_type=name,
                payload=build_payload(event, resource, organization.slug),
            )
            for resource in resources
        )
        deliveries = WebhookDelivery.objects.bulk_create(
            WebhookDelivery(
                organization=organization,
                endpoint_id=endpoint_id,
                event=row,
                next_attempt_at=row.created_at,
                retry_window_start=row.created_at,
            )
            for row in rows
            for endpoint_id in endpoint_ids
        )
        delivery_ids = [delivery.pk for delivery in deliveries]
        organization_id = organization.pk
        transaction.on_commit(lambda: queue_deliveries(organization_id, delivery_ids))
    return rows

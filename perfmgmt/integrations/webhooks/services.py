"""Every write about webhook endpoints and their deliveries; each endpoint change is audited.

The secret is returned by `endpoint_create` and `endpoint_rotate_secret` only: the caller
shows it once. After a rotation the old secret keeps signing beside the new one for
`ROTATION_OVERLAP`, so a receiver can switch without losing a delivery.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perfmgmt.api.models import ApiCredential
from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.tenancy.policies import Actor, person_of

from . import catalogue, policies, ssrf
from .models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from .queueing import queue_deliveries
from .signing import generate_secret

MAX_ENDPOINTS = 50
MAX_DESCRIPTION = 200
ROTATION_OVERLAP = timedelta(hours=24)
_UNSET: Any = object()


def _require_manager(actor: Actor) -> None:
    if not policies.can_manage_webhooks(actor):
        raise PermissionDeniedError(_("Only owners manage webhooks."))


def _clean_url(url: str, fields: dict[str, list[str]]) -> str:
    url = (url or "").strip()
    if not url:
        fields["url"] = [_("Enter the URL that receives the events.")]
        return url
    try:
        ssrf.check(url)
    except ssrf.UnsafeURL as error:
        fields["url"] = [error.message]
    return url


def _clean_event_types(
    actor: Actor, event_types: Iterable[str], fields: dict[str, list[str]]
) -> list[str]:
    chosen = sorted(set(event_types or ()))
    unknown = [name for name in chosen if name not in catalogue.BY_NAME]
    if unknown:
        fields["event_types"] = [
            _("Unknown event type: %(names)s.") % {"names": ", ".join(unknown)}
        ]
    elif not chosen:
        fields["event_types"] = [_("Choose at least one event.")]
    else:
        unreadable = [
            name
            for name in chosen
            if not policies.can_subscribe(actor, catalogue.BY_NAME[name].scope)
        ]
        if unreadable:
            fields["event_types"] = [
                _("This key may not read what these events are about: %(names)s.")
                % {"names": ", ".join(unreadable)}
            ]
    return chosen


def _clean_description(description: str, fields: dict[str, list[str]]) -> str:
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        fields["description"] = [
            _("Use at most %(count)d characters.") % {"count": MAX_DESCRIPTION}
        ]
    return description


def _raise_if(fields: dict[str, list[str]]) -> None:
    if fields:
        raise DomainError(_("The webhook could not be saved."), fields=fields)


def endpoint_create(
    *, actor: Actor, url: str, event_types: Iterable[str], description: str = ""
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; returns it and its signing secret (to show once)."""
    _require_manager(actor)
    fields: dict[str, list[str]] = {}
    url = _clean_url(url, fields)
    chosen = _clean_event_types(actor, event_types, fields)
    description = _clean_description(description, fields)
    _raise_if(fields)
    secret = generate_secret()
    with transaction.atomic():
        if WebhookEndpoint.objects.count() >= MAX_ENDPOINTS:
            raise ConflictError(
                _("An organization has at most %(count)d webhook endpoints.")
                % {"count": MAX_ENDPOINTS}
            )
        endpoint = WebhookEndpoint.objects.create(
            url=url,
            event_types=chosen,
            description=description,
            secret=secret,
            created_by=person_of(actor),
            created_by_credential=actor if isinstance(actor, ApiCredential) else None,
        )
        audit_record(
            actor=actor,
            action="webhook.create",
            target=endpoint,
            changes={"url": url, "event_types": chosen, "description": description},
        )
    return endpoint, secret


def endpoint_update(
    *,
    actor: Actor,
    endpoint: WebhookEndpoint,
    url: str = _UNSET,
    event_types: Iterable[str] = _UNSET,
    description: str = _UNSET,
    is_enabled: bool = _UNSET,
) -> WebhookEndpoint:
    """Change what was given; turning an endpoint on again sends what waited for it."""
    _require_manager(actor)
    fields: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    if url is not _UNSET:
        values["url"] = _clean_url(url, fields)
    if event_types is not _UNSET:
        values["event_types"] = _clean_event_types(actor, event_types, fields)
    if description is not _UNSET:
        values["description"] = _clean_description(description, fields)
    if is_enabled is not _UNSET:
        values["is_enabled"] = bool(is_enabled)
    _raise_if(fields)
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        changes = {
            name: [getattr(endpoint, name), value]
            for name, value in values.items()
            if getattr(endpoint, name) != value
        }
        if not changes:
            return endpoint
        for name, value in values.items():
            setattr(endpoint, name, value)
        if "is_enabled" in changes:
            _switched(endpoint)
        endpoint.save()
        audit_record(actor=actor, action="webhook.update", target=endpoint, changes=changes)
    return endpoint


def _switched(endpoint: WebhookEndpoint) -> None:
    now = timezone.now()
    if not endpoint.is_enabled:
        endpoint.disabled_at, endpoint.disabled_reason = now, "owner"
        return
    endpoint.disabled_at, endpoint.disabled_reason = None, ""
    endpoint.failing_since, endpoint.consecutive_failures = None, 0
    waiting = WebhookDelivery.objects.filter(endpoint=endpoint, status=DeliveryStatus.PENDING)
    ids = list(waiting.values_list("pk", flat=True))
    waiting.update(next_attempt_at=now, retry_window_start=now)
    organization_id = endpoint.organization_id
    transaction.on_commit(lambda: queue_deliveries(organization_id, ids))


def endpoint_rotate_secret(
    *, actor: Actor, endpoint: WebhookEndpoint
) -> tuple[WebhookEndpoint, str]:
    """A new secret (returned, to show once); the old one also signs for a day."""
    _require_manager(actor)
    secret = generate_secret()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        endpoint.previous_secret = endpoint.secret
        endpoint.previous_secret_expires_at = timezone.now() + ROTATION_OVERLAP
        endpoint.secret = secret
        endpoint.save(
            update_fields=["secret", "previous_secret", "previous_secret_expires_at", "updated_at"]
        )
        audit_record(actor=actor, action="webhook.rotate_secret", target=endpoint)
    return endpoint, secret


def endpoint_delete(*, actor: Actor, endpoint: WebhookEndpoint) -> None:
    """Remove the endpoint and its delivery log (the audit trail keeps that it existed)."""
    _require_manager(actor)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="webhook.delete",
            target=endpoint,
            changes={"url": endpoint.url, "event_types": endpoint.event_types},
        )
        WebhookEndpoint.objects.filter(pk=endpoint.pk).delete()


def delivery_redeliver(*, actor: Actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send the same message (same `webhook-id`) again now, with a fresh retry window."""
    _require_manager(actor)
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("endpoint")
            .get(pk=delivery.pk)
        )
        if not delivery.endpoint.is_enabled:
            raise ConflictError(_("Turn the endpoint on before sending to it again."))
        now = timezone.now()
        delivery.status, delivery.next_attempt_at = DeliveryStatus.PENDING, now
        delivery.retry_window_start = now
        delivery.save(update_fields=["status", "next_attempt_at", "retry_window_start"])
        audit_record(
            actor=actor,
            action="webhook.redeliver",
            target=delivery.endpoint,
            changes={"delivery": delivery.message_id},
        )
        organization_id, delivery_id = delivery.organization_id, delivery.pk
        transaction.on_commit(lambda: queue_deliveries(organization_id, [delivery_id]))
    return delivery

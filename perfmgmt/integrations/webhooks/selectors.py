"""Reads with rules about webhooks: owners and keys with a webhooks scope, one organization.

Another organization's endpoint or delivery is answered like a missing one (404).
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from perfmgmt import ids
from perfmgmt.errors import NotFoundError, PermissionDeniedError
from perfmgmt.tenancy.policies import Actor

from . import policies
from .models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint

DELIVERY_LOG_SIZE = 50
ATTEMPTS_SHOWN = 5


def _require_viewer(actor: Actor) -> None:
    if not policies.can_view_webhooks(actor):
        raise PermissionDeniedError("Only owners manage webhooks.")


def endpoint_list(*, actor: Actor) -> QuerySet[WebhookEndpoint]:
    """The organization's endpoints, newest first, with their delivery counts."""
    _require_viewer(actor)
    return (
        WebhookEndpoint.objects.select_related("created_by__user", "created_by_credential")
        .annotate(
            failed_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
            pending_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.PENDING)),
        )
        .order_by("-created_at", "-id")
    )


def endpoint_get(*, actor: Actor, endpoint_id: object) -> WebhookEndpoint:
    try:
        return endpoint_list(actor=actor).get(pk=ids.object_id(endpoint_id))
    except WebhookEndpoint.DoesNotExist:
        raise NotFoundError("No such webhook endpoint.") from None


def delivery_list(*, actor: Actor, endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    """The endpoint's deliveries, newest first, each with its event and latest attempts."""
    _require_viewer(actor)
    return (
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .select_related("event")
        .prefetch_related(Prefetch("attempts", queryset=WebhookAttempt.objects.order_by("-number")))
        .order_by("-created_at", "-id")
    )


def delivery_get(*, actor: Actor, delivery_id: object) -> WebhookDelivery:
    _require_viewer(actor)
    try:
        return WebhookDelivery.objects.select_related("endpoint", "event").get(
            pk=ids.object_id(delivery_id)
        )
    except WebhookDelivery.DoesNotExist:
        raise NotFoundError("No such delivery.") from None

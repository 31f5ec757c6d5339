"""The safety net behind the queued attempts: every sweep (see perfmgmt/notifications/sweep.py)
queues the deliveries that are due but whose message was lost (a broker restart, a worker
that died holding it). The claim in `delivery.py` makes a message that was not lost harmless.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from perfmgmt.notifications.sweep import reminder
from perfmgmt.tenancy.models import Organization

from .models import DeliveryStatus, WebhookDelivery
from .queueing import queue_deliveries

# Retries more than ten minutes away are queued only here (delivery.SCHEDULE_AHEAD): a
# tick queues up to this many, 8,000 an hour, so a backlog after an outage drains in hours;
# in batches (queueing.DELIVERY_BATCH ids a message), ten messages a tick.
BATCH = 2000


@reminder("webhook-deliveries")
def webhook_deliveries_due(organization: Organization, now: datetime) -> int:
    due = list(
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING,
            next_attempt_at__lte=timezone.now(),
            endpoint__is_enabled=True,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    queue_deliveries(organization.pk, due)
    return 0  # queued, not sent: the sweep counts what it sent

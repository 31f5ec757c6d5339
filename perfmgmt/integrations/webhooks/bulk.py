"""The outbox written set-based, for writers of many rows at once (the people sync).

What `emit_many` writes (one event per resource, one delivery per enabled endpoint
subscribed to its name), in two statements whatever the number of rows: `listening` finds
what anyone listens to (the only statement when nobody does), and `emit_selected` inserts
the events and their deliveries together, the payloads built by PostgreSQL from the rows
just written (a caller's query selecting `event_type, payload`): nothing per row travels
through Python or the connection but ids.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from perfmgmt.tenancy.context import current_organization

from .models import DeliveryStatus
from .queueing import queue_deliveries

_LISTENING = """
SELECT DISTINCT unnest(event_types) FROM integrations_webhookendpoint
 WHERE organization_id = %s AND is_enabled AND event_types && %s::varchar[]
"""

# The events a caller's `source` query selects (event_type, payload), then every (event,
# listening endpoint) pair as a pending delivery due now. A message id needs only be unique
# in the organization: a random UUID's 32 hex digits.
_WRITE = """
WITH event AS (
    INSERT INTO integrations_webhookevent (organization_id, event_type, payload, created_at)
    SELECT %(organization)s, source.event_type, source.payload, %(now)s
      FROM ({source}) AS source
    RETURNING id, event_type
)
INSERT INTO integrations_webhookdelivery
       (organization_id, endpoint_id, event_id, message_id, status, attempt_count,
        next_attempt_at, retry_window_start, created_at)
SELECT %(organization)s, endpoint.id, event.id,
       'msg_' || replace(gen_random_uuid()::text, '-', ''), %(pending)s, 0,
       %(now)s, %(now)s, %(now)s
  FROM event
  JOIN integrations_webhookendpoint AS endpoint
    ON endpoint.organization_id = %(organization)s AND endpoint.is_enabled
   AND event.event_type = ANY(endpoint.event_types)
RETURNING id
"""


def listening(names: Sequence[str]) -> set[str]:
    """Which of `names` some enabled endpoint of the active organization subscribes to."""
    organization = current_organization()
    with connection.cursor() as cursor:
        cursor.execute(_LISTENING, [organization.pk, list(names)])
        return {row[0] for row in cursor.fetchall()} & set(names)


def envelope(data: str) -> str:
    """The SQL of a payload around `data` (the SQL of the resource's jsonb), as
    `events.build_payload` builds it; `source` queries select it as `payload`."""
    return (
        "jsonb_build_object('type', v.event_type, 'timestamp', %(timestamp)s::text, "
        f"'organization', %(slug)s::text, 'data', {data})"
    )


def emit_selected(*, source: str, params: dict[str, Any]) -> int:
    """Write the events `source` selects for the active organization (a constant query of
    the caller's module whose rows are `event_type, payload`, built with `envelope`;
    `params` its parameters), with their deliveries; the number of deliveries written."""
    organization = current_organization()
    values = {
        **params,
        "organization": organization.pk,
        "slug": organization.slug,
        "now": timezone.now(),
        "timestamp": timezone.now().astimezone(datetime.UTC).isoformat().replace("+00:00", "Z"),
        "pending": DeliveryStatus.PENDING,
    }
    # One statement: the events and their deliveries are written together or not at all.
    with connection.cursor() as cursor:
        cursor.execute(_WRITE.format(source=source), values)  # source: the caller's constant
        delivery_ids = [row[0] for row in cursor.fetchall()]
    organization_id = organization.pk
    transaction.on_commit(lambda: queue_deliveries(organization_id, delivery_ids))
    return len(delivery_ids)

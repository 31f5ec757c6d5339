"""The outbox written set-based, for writers of many rows at once (the people sync).

`emit_rows([(name, resource), ...])` writes what `emit_many` writes for each pair (one event,
one delivery per enabled endpoint subscribed to its name) in a fixed number of statements
whatever the number of pairs: one that finds the listening endpoints (the only one when
nobody listens), and one that inserts the events and their deliveries together. A resource
is anything with `pk` and the catalogue's fields as attributes (a model, or the sync's plain
record of a person); its payload is the catalogue's, as `emit` builds it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from perfmgmt.tenancy.context import current_organization

from .catalogue import event_type
from .events import build_payload, queue_deliveries
from .models import DeliveryStatus

_LISTENING = """
SELECT DISTINCT unnest(event_types) FROM integrations_webhookendpoint
 WHERE organization_id = %s AND is_enabled AND event_types && %s::varchar[]
"""

# The events, then every (event, listening endpoint) pair as a pending delivery due now.
# A message id needs only be unique in the organization: a random UUID's 32 hex digits.
_WRITE = """
WITH event AS (
    INSERT INTO integrations_webhookevent (organization_id, event_type, payload, created_at)
    SELECT %(organization)s, v.event_type, v.payload, %(now)s
      FROM unnest(%(names)s::varchar[], %(payloads)s::jsonb[]) AS v(event_type, payload)
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


def emit_rows(events: Sequence[tuple[str, Any]], *, listened: set[str] | None = None) -> int:
    """Write the events of the active organization nobody has to build models for; the
    number of events written. `listened`: what `listening` answered, if already asked."""
    if not events:
        return 0
    organization = current_organization()
    names = sorted({name for name, _resource in events})
    listened = listening(names) if listened is None else listened
    kept = [(name, resource) for name, resource in events if name in listened]
    if not kept:
        return 0
    payloads = [
        json.dumps(build_payload(event_type(name), resource, organization.slug))
        for name, resource in kept
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            _WRITE,
            {
                "organization": organization.pk,
                "now": timezone.now(),
                "names": [name for name, _resource in kept],
                "payloads": payloads,
                "pending": DeliveryStatus.PENDING,
            },
        )
        delivery_ids = [row[0] for row in cursor.fetchall()]
        organization_id = organization.pk
        transaction.on_commit(lambda: queue_deliveries(organization_id, delivery_ids))
    return len(kept)

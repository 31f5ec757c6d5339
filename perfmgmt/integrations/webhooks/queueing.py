"""How deliveries reach the broker: one message per batch of delivery ids, never one each.

A people sync of 50,000 people with a listening endpoint writes 50,000 deliveries; one
message each would put 50,000 messages on the broker (and as many task starts, each with its
own scope and connection set-up). `queue_deliveries` sends them `DELIVERY_BATCH` ids a
message; the task (tasks.webhook_deliver_batch) attempts them one after the other, each on its
own as before (its claim, its attempt log, its own retry schedule), and hands what it could not
reach within its time budget to a new message (delivery.deliveries_attempt says why the budget
bounds a batch, not its size).

Retries due soon (delivery.SCHEDULE_AHEAD) are queued with an ETA, grouped too: only the
deliveries that failed, in groups whose retry times lie within `RETRY_GROUPING` of each
other, each group's message due when its latest member is (an attempt that is not due yet
does nothing, so a message must not come early). Retries further away wait for the sweep.

No order per endpoint is promised (nor was it with one message each: workers run messages
side by side, and a retry comes after later events); a receiver that needs one reads the
payload's timestamp. A batch is sent in the order of its ids, the order they were written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import transaction

# Ids per broker message. Small enough that a message is a few kilobytes and that a
# batch's work is spread over the workers; large enough that a sync of 50,000 people is
# 250 messages. The time a batch may take is bounded separately (tasks.BATCH_SECONDS).
DELIVERY_BATCH = 200
# A retry may wait this much longer than its own time so that it shares a message.
RETRY_GROUPING = timedelta(seconds=30)


def chunks(delivery_ids: Sequence[int], size: int) -> list[list[int]]:
    return [list(delivery_ids[start : start + size]) for start in range(0, len(delivery_ids), size)]


def queue_deliveries(organization_id: int, delivery_ids: Sequence[int]) -> None:
    """Queue the deliveries to be attempted now: one message per `DELIVERY_BATCH` ids."""
    from .tasks import webhook_deliver_batch

    for batch in chunks(delivery_ids, DELIVERY_BATCH):
        webhook_deliver_batch.delay(organization_id, batch)


def retry_groups(retries: Sequence[tuple[int, datetime]]) -> list[tuple[list[int], datetime]]:
    """The retries (delivery id, when due) as (ids, when the latest of them is due), at most
    `DELIVERY_BATCH` ids each, none waiting more than `RETRY_GROUPING` past its own time."""
    groups: list[tuple[list[int], datetime, datetime]] = []  # ids, first due, last due
    for delivery_id, when in sorted(retries, key=lambda retry: retry[1]):
        if groups:
            ids, first, _last = groups[-1]
            if len(ids) < DELIVERY_BATCH and when - first <= RETRY_GROUPING:
                ids.append(delivery_id)
                groups[-1] = (ids, first, when)
                continue
        groups.append(([delivery_id], when, when))
    return [(ids, last) for ids, _first, last in groups]


def queue_retries(organization_id: int, retries: Sequence[tuple[int, datetime]]) -> None:
    """Queue the retries due soon, after the current transaction commits (at once outside
    one): one message per group (`retry_groups`), due when its latest member is."""
    from .tasks import webhook_deliver_batch

    groups = retry_groups(retries)
    if not groups:
        return

    def publish() -> None:
        for delivery_ids, when in groups:
            webhook_deliver_batch.apply_async((organization_id, delivery_ids), eta=when)

    transaction.on_commit(publish)

import time

from celery import shared_task

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Organization

from .delivery import deliveries_attempt, delivery_attempt
from .queueing import queue_deliveries

# A batch starts no attempt after this many seconds (delivery.deliveries_attempt): one
# attempt that waits out both timeouts of ssrf.py (3 s + 5 s) still ends some 50 s before
# the soft limit, which only a receiver trickling its answer can reach. The hard limit stays
# far below the broker's visibility timeout (settings: a running task is never redelivered).
BATCH_SECONDS = 60


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=120, time_limit=150)
def webhook_deliver_batch(organization_id: int, delivery_ids: list[int]) -> None:
    """One attempt of each delivery that is due, in turn, for at most `BATCH_SECONDS`; the
    ones not reached by then go back to the broker as a new message."""
    deadline = time.monotonic() + BATCH_SECONDS
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return
    with organization_scope(organization):
        remaining = deliveries_attempt(delivery_ids=delivery_ids, deadline=deadline)
    if remaining:
        queue_deliveries(organization_id, remaining)


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=60, time_limit=90)
def webhook_deliver(organization_id: int, delivery_id: int) -> None:
    """One attempt of one delivery, if it is due (an early or repeated message does nothing).
    Nothing queues it any more; it runs the messages queued before batches were."""
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return
    with organization_scope(organization):
        delivery_attempt(delivery_id=delivery_id)

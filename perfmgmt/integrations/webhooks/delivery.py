"""One attempt of one delivery, and what follows it: success, a retry later, or failure.

An attempt first claims the delivery (a short lease on `next_attempt_at`, so a message the
broker hands out twice, or the sweep's safety net, never sends twice at once), sends outside
any transaction, then records the attempt. A failed attempt is retried with exponential
backoff and jitter (from a minute up to twelve hours apart) until three days after the
delivery was created or redelivered; then the delivery is failed. An endpoint whose every
attempt has failed for three days (and at least `DISABLE_AFTER_FAILURES` in a row) is
disabled, and the owners are told in the app and by email. A batch (`deliveries_attempt`,
one broker message) is its deliveries' attempts one after the other, bounded by time.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from perfmgmt.audit.services import audit_record
from perfmgmt.localization import reader_locale
from perfmgmt.notifications.services import notify
from perfmgmt.notifications.sweep import drop_cut_connection
from perfmgmt.tenancy.context import current_organization
from perfmgmt.tenancy.models import Membership, MembershipStatus, Role
from perfmgmt.web.links import optional_reverse

from . import signing, ssrf
from .models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from .queueing import queue_retries

RETRY_WINDOW = timedelta(days=3)
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=12)
CLAIM_LEASE = timedelta(minutes=5)
FAILING_FOR = timedelta(days=3)
DISABLE_AFTER_FAILURES = 5
EXCERPT_CHARACTERS = 1000
_jitter = random.Random()


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    succeeded: bool
    error: str
    excerpt: str
    duration_ms: int


# A message with an ETA waits unacknowledged in a worker's memory, and the Redis broker
# hands it to another worker every visibility timeout (840 s) until it is due: a retry
# twelve hours away would be copied some fifty times. Retries further away than this are
# left to the sweep (sweep.py), which queues every due delivery each tick (15 minutes), so
# they go out at most one tick late.
SCHEDULE_AHEAD = timedelta(minutes=10)


def retry_delay(attempt: int) -> timedelta:
    """The wait after failed attempt number `attempt`: doubling from a minute, at most
    twelve hours, each spread by +/-20% so failing endpoints are not retried in step."""
    exponential = FIRST_RETRY * (2 ** min(attempt - 1, 20))
    return min(exponential, LONGEST_WAIT) * _jitter.uniform(0.8, 1.2)


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.event.payload, separators=(",", ":"), sort_keys=True).encode()


def signing_secrets(endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    expires = endpoint.previous_secret_expires_at
    still_valid = endpoint.previous_secret and expires is not None and now < expires
    return [endpoint.secret, endpoint.previous_secret] if still_valid else [endpoint.secret]


def delivery_claim(*, delivery_id: int, now: datetime) -> WebhookDelivery | None:
    """The delivery, if it is due, its endpoint enabled and nobody else is sending it."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint", "event")
            .filter(
                pk=delivery_id,
                status=DeliveryStatus.PENDING,
                next_attempt_at__lte=now,
                endpoint__is_enabled=True,
            )
            .first()
        )
        if delivery is None:
            return None
        delivery.attempt_count += 1
        delivery.last_attempt_at = now
        delivery.next_attempt_at = now + CLAIM_LEASE
        delivery.save(update_fields=["attempt_count", "last_attempt_at", "next_attempt_at"])
    return delivery


def _send(delivery: WebhookDelivery, now: datetime) -> Outcome:
    endpoint, body = delivery.endpoint, body_of(delivery)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "perfmgmt-webhooks/1",
        **signing.headers(
            signing_secrets(endpoint, now),
            message_id=delivery.message_id,
            timestamp=int(now.timestamp()),
            body=body,
        ),
    }
    started = time.monotonic()
    try:
        answer = ssrf.post(endpoint.url, body=body, headers=headers)
    except (ssrf.UnsafeURL, ssrf.DeliveryFailed) as error:
        duration = int((time.monotonic() - started) * 1000)
        return Outcome(None, False, str(error)[:300], "", duration)
    duration = int((time.monotonic() - started) * 1000)
    excerpt = answer.body.decode("utf-8", "replace")[:EXCERPT_CHARACTERS]
    return Outcome(
        answer.status, 200 <= answer.status < 300, _error_of(answer.status), excerpt, duration
    )


def _error_of(status: int) -> str:
    if 200 <= status < 300:
        return ""
    if 300 <= status < 400:
        return gettext("The server answered with a redirect; redirects are not followed.")
    return gettext("The server answered %(status)d.") % {"status": status}


def delivery_attempt(*, delivery_id: int) -> WebhookAttempt | None:
    """Send the delivery once if it is due; None when it is not (or someone else sends it).
    A retry due soon is queued after the attempt is recorded."""
    attempted = _attempt(delivery_id)
    if attempted is None:
        return None
    attempt, retry = attempted
    if retry is not None:
        queue_retries(attempt.organization_id, [retry])
    return attempt


def deliveries_attempt(*, delivery_ids: Sequence[int], deadline: float) -> list[int]:
    """Attempt each delivery in turn (each as `delivery_attempt` does), starting none after
    `deadline` (a `time.monotonic()` value); the ids not reached, for the caller to queue.

    A batch is bounded by time, not only by size: one attempt waits at most the connect
    and read timeouts of ssrf.py (3 s + 5 s a wait) for a slow receiver, so a batch of an
    endpoint that is down could outlast any limit its size allows. The task leaves room
    after the deadline for one more attempt; a receiver that trickles its answer byte by
    byte can hold an attempt longer still, and then the soft time limit stops the batch
    here: the ids after that attempt are handed back, and that attempt (claimed, not
    recorded) is sent again by the sweep once its claim has lapsed (CLAIM_LEASE).

    The retries due soon of the batch's failed attempts are queued together at the end
    (queueing.queue_retries), each delivery alone in its own retry schedule."""
    retries: list[tuple[int, datetime]] = []
    organization_id = current_organization().pk
    position = 0
    try:
        for position, delivery_id in enumerate(delivery_ids):
            if position and time.monotonic() >= deadline:
                return list(delivery_ids[position:])
            attempted = _attempt(delivery_id)
            if attempted is not None and attempted[1] is not None:
                retries.append(attempted[1])
    except SoftTimeLimitExceeded:
        drop_cut_connection()
        return list(delivery_ids[position + 1 :])
    finally:
        queue_retries(organization_id, retries)
    return []


def _attempt(delivery_id: int) -> tuple[WebhookAttempt, tuple[int, datetime] | None] | None:
    """One attempt if due: the attempt, and (id, when) if its retry is due soon."""
    now = timezone.now()
    delivery = delivery_claim(delivery_id=delivery_id, now=now)
    if delivery is None:
        return None
    outcome = _send(delivery, now)
    attempt = _record(delivery, now, outcome)
    retry_at = delivery.next_attempt_at
    soon = (
        delivery.status == DeliveryStatus.PENDING
        and retry_at is not None
        and retry_at - timezone.now() <= SCHEDULE_AHEAD
    )
    return attempt, ((delivery.pk, retry_at) if soon and retry_at else None)


def _record(delivery: WebhookDelivery, started_at: datetime, outcome: Outcome) -> WebhookAttempt:
    now = timezone.now()
    with transaction.atomic():
        attempt = WebhookAttempt.objects.create(
            organization_id=delivery.organization_id,
            delivery=delivery,
            number=delivery.attempt_count,
            started_at=started_at,
            duration_ms=outcome.duration_ms,
            status_code=outcome.status_code,
            succeeded=outcome.succeeded,
            error=outcome.error,
            response_excerpt=outcome.excerpt,
        )
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
        if outcome.succeeded:
            _succeeded(delivery, endpoint, now)
        else:
            _failed(delivery, endpoint, started_at, now)
        delivery.last_status_code = outcome.status_code
        delivery.save(
            update_fields=["status", "next_attempt_at", "delivered_at", "last_status_code"]
        )
    return attempt


def _succeeded(delivery: WebhookDelivery, endpoint: WebhookEndpoint, now: datetime) -> None:
    delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
        DeliveryStatus.SUCCEEDED,
        now,
        None,
    )
    if endpoint.failing_since is not None or endpoint.consecutive_failures:
        endpoint.failing_since, endpoint.consecutive_failures = None, 0
        endpoint.save(update_fields=["failing_since", "consecutive_failures", "updated_at"])


def _failed(
    delivery: WebhookDelivery, endpoint: WebhookEndpoint, started_at: datetime, now: datetime
) -> None:
    endpoint.consecutive_failures += 1
    endpoint.failing_since = endpoint.failing_since or started_at
    endpoint.save(update_fields=["failing_since", "consecutive_failures", "updated_at"])
    window_end = delivery.retry_window_start + RETRY_WINDOW
    # The last retry is at the end of the window, so "failing for three days" is seen.
    retry_at = min(now + retry_delay(delivery.attempt_count), window_end)
    if now >= window_end:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
    else:
        delivery.next_attempt_at = retry_at  # queued by the caller if due soon, else swept
    if (
        endpoint.is_enabled
        and endpoint.consecutive_failures >= DISABLE_AFTER_FAILURES
        and endpoint.failing_since <= now - FAILING_FOR
    ):
        endpoint_auto_disable(endpoint=endpoint, now=now)


def endpoint_auto_disable(*, endpoint: WebhookEndpoint, now: datetime) -> None:
    """Stop sending to an endpoint that has failed for days; tell the owners once."""
    endpoint.is_enabled, endpoint.disabled_at = False, now
    endpoint.disabled_reason = "failing"
    endpoint.save(update_fields=["is_enabled", "disabled_at", "disabled_reason", "updated_at"])
    audit_record(
        actor=None,
        action="webhook.auto_disable",
        target=endpoint,
        changes={"url": endpoint.url, "consecutive_failures": endpoint.consecutive_failures},
    )
    _tell_owners(endpoint, now)


def _tell_owners(endpoint: WebhookEndpoint, now: datetime) -> None:
    owners = Membership.objects.filter(
        role=Role.OWNER, status=MembershipStatus.ACTIVE
    ).select_related("user", "organization")
    for owner in owners:
        url = optional_reverse(
            "webhooks:detail", org_slug=owner.organization.slug, webhook_id=endpoint.pk
        )
        with reader_locale(user=owner.user, organization=owner.organization):
            title = gettext("A webhook endpoint was turned off")
            body = gettext(
                "Every delivery to %(url)s has failed for three days, so nothing more is "
                "sent to it. Fix the receiver, then turn the endpoint on again."
            ) % {"url": endpoint.url}
        notify(
            recipient=owner,
            kind="webhook-disabled",
            key=f"webhook-disabled:{endpoint.pk}:{int(now.timestamp())}",
            title=title,
            body=body,
            url=url,
        )

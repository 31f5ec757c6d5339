"""The email outbox: a Notification row carries its email's delivery state.

Guarantees (the README's "Email delivery" section says the same for operators):

* The in-app notification exists exactly once (`services.notify`). Its email is sent at
  least once, and twice only in one window: a worker that dies after the mail server
  accepted the message and before `email_finished` recorded it. That window is one UPDATE
  wide, and every attempt carries the same `Message-ID` (`email_message_id`), so a repeat
  is recognisable as one.
* Whoever moves a due row PENDING -> SENDING (`email_claim`) sends it; a duplicate broker
  message finds nothing to claim and sends nothing.
* A failed send returns the row to PENDING with `email_next_attempt_at` set from a backoff
  of 1, 2, 4 ... minutes up to an hour (`email_retry_delay`); after `MAX_EMAIL_ATTEMPTS`
  attempts (about a day) it is FAILED. HR sees failed rows on the delivery page and can
  resend them (`email_resend`).
* The sweep (`email_requeue_due`, every 15 minutes per organization) hands rows claimed by a
  dead worker back, and queues the rows that are due and have no recent broker message
  (`email_queued_at`), at most `EMAIL_REQUEUE_BATCHES` messages per sweep: a lagging worker
  or a long mail-server outage never makes it queue the same email over and over.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from email.utils import parseaddr
from functools import partial
from typing import Literal
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import BooleanField, F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone

from perfmgmt.tenancy.context import current_organization

from .email import send_templated_email
from .models import Notification

logger = logging.getLogger(__name__)

State = Notification.EmailState
EmailOutcome = Literal["sent", "skipped", "retry", "failed"]

# A SENDING row claimed this long ago belongs to a worker that died mid-send.
EMAIL_STALL_AFTER = timedelta(minutes=15)
# A row queued this long ago and still waiting lost its broker message. Longer than the
# broker's redelivery of a dead worker's messages, so only a message that is really gone
# is replaced; and longer than three sweeps, so a lagging worker is not sent copies.
EMAIL_REQUEUE_AFTER = timedelta(hours=1)
# How many emails one broker message carries (`emails_queue`), and how many such messages
# one sweep of one organization queues at most (the rest wait for the next sweep).
EMAIL_BATCH = 500
EMAIL_REQUEUE_BATCHES = 20
# Failed sends: 1, 2, 4 ... minutes, at most an hour apart; 30 attempts span about a day.
EMAIL_RETRY_FIRST = timedelta(minutes=1)
EMAIL_RETRY_CEILING = timedelta(hours=1)
MAX_EMAIL_ATTEMPTS = 30
LAST_ERROR_LENGTH = 200


def email_retry_delay(attempts: int) -> timedelta:
    """How long after its `attempts`-th failed attempt an email is tried again."""
    doublings = min(max(attempts - 1, 0), 16)
    return min(EMAIL_RETRY_FIRST * 2**doublings, EMAIL_RETRY_CEILING)


def _message_domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    domain = address.rpartition("@")[2] if "@" in address else ""
    return domain or urlsplit(settings.SITE_URL).hostname or "perfmgmt.invalid"


def email_message_id(notification: Notification) -> str:
    """The `Message-ID` of this notification's email, the same on every attempt."""
    return f"<notification-{notification.organization_id}-{notification.pk}@{_message_domain()}>"


def among(queryset: QuerySet[Notification], ids: Sequence[int]) -> QuerySet[Notification]:
    # One array parameter, however many ids: the statement does not grow with the batch.
    condition = RawSQL(
        '"notifications_notification"."id" = ANY(%s)', [list(ids)], output_field=BooleanField()
    )
    return queryset.filter(condition)


def emails_queue(
    *, organization_id: int, notification_ids: Sequence[int], now: datetime | None = None
) -> int:
    """Queue the emails of these notifications after commit, one broker message per
    `EMAIL_BATCH` ids, and mark them queued (`email_queued_at`) so the sweep leaves them to
    that message. Each id is still claimed on its own, so a duplicate message sends nothing
    twice. Returns the number of messages queued."""
    ids = list(notification_ids)
    if not ids:
        return 0
    among(Notification.objects.all(), ids).update(email_queued_at=now or timezone.now())
    batches = [ids[start : start + EMAIL_BATCH] for start in range(0, len(ids), EMAIL_BATCH)]
    for batch in batches:
        transaction.on_commit(partial(enqueue_batch, organization_id, batch))
    return len(batches)


def enqueue_batch(organization_id: int, batch: list[int]) -> None:
    """Hand one batch to the broker. If the broker is away, the batch is marked not queued,
    so the next sweep queues it (instead of waiting EMAIL_REQUEUE_AFTER), and the caller's
    committed work is not turned into an error."""
    from kombu.exceptions import OperationalError as BrokerError

    from .tasks import send_notification_emails

    try:
        send_notification_emails.delay(organization_id, batch)
    except (BrokerError, OSError):
        logger.warning("Could not queue %s emails; the sweep will", len(batch), exc_info=True)
        # Runs after commit, maybe outside the scope: the organization is named explicitly.
        waiting = Notification.unscoped.filter(organization_id=organization_id)
        among(waiting, batch).update(email_queued_at=None)


def _due(now: datetime) -> Q:
    return Q(email_next_attempt_at=None) | Q(email_next_attempt_at__lte=now)


def email_claim(*, notification_id: int) -> Notification | None:
    """Move one due notification from PENDING to SENDING; only one caller can win. A row
    whose retry is not due yet is not claimed: an early message sends nothing."""
    now = timezone.now()
    claimed = Notification.objects.filter(
        _due(now), pk=notification_id, email_state=State.PENDING
    ).update(
        email_state=State.SENDING,
        email_claimed_at=now,
        email_attempts=F("email_attempts") + 1,
    )
    if not claimed:
        return None
    return Notification.objects.select_related("recipient__user", "organization").get(
        pk=notification_id
    )


def email_finished(*, notification: Notification, sent: bool, error: str = "") -> EmailOutcome:
    """Record the outcome of the claim held by `notification`: SENT, or PENDING with the
    next attempt's time, or FAILED when the attempts are used up.

    The update only applies while the row still carries this claim, so a worker that was
    presumed dead (and whose row was handed to another) cannot overwrite the newer state.
    """
    now = timezone.now()
    outcome: EmailOutcome
    if sent:
        outcome = "sent"
        changes = {"email_state": State.SENT, "emailed_at": now, "email_last_error": ""}
    else:
        failed = notification.email_attempts >= MAX_EMAIL_ATTEMPTS
        outcome = "failed" if failed else "retry"
        changes = {
            "email_state": State.FAILED if failed else State.PENDING,
            "email_next_attempt_at": None
            if failed
            else now + email_retry_delay(notification.email_attempts),
            "email_queued_at": None,
            "email_last_error": (error or "Unknown error")[:LAST_ERROR_LENGTH],
        }
    Notification.objects.filter(
        pk=notification.pk,
        email_state=State.SENDING,
        email_claimed_at=notification.email_claimed_at,
    ).update(**changes)
    for field, value in changes.items():
        setattr(notification, field, value)
    return outcome


def email_link(notification: Notification) -> str:
    """The absolute address the email points to: the notification's page, or the inbox."""
    site_url = settings.SITE_URL.rstrip("/")
    url = notification.url
    if url.startswith(("https://", "http://")):
        return url
    if not url.startswith("/"):
        url = reverse("notifications:inbox", kwargs={"org_slug": notification.organization.slug})
    return site_url + url


def email_send(*, notification_id: int) -> EmailOutcome:
    """Claim and send one notification's email; report what happened.

    "skipped": nothing to claim (already sent, being sent, or not due), the recipient can no
    longer sign in, or what it asked for was done in the meantime. "retry": the send failed
    and the row waits for its next attempt. "failed": out of attempts.
    """
    notification = email_claim(notification_id=notification_id)
    if notification is None:
        return "skipped"
    recipient = notification.recipient
    if not recipient.can_sign_in or notification.resolved_at is not None:
        Notification.objects.filter(pk=notification.pk).update(email_state=State.NOT_SENT)
        return "skipped"
    try:
        send_templated_email(
            template="emails/notification",
            to=recipient.user.email,
            reader=recipient.user,
            organization=notification.organization,
            message_id=email_message_id(notification),
            context={
                "notification": notification,
                "organization": notification.organization,
                "recipient": recipient,
                "link": email_link(notification),
            },
        )
    except Exception as error:
        # SMTP errors are OSErrors, but a template or encoding bug must not leave the row
        # claimed forever either: record the attempt and let the retry budget decide.
        logger.exception("Sending the email of notification %s failed", notification.pk)
        return email_finished(
            notification=notification, sent=False, error=f"{type(error).__name__}: {error}"
        )
    # Nothing between the mail server's answer and recording it: this is the whole window
    # in which a dying worker leaves a sent email looking unsent.
    return email_finished(notification=notification, sent=True)


def _release_stalled(now: datetime) -> int:
    released = Notification.objects.filter(
        email_state=State.SENDING, email_claimed_at__lt=now - EMAIL_STALL_AFTER
    ).update(email_state=State.PENDING, email_next_attempt_at=None, email_queued_at=None)
    if released:
        logger.warning("%s emails were stuck sending (a worker died); sending again", released)
    return released


def email_requeue_due(*, now: datetime | None = None) -> list[int]:
    """Queue this organization's emails that are due and that no broker message will send.

    Rows claimed longer than EMAIL_STALL_AFTER ago go back to PENDING first (their worker
    died mid-send: at-least-once, see the module docstring). Then due PENDING rows with no
    message queued within EMAIL_REQUEUE_AFTER are queued in batches, at most
    EMAIL_REQUEUE_BATCHES messages, oldest first; the rest wait for the next sweep. Rows
    locked by a concurrent sweep are skipped. Returns the ids queued.
    """
    now = now or timezone.now()
    _release_stalled(now)
    waiting = Notification.objects.filter(
        _due(now),
        Q(email_queued_at=None) | Q(email_queued_at__lt=now - EMAIL_REQUEUE_AFTER),
        email_state=State.PENDING,
    )
    with transaction.atomic():
        ids = list(
            waiting.order_by("pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[: EMAIL_REQUEUE_BATCHES * EMAIL_BATCH]
        )
        emails_queue(organization_id=current_organization().pk, notification_ids=ids, now=now)
    return ids


# The names the sweep and earlier callers use.
email_requeue_stalled = email_requeue_due
claim_email = email_claim

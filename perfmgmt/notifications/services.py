"""Notifications: the in-app inbox, the exactly-once reminder ledger and, re-exported from
`outbox.py` and `deliveries.py`, the email outbox and its delivery page's writes.

* A notification exists at most once per (recipient, key): the unique constraint decides
  every race (a retried task, two beat processes, two workers sweeping the same org).
* Its email is sent at least once, twice only if a worker dies between the mail server's
  answer and recording it; every attempt carries the same Message-ID. The outbox module
  docstring has the details: claims, retries over a day, the sweep's capped re-queue.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perfmgmt.errors import DomainError, NotFoundError
from perfmgmt.tenancy.context import current_organization
from perfmgmt.tenancy.models import Membership

from .deliveries import email_resend, email_resend_failed
from .models import Notification
from .outbox import (
    EMAIL_BATCH,
    EMAIL_REQUEUE_AFTER,
    EMAIL_STALL_AFTER,
    MAX_EMAIL_ATTEMPTS,
    EmailOutcome,
    claim_email,
    email_claim,
    email_finished,
    email_link,
    email_message_id,
    email_requeue_due,
    email_requeue_stalled,
    email_retry_delay,
    email_send,
    emails_queue,
    enqueue_batch,
)

logger = logging.getLogger(__name__)

__all__ = [
    "EMAIL_BATCH",
    "EMAIL_REQUEUE_AFTER",
    "EMAIL_STALL_AFTER",
    "MAX_EMAIL_ATTEMPTS",
    "EmailOutcome",
    "claim_email",
    "email_claim",
    "email_finished",
    "email_link",
    "email_message_id",
    "email_requeue_due",
    "email_requeue_stalled",
    "email_resend",
    "email_resend_failed",
    "email_retry_delay",
    "email_send",
    "emails_queue",
    "notification_mark_all_read",
    "notification_mark_read",
    "notifications_resolve",
    "notify",
]


def notify(
    *,
    recipient: Membership,
    kind: str,
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
    subject: str = "",
) -> tuple[Notification, bool]:
    """Create the notification named by `key` for this recipient, once.

    Returns (notification, created). A second call with the same recipient and key (a retried
    task, a second beat process, a concurrent sender) finds the existing row and sends nothing;
    the unique constraint on (organization, recipient, key) decides races. The email is queued
    after commit, only by the caller that created the row.

    Keys name the reminder and its period (``invitation-pending:42``,
    ``checkin-due:17:2026-W47``), so "once" means once per period. `subject` names what it
    asks the recipient to do something about (see `notifications_resolve`).
    """
    organization = current_organization()
    if recipient.organization_id != organization.pk:
        raise DomainError(_("Unknown recipient."), fields={"recipient": [_("Unknown person.")]})
    if not key or len(key) > Notification._meta.get_field("key").max_length:  # type: ignore[operator]
        raise DomainError(
            _("A notification key is 1-200 characters."), fields={"key": [_("Invalid.")]}
        )
    state = Notification.EmailState.PENDING if email else Notification.EmailState.NOT_SENT
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                key=key,
                # A title becomes an email subject: one line, bounded.
                title=" ".join(title.split())[:300],
                body=body,
                url=url,
                subject=subject[:200],
                email_state=state,
                # Queued right after commit (below): the sweep leaves it to that message.
                email_queued_at=timezone.now() if email else None,
            )
    except IntegrityError:
        # Lost the race, or it was sent before: either way it exists once already.
        logger.debug("Notification %s for %s exists already", key, recipient.pk)
        return Notification.objects.get(recipient=recipient, key=key), False
    if email:
        _queue_email_after_commit(notification)
    return notification, True


def _queue_email_after_commit(notification: Notification) -> None:
    batch = [notification.pk]
    transaction.on_commit(partial(enqueue_batch, notification.organization_id, batch))


def notification_mark_read(*, actor: Membership, notification: Notification) -> Notification:
    """Mark one of the actor's notifications read. Doing it twice keeps the first time."""
    if notification.recipient_id != actor.pk:
        raise NotFoundError(_("No such notification."))
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at=None).update(read_at=now)
        notification.refresh_from_db(fields=["read_at"])
    return notification


def notification_mark_all_read(*, actor: Membership) -> int:
    return Notification.objects.filter(recipient=actor, read_at=None).update(read_at=timezone.now())


def notifications_resolve(
    *,
    subject: str,
    kinds: Collection[str] | None = None,
    by: Membership | None = None,
    recipient: Membership | None = None,
) -> int:
    """Mark the notifications about `subject` resolved: what they asked for was done (by
    `by`, when a person did it). Call it in the transaction of the service that did it.

    They stay in the inbox saying so, leave the unread count, and an email not sent yet
    is not sent. `kinds` limits it to those kinds (a goal update resolves "update your
    goal", not "agree this goal"), `recipient` to one person's (what only they were asked
    to do). Resolving again changes nothing. Returns how many.
    """
    if not subject:
        return 0
    about = Notification.objects.filter(subject=subject)
    if recipient is not None:
        about = about.filter(recipient=recipient)
    open_ones = about.filter(resolved_at=None)
    if kinds is not None:
        open_ones = open_ones.filter(kind__in=list(kinds))
    resolved = open_ones.update(resolved_at=timezone.now(), resolved_by=by)
    about.filter(email_state=Notification.EmailState.PENDING, resolved_at__isnull=False).update(
        email_state=Notification.EmailState.NOT_SENT
    )
    return resolved

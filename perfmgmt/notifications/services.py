"""Notifications: the in-app inbox, the exactly-once reminder ledger and the email outbox.

Delivery guarantees, in one place:

* A notification exists at most once per (recipient, key): the unique constraint decides
  every race (a retried task, two beat processes, two workers sweeping the same org).
* Its email is sent by whoever moves the row PENDING -> SENDING (`email_claim`); a duplicate
  delivery of the send task finds nothing to claim and sends nothing.
* If a worker dies between the claim and recording the outcome, the row stays SENDING. The
  sweep (`email_requeue_stalled`) hands rows claimed more than `EMAIL_STALL_AFTER` ago back
  to PENDING and re-queues them. Nobody can know whether the dead worker's SMTP session
  delivered the message, so in that one case delivery is at-least-once (a possible
  duplicate), never silently lost. The send task's time limit is far below the stall
  threshold, so a live but slow send is killed before the sweep would duplicate it.
* A failed send goes back to PENDING and is retried with backoff; after
  `MAX_EMAIL_ATTEMPTS` attempts it is marked FAILED and stays visible in the inbox.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Literal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from perfmgmt.errors import DomainError, NotFoundError
from perfmgmt.tenancy.context import current_organization
from perfmgmt.tenancy.models import Membership

from .email import send_templated_email
from .models import Notification

logger = logging.getLogger(__name__)

EMAIL_STALL_AFTER = timedelta(minutes=15)
MAX_EMAIL_ATTEMPTS = 5
# How many emails one broker message carries (`emails_queue`).
EMAIL_BATCH = 100

EmailOutcome = Literal["sent", "skipped", "retry", "failed"]


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
            )
    except IntegrityError:
        # Lost the race, or it was sent before: either way it exists once already.
        logger.debug("Notification %s for %s exists already", key, recipient.pk)
        return Notification.objects.get(recipient=recipient, key=key), False
    if email:
        _queue_email_after_commit(notification)
    return notification, True


def _queue_email_after_commit(notification: Notification) -> None:
    from .tasks import send_notification_email

    organization_id, notification_id = notification.organization_id, notification.pk
    transaction.on_commit(lambda: send_notification_email.delay(organization_id, notification_id))


def emails_queue(*, organization_id: int, notification_ids: Sequence[int]) -> int:
    """Queue the emails of these notifications after commit, one broker message per
    `EMAIL_BATCH` ids (a sweep creating thousands of reminders sends tens of messages, not
    thousands). Each id is still claimed on its own, so a duplicate message sends nothing
    twice. Returns the number of messages queued."""
    from .tasks import send_notification_emails

    ids = list(notification_ids)
    batches = [ids[start : start + EMAIL_BATCH] for start in range(0, len(ids), EMAIL_BATCH)]
    for batch in batches:
        transaction.on_commit(partial(send_notification_emails.delay, organization_id, batch))
    return len(batches)


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
    *, subject: str, kinds: Collection[str] | None = None, by: Membership | None = None
) -> int:
    """Mark the notifications about `subject` resolved: what they asked for was done (by
    `by`, when a person did it). Call it in the transaction of the service that did it.

    They stay in the inbox saying so, leave the unread count, and an email not sent yet
    is not sent. `kinds` limits it to those kinds (a goal update resolves "update your
    goal", not "agree this goal"). Resolving again changes nothing. Returns how many.
    """
    if not subject:
        return 0
    open_ones = Notification.objects.filter(subject=subject, resolved_at=None)
    if kinds is not None:
        open_ones = open_ones.filter(kind__in=list(kinds))
    resolved = open_ones.update(resolved_at=timezone.now(), resolved_by=by)
    Notification.objects.filter(
        subject=subject, email_state=Notification.EmailState.PENDING, resolved_at__isnull=False
    ).update(email_state=Notification.EmailState.NOT_SENT)
    return resolved


# Email outbox --------------------------------------------------------------------------


def email_claim(*, notification_id: int) -> Notification | None:
    """Move one notification from PENDING to SENDING; only one caller can win."""
    claimed = Notification.objects.filter(
        pk=notification_id, email_state=Notification.EmailState.PENDING
    ).update(
        email_state=Notification.EmailState.SENDING,
        email_claimed_at=timezone.now(),
        email_attempts=F("email_attempts") + 1,
    )
    if not claimed:
        return None
    return Notification.objects.select_related("recipient__user", "organization").get(
        pk=notification_id
    )


# The name the foundation used; kept for callers written against it.
claim_email = email_claim


def email_finished(*, notification: Notification, sent: bool) -> EmailOutcome:
    """Record the outcome of the claim held by `notification`.

    The update only applies while the row still carries this claim, so a worker that was
    presumed dead (and whose row was handed to another) cannot overwrite the newer state.
    """
    if sent:
        state, outcome = Notification.EmailState.SENT, "sent"
    elif notification.email_attempts >= MAX_EMAIL_ATTEMPTS:
        state, outcome = Notification.EmailState.FAILED, "failed"
    else:
        state, outcome = Notification.EmailState.PENDING, "retry"
    Notification.objects.filter(
        pk=notification.pk,
        email_state=Notification.EmailState.SENDING,
        email_claimed_at=notification.email_claimed_at,
    ).update(email_state=state, emailed_at=timezone.now() if sent else None)
    notification.email_state = state
    return outcome  # type: ignore[return-value]


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

    "skipped": nothing to claim (already sent or being sent), the recipient can no longer
    sign in, or what it asked for was done in the meantime. "retry": the send failed and
    the row is PENDING again. "failed": out of attempts.
    """
    notification = email_claim(notification_id=notification_id)
    if notification is None:
        return "skipped"
    recipient = notification.recipient
    if not recipient.can_sign_in or notification.resolved_at is not None:
        Notification.objects.filter(pk=notification.pk).update(
            email_state=Notification.EmailState.NOT_SENT
        )
        return "skipped"
    try:
        send_templated_email(
            template="emails/notification",
            to=recipient.user.email,
            reader=recipient.user,
            organization=notification.organization,
            context={
                "notification": notification,
                "organization": notification.organization,
                "recipient": recipient,
                "link": email_link(notification),
            },
        )
    except Exception:
        # SMTP errors are OSErrors, but a template or encoding bug must not leave the row
        # claimed forever either: record the attempt and let the retry budget decide.
        logger.exception("Sending the email of notification %s failed", notification.pk)
        return email_finished(notification=notification, sent=False)
    return email_finished(notification=notification, sent=True)


def email_requeue_stalled(*, now: datetime | None = None) -> list[int]:
    """Re-queue this organization's emails that no worker is going to finish.

    SENDING rows claimed longer than EMAIL_STALL_AFTER ago belong to a worker that died
    mid-send (at-least-once: see the module docstring). PENDING rows untouched for as long
    lost their task (a broker outage at commit time, or a retry dropped with its worker).
    Returns the ids queued.
    """
    cutoff = (now or timezone.now()) - EMAIL_STALL_AFTER
    stalled = list(
        Notification.objects.filter(
            email_state=Notification.EmailState.SENDING, email_claimed_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
    for notification_id in stalled:
        released = Notification.objects.filter(
            pk=notification_id,
            email_state=Notification.EmailState.SENDING,
            email_claimed_at__lt=cutoff,
        ).update(email_state=Notification.EmailState.PENDING)
        if released:
            logger.warning("Notification %s was stuck sending; sending again", notification_id)
    waiting = list(
        Notification.objects.annotate(last_touched=Coalesce("email_claimed_at", "created_at"))
        .filter(Q(email_state=Notification.EmailState.PENDING), last_touched__lt=cutoff)
        .values_list("pk", "organization_id")
    )
    from .tasks import send_notification_email

    for notification_id, organization_id in waiting:
        transaction.on_commit(
            partial(send_notification_email.delay, organization_id, notification_id)
        )
    return [notification_id for notification_id, _ in waiting]

"""Notifications: the in-app inbox and the exactly-once reminder ledger."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from perfmgmt.tenancy.models import Membership

from .models import Notification


def notify(
    *,
    recipient: Membership,
    kind: str,
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
) -> tuple[Notification, bool]:
    """Create the notification named by `key` for this recipient, once.

    Returns (notification, created). A second call with the same recipient and key (a retried
    task, a second beat process, a concurrent sender) finds the existing row and sends nothing;
    the unique constraint on (organization, recipient, key) decides races. The email is queued
    after commit, only by the caller that created the row.
    """
    state = Notification.EmailState.PENDING if email else Notification.EmailState.NOT_SENT
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                key=key,
                title=title[:300],
                body=body,
                url=url,
                email_state=state,
            )
    except IntegrityError:
        return Notification.objects.get(recipient=recipient, key=key), False
    if email:
        from .tasks import send_notification_email

        organization_id, notification_id = notification.organization_id, notification.pk
        transaction.on_commit(lambda: send_notification_email.delay(organization_id, notification_id))
    return notification, True


def notification_mark_read(*, actor: Membership, notification: Notification) -> Notification:
    if notification.recipient_id != actor.pk:
        from django.http import Http404

        raise Http404("No such notification.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, actor: Membership) -> int:
    return Notification.objects.filter(recipient=actor, read_at=None).update(read_at=timezone.now())


def claim_email(*, notification_id: int) -> Notification | None:
    """Move one notification from PENDING to SENDING; only one caller can win."""
    claimed = Notification.objects.filter(
        pk=notification_id, email_state=Notification.EmailState.PENDING
    ).update(email_state=Notification.EmailState.SENDING)
    if not claimed:
        return None
    return Notification.objects.select_related("recipient__user", "organization").get(pk=notification_id)


def email_finished(*, notification: Notification, sent: bool) -> None:
    notification.email_state = (
        Notification.EmailState.SENT if sent else Notification.EmailState.PENDING
    )
    notification.emailed_at = timezone.now() if sent else None
    notification.save(update_fields=["email_state", "emailed_at"])

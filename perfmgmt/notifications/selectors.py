"""Reads of a person's own notifications (nobody reads anyone else's inbox), and, re-exported
from `deliveries.py`, HR's reads of email delivery states."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from perfmgmt.tenancy.models import Membership

from .deliveries import email_delivery_counts, email_delivery_get, email_delivery_list
from .models import UNREAD, Notification

__all__ = [
    "email_delivery_counts",
    "email_delivery_get",
    "email_delivery_list",
    "notification_get",
    "notification_list",
    "notification_unread_count",
]


def notification_list(*, actor: Membership) -> QuerySet[Notification]:
    """The actor's notifications, newest first (with who resolved them, if someone did)."""
    return (
        Notification.objects.filter(recipient=actor)
        .select_related("resolved_by__user")
        .order_by("-created_at", "-id")
    )


def notification_get(*, actor: Membership, notification_id: int | str) -> Notification:
    """One of the actor's notifications, or 404: another person's or organization's id
    looks exactly like a missing one."""
    try:
        return notification_list(actor=actor).get(pk=int(notification_id))
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404("No such notification.") from None


def notification_unread_count(*, actor: Membership) -> int:
    """Not read and not resolved elsewhere (`models.UNREAD`)."""
    return Notification.objects.filter(UNREAD, recipient=actor).count()

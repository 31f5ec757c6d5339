"""Reads of a person's own notifications (nobody reads anyone else's inbox), and, re-exported
from `deliveries.py`, HR's reads of email delivery states."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Q, QuerySet
from django.http import Http404

from perfmgmt.tenancy import facts
from perfmgmt.tenancy.models import Membership

from .deliveries import email_delivery_counts, email_delivery_get, email_delivery_list
from .models import UNREAD, Notification

__all__ = [
    "email_delivery_counts",
    "email_delivery_get",
    "email_delivery_list",
    "header_unread_count",
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


def _unread_of(person: Any) -> Q:
    """Not read and not resolved elsewhere (`models.UNREAD`)."""
    return UNREAD & Q(recipient=person)


# The header's count, read with the membership of every page (`header_unread_count`).
UNREAD_COUNT = facts.register(
    facts.MembershipFact(
        "notifications_unread", Notification, _unread_of(OuterRef("pk")), count=True
    )
)


def notification_unread_count(*, actor: Membership) -> int:
    """The actor's unread notifications, counted now."""
    return Notification.objects.filter(_unread_of(actor)).count()


def header_unread_count(*, actor: Membership) -> int:
    """The actor's unread notifications as of the start of the request, from the page's
    membership look-up (counted now for a membership loaded otherwise)."""
    return int(facts.value(actor, UNREAD_COUNT))

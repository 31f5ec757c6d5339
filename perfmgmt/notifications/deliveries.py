"""Email deliveries as HR sees them: counts by state, failed addresses, resending.

Reads and the resend writes share this module because they share one rule (HR admins and
owners only, `policies.can_view_email_deliveries`); the outbox itself is `outbox.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from perfmgmt.errors import PermissionDeniedError
from perfmgmt.tenancy.context import current_organization
from perfmgmt.tenancy.policies import Actor
from perfmgmt.web.keyset import after_key

from . import outbox, policies
from .models import Notification

State = Notification.EmailState
DELIVERY_PAGE_SIZE = 25
# What the list can show: given up on, or still being retried after a failure.
LISTS = ("failed", "retrying")
# Each state's count on the page stops here ("1000+").
COUNT_CAP = 1000


def _require_hr(actor: Actor) -> None:
    if not policies.can_view_email_deliveries(actor):
        raise PermissionDeniedError(_("Only HR admins and owners see email deliveries."))


@dataclass(frozen=True)
class Tally:
    """A count that stops at `COUNT_CAP`: the page says "1000+" rather than counting every
    email the organization was ever sent."""

    count: int
    more: bool = False

    def __bool__(self) -> bool:
        return self.count > 0

    def __str__(self) -> str:
        return f"{self.count}+" if self.more else str(self.count)


def _tally(rows: QuerySet[Notification]) -> Tally:
    # COUNT over a LIMITed subquery: reads at most COUNT_CAP + 1 entries of an index that
    # starts with organization and email state (notification_email_state, and the outbox
    # index for the retrying ones), however many emails were sent.
    found = rows.order_by()[: COUNT_CAP + 1].count()
    return Tally(min(found, COUNT_CAP), more=found > COUNT_CAP)


def email_delivery_counts(*, actor: Actor) -> dict[str, Tally]:
    """How many of the organization's emails are in each state shown (every state
    present), each counted up to `COUNT_CAP`; `retrying` is pending after a failure."""
    _require_hr(actor)
    emails = Notification.objects.all()
    totals = {
        state: _tally(emails.filter(email_state=state))
        for state in State.values
        if state != State.NOT_SENT
    }
    totals["retrying"] = _tally(
        emails.filter(email_state=State.PENDING).exclude(email_last_error="")
    )
    return totals


def email_delivery_list(
    *, actor: Actor, which: str = "failed", before: int | None = None
) -> tuple[list[Notification], int | None]:
    """One page of failed (or retrying) emails, newest first, keyset-paged by id: the page
    and the id to pass as `before` for the next one (None on the last page)."""
    _require_hr(actor)
    rows: QuerySet[Notification] = Notification.objects.select_related("recipient__user")
    if which == "retrying":
        rows = rows.filter(email_state=State.PENDING).exclude(email_last_error="")
    else:
        rows = rows.filter(email_state=State.FAILED)
    if before is not None:
        rows = after_key(rows, order=("-id",), key=(before,))
    page = list(rows.order_by("-pk")[: DELIVERY_PAGE_SIZE + 1])
    more = len(page) > DELIVERY_PAGE_SIZE
    page = page[:DELIVERY_PAGE_SIZE]
    return page, (page[-1].pk if more else None)


def email_delivery_get(*, actor: Actor, notification_id: int | str) -> Notification:
    """One notification of the organization with its email state, or 404 (another
    organization's id looks exactly like a missing one)."""
    _require_hr(actor)
    try:
        return Notification.objects.select_related("recipient__user").get(pk=int(notification_id))
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404("No such email.") from None


def _resend(ids: list[int]) -> int:
    """FAILED -> PENDING for these ids, with a fresh retry budget, and queue them."""
    if not ids:
        return 0
    now = timezone.now()
    with transaction.atomic():
        failed = list(
            outbox.among(Notification.objects.filter(email_state=State.FAILED), ids)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        outbox.among(Notification.objects.all(), failed).update(
            email_state=State.PENDING, email_attempts=0, email_next_attempt_at=None
        )
        outbox.emails_queue(
            organization_id=current_organization().pk, notification_ids=failed, now=now
        )
    return len(failed)


def email_resend(*, actor: Actor, notification: Notification) -> bool:
    """Send a FAILED email again (a fresh retry budget). Anything else is left as it is, so
    resending twice sends once. Returns whether it was queued."""
    if not policies.can_resend_email(actor):
        raise PermissionDeniedError(_("Only HR admins and owners resend emails."))
    return _resend([notification.pk]) == 1


def email_resend_failed(*, actor: Actor) -> int:
    """Send every FAILED email of the organization again, at most a sweep's worth at once
    (`outbox.EMAIL_REQUEUE_BATCHES` messages); returns how many were queued."""
    if not policies.can_resend_email(actor):
        raise PermissionDeniedError(_("Only HR admins and owners resend emails."))
    limit = outbox.EMAIL_REQUEUE_BATCHES * outbox.EMAIL_BATCH
    ids = list(
        Notification.objects.filter(email_state=State.FAILED)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return _resend(ids)

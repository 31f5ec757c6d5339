"""1:1 items on the home page's "what's next" list (two queries, whatever the numbers)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from perfmgmt.tenancy.models import Membership
from perfmgmt.web.links import optional_reverse
from perfmgmt.web.whats_next import Item, Priority, register

from . import selectors
from .models import ActionItem

SOON = timedelta(days=2)


@register
def items_for_person(membership: Membership) -> list[Item]:
    now = timezone.now()
    slug = membership.organization.slug
    items = []
    upcoming = (
        selectors.meetings_upcoming_for(actor=membership, now=now)
        .filter(scheduled_for__lt=now + SOON)
        .first()
    )
    if upcoming is not None:
        series = upcoming.series
        other = series.report if series.manager_id == membership.pk else series.manager
        when = timezone.localtime(upcoming.scheduled_for, membership.organization.zone)
        items.append(
            Item(
                title=f"1:1 with {other.display_name} on {when:%A at %H:%M}",
                detail="Add your talking points so you both can prepare.",
                url=optional_reverse("one_on_ones:meeting", org_slug=slug, meeting_id=upcoming.pk),
                priority=Priority.HIGH,
            )
        )
    today = timezone.localdate(now, membership.organization.zone)
    overdue = ActionItem.objects.filter(
        owner=membership, done_at__isnull=True, due_date__lt=today
    ).count()
    if overdue:
        noun = "action item is" if overdue == 1 else "action items are"
        items.append(
            Item(
                title=f"{overdue} 1:1 {noun} overdue",
                detail="Do them, or agree a new date in your next 1:1.",
                url=optional_reverse("one_on_ones:index", org_slug=slug),
                priority=Priority.HIGH,
            )
        )
    return items

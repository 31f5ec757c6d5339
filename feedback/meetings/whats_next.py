"""1:1 items on the home page's "what's next" list (two queries, whatever the numbers)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from perfmgmt.localization import format_clock, format_weekday
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
        items.append(
            Item(
                title=_("1:1 with %(name)s on %(day)s at %(clock)s")
                % {
                    "name": other.display_name,
                    "day": format_weekday(upcoming.scheduled_for),
                    "clock": format_clock(upcoming.scheduled_for),
                },
                detail=_("Add your talking points so you both can prepare."),
                url=optional_reverse("one_on_ones:meeting", org_slug=slug, meeting_id=upcoming.pk),
                priority=Priority.HIGH,
            )
        )
    today = timezone.localdate(now, membership.organization.zone)
    overdue = ActionItem.objects.filter(
        owner=membership, done_at__isnull=True, due_date__lt=today
    ).count()
    if overdue:
        items.append(
            Item(
                title=ngettext(
                    "%(count)d 1:1 action item is overdue",
                    "%(count)d 1:1 action items are overdue",
                    overdue,
                )
                % {"count": overdue},
                detail=_("Do them, or agree a new date in your next 1:1."),
                url=optional_reverse("one_on_ones:index", org_slug=slug),
                priority=Priority.HIGH,
            )
        )
    return items

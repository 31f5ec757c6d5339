"""1:1 reminders, run by the periodic sweep (see perfmgmt/notifications/sweep.py).

* The day before a meeting, both sides: "add your talking points". Once per meeting and
  date: the key names the meeting and its (local) date, so a meeting moved to another day is
  announced again for the new day, and a second sweep the same day sends nothing.
* Owners of overdue action items: once per item and due date (not daily: a nag every day
  would train people to ignore it). Moving the due date and missing it again reminds again.

Registered on import; the sweep's start-up discovery imports this module (the meetings app's
`reminders`).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext

from perfmgmt.localization import format_clock, format_day, reader_locale
from perfmgmt.notifications.models import subject_of
from perfmgmt.notifications.services import notify
from perfmgmt.notifications.sweep import reminder
from perfmgmt.tenancy.models import Organization

from .models import ActionItem, Meeting, MeetingStatus


def _meeting_url(organization: Organization, meeting_id: int) -> str:
    try:
        return reverse("one_on_ones:meeting", args=[organization.slug, meeting_id])
    except NoReverseMatch:  # pragma: no cover - the pages are always routed
        return ""


@reminder("one-on-one-prepare")
def one_on_one_tomorrow(organization: Organization, now: datetime) -> int:
    """Tell both sides of each meeting tomorrow (organization time) to add their points."""
    zone = organization.zone
    tomorrow = timezone.localtime(now, zone).date() + timedelta(days=1)
    start = datetime.combine(tomorrow, time.min, tzinfo=zone)
    meetings = Meeting.objects.filter(
        status=MeetingStatus.UPCOMING,
        scheduled_for__gte=start,
        scheduled_for__lt=start + timedelta(days=1),
    ).select_related("series__manager__user", "series__report__user")
    created = 0
    for meeting in meetings:
        series = meeting.series
        for side, other in ((series.manager, series.report), (series.report, series.manager)):
            if not side.can_sign_in:
                continue
            with reader_locale(user=side.user, organization=organization):
                title = gettext("1:1 with %(name)s tomorrow at %(clock)s") % {
                    "name": other.display_name,
                    "clock": format_clock(meeting.scheduled_for),
                }
                body = gettext(
                    "Add your talking points to the shared agenda so you both can prepare."
                )
            _, was_created = notify(
                recipient=side,
                kind="one-on-one-prepare",
                key=f"one-on-one-prepare:{meeting.pk}:{tomorrow.isoformat()}",
                title=title,
                body=body,
                url=_meeting_url(organization, meeting.pk),
            )
            created += was_created
    return created


@reminder("action-item-overdue")
def action_items_overdue(organization: Organization, now: datetime) -> int:
    """Tell the owner of each open action item whose due date has passed, once per item."""
    today = timezone.localtime(now, organization.zone).date()
    items = ActionItem.objects.filter(done_at__isnull=True, due_date__lt=today).select_related(
        "owner__user", "series__manager__user", "series__report__user"
    )
    created = 0
    for item in items:
        owner = item.owner
        if not owner.can_sign_in or item.due_date is None:
            continue
        other = item.series.manager if item.series.report_id == owner.pk else item.series.report
        with reader_locale(user=owner.user, organization=organization):
            title = gettext("Overdue since %(day)s: %(text)s") % {
                "day": format_day(item.due_date),
                "text": item.text[:120],
            }
            body = gettext("An action item from your 1:1 with %(name)s. Tick it off when done.") % {
                "name": other.display_name
            }
        _, was_created = notify(
            recipient=owner,
            kind="action-item-overdue",
            key=f"action-item-overdue:{item.pk}:{item.due_date.isoformat()}",
            title=title,
            body=body,
            url=_meeting_url(organization, item.meeting_id),
            subject=subject_of(item),
        )
        created += was_created
    return created

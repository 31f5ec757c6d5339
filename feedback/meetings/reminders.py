"""1:1 reminders, run by the periodic sweep (see perfmgmt/notifications/sweep.py).

* The day before a meeting, both sides: "add your talking points". Once per meeting and
  date: the key names the meeting and its (local) date, so a meeting moved to another day is
  announced again for the new day, and a second sweep the same day sends nothing. If no
  sweep managed it the day before, the day itself catches up ("1:1 today"), up to an hour
  before the meeting.
* Owners of overdue action items: once per item and due date (not daily: a nag every day
  would train people to ignore it). Moving the due date and missing it again reminds again.

Registered on import; the sweep's start-up discovery imports this module (the meetings app's
`reminders`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django.db.models import CharField, Exists, Func, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext

from perfmgmt.localization import format_clock, format_day
from perfmgmt.notifications.ledger import Due, deliver_rows
from perfmgmt.notifications.models import Notification, subject_of
from perfmgmt.notifications.sweep import reminder
from perfmgmt.tenancy.models import Membership, Organization

from .models import ActionItem, Meeting, MeetingStatus


def _meeting_url(organization: Organization, meeting_id: int) -> str:
    try:
        return reverse("one_on_ones:meeting", args=[organization.slug, meeting_id])
    except NoReverseMatch:  # pragma: no cover - the pages are always routed
        return ""


# Too close to prepare anything: a meeting this near, not announced yet, is left alone.
TOO_LATE = timedelta(hours=1)


@reminder("one-on-one-prepare")
def one_on_one_tomorrow(organization: Organization, now: datetime) -> int:
    """Tell both sides of each meeting tomorrow (organization time) to add their points.

    Catching up: a meeting later today (more than an hour away) that nobody was told
    about, because every sweep of yesterday failed, is announced as "today". Both use the
    key of the meeting's local date, so one told yesterday is not told again today."""
    zone = organization.zone
    today = timezone.localtime(now, zone).date()
    after_tomorrow = datetime.combine(today + timedelta(days=2), time.min, tzinfo=zone)
    meetings = (
        Meeting.objects.filter(
            status=MeetingStatus.UPCOMING,
            scheduled_for__gte=now + TOO_LATE,
            scheduled_for__lt=after_tomorrow,
        )
        .exclude(
            Exists(_told("series__manager_id", zone)) & Exists(_told("series__report_id", zone))
        )
        .select_related("series__manager__user", "series__report__user")
    )
    return deliver_rows(meetings, lambda page: _meeting_dues(organization, page, today))


def _told(side: str, zone: ZoneInfo) -> QuerySet[Notification]:
    """The reminder of the meeting's date to one side, its key built in SQL as
    `_meeting_dues` builds it in Python, so a repeat sweep reads no meeting whose both sides
    were told. Only a shortcut: were the two keys ever to differ, the ledger's own check of
    the Python key would still keep the reminder single."""
    local = Func(Value(zone.key), OuterRef("scheduled_for"), function="timezone")
    day = Func(local, template="to_char(%(expressions)s, 'YYYY-MM-DD')", output_field=CharField())
    key = Concat(
        Value("one-on-one-prepare:"),
        Cast(OuterRef("pk"), CharField()),
        Value(":"),
        day,
        output_field=CharField(),
    )
    return Notification.objects.filter(recipient_id=OuterRef(side), key=key)


def _meeting_dues(
    organization: Organization, meetings: Iterable[Meeting], today: date
) -> Iterator[Due]:
    for meeting in meetings:
        day = timezone.localtime(meeting.scheduled_for, organization.zone).date()
        series = meeting.series
        for side, other in ((series.manager, series.report), (series.report, series.manager)):
            if side.can_sign_in:
                yield Due(
                    recipient=side,
                    kind="one-on-one-prepare",
                    key=f"one-on-one-prepare:{meeting.pk}:{day.isoformat()}",
                    texts=partial(_prepare_texts, meeting, other, is_today=day == today),
                    url=_meeting_url(organization, meeting.pk),
                )


def _prepare_texts(meeting: Meeting, other: Membership, *, is_today: bool) -> tuple[str, str]:
    names = {"name": other.display_name, "clock": format_clock(meeting.scheduled_for)}
    if is_today:
        title = gettext("1:1 with %(name)s today at %(clock)s") % names
    else:
        title = gettext("1:1 with %(name)s tomorrow at %(clock)s") % names
    return title, gettext("Add your talking points to the shared agenda so you both can prepare.")


@reminder("action-item-overdue")
def action_items_overdue(organization: Organization, now: datetime) -> int:
    """Tell the owner of each open action item whose due date has passed, once per item."""
    today = timezone.localtime(now, organization.zone).date()
    items = ActionItem.objects.filter(done_at__isnull=True, due_date__lt=today).select_related(
        "owner__user", "series__manager__user", "series__report__user"
    )
    return deliver_rows(
        items,
        lambda page: [
            _item_due(organization, item)
            for item in page
            if item.owner.can_sign_in and item.due_date is not None
        ],
    )


def _item_due(organization: Organization, item: ActionItem) -> Due:
    assert item.due_date is not None
    return Due(
        recipient=item.owner,
        kind="action-item-overdue",
        key=f"action-item-overdue:{item.pk}:{item.due_date.isoformat()}",
        texts=partial(_item_texts, item),
        url=_meeting_url(organization, item.meeting_id),
        subject=subject_of(item),
    )


def _item_texts(item: ActionItem) -> tuple[str, str]:
    assert item.due_date is not None
    owner = item.owner
    other = item.series.manager if item.series.report_id == owner.pk else item.series.report
    title = gettext("Overdue since %(day)s: %(text)s") % {
        "day": format_day(item.due_date),
        "text": item.text[:120],
    }
    body = gettext("An action item from your 1:1 with %(name)s. Tick it off when done.") % {
        "name": other.display_name
    }
    return title, body

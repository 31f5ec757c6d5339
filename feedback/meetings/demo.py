"""Demo 1:1s for `manage.py seed_demo`: the demo manager and one report, weekly, with a
meeting last week (done: points, an open and a finished action item, a private note) and
the next one coming up (with the point carried over from last week).

Idempotent: the series is found again by its two people, and each meeting is only made
when the series has none of its kind (held / upcoming) yet. Written through the services.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from perfmgmt.tenancy.demo import DemoData, demo_loader
from perfmgmt.tenancy.models import Membership, Organization

from . import services
from .models import Meeting, MeetingStatus, OneOnOneSeries


def _at_ten(organization: Organization, days_from_today: int) -> datetime:
    today = timezone.localdate(timezone.now(), organization.zone)
    return datetime.combine(
        today + timedelta(days=days_from_today), time(10), tzinfo=organization.zone
    )


def seed_meetings(*, organization: Organization, people: dict[str, Membership]) -> None:
    """Run inside the organization's scope (seed_demo does)."""
    manager, report = people.get("manager"), people.get("employee")
    if manager is None or report is None:
        return
    series = services.series_start(
        actor=manager, other=report, cadence=OneOnOneSeries.Cadence.WEEKLY, actor_leads=True
    )
    meetings = Meeting.objects.filter(series=series)
    upcoming = meetings.filter(status=MeetingStatus.UPCOMING).first()
    if upcoming is None:
        upcoming = services.meeting_schedule(
            actor=manager, series=series, scheduled_for=_at_ten(organization, 2)
        )
    if not meetings.filter(status=MeetingStatus.DONE).exists():
        _held_meeting(organization, series, manager, report)
    if not upcoming.talking_points.filter(author=report, carried_from__isnull=True).exists():
        services.talking_point_add(
            actor=report, meeting=upcoming, text="Feedback on my first on-call week"
        )


def _held_meeting(
    organization: Organization, series: OneOnOneSeries, manager: Membership, report: Membership
) -> None:
    past = services.meeting_schedule(
        actor=manager, series=series, scheduled_for=_at_ten(organization, -5), confirm_past=True
    )
    covered = services.talking_point_add(
        actor=report, meeting=past, text="How the design review went"
    )
    services.talking_point_add(actor=manager, meeting=past, text="Conference budget for next year")
    services.talking_point_update(actor=manager, point=covered, discussed=True)
    services.action_item_create(
        actor=manager,
        meeting=past,
        owner=report,
        text="Write up the on-call handover proposal",
        due_date=timezone.localdate(timezone.now(), organization.zone) - timedelta(days=1),
    )
    booked = services.action_item_create(
        actor=manager, meeting=past, owner=manager, text="Book the accessibility training"
    )
    services.action_item_update(actor=manager, item=booked, done=True, in_meeting=past)
    services.meeting_update_notes(
        actor=manager,
        meeting=past,
        shared_notes="Design review went well; Emil presents the next one.",
        expected_version=None,
    )
    services.private_note_add(
        actor=manager, meeting=past, text="Ask about workload before the next sprint."
    )
    services.meeting_complete(actor=manager, meeting=past)


@demo_loader(order=20)
def load_meetings(demo: DemoData) -> None:
    seed_meetings(organization=demo.organization, people=demo.people)

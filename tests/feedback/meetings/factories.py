"""Helpers that build 1:1s the way people do (through the services), inside the org's scope."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from feedback.meetings import services
from feedback.meetings.models import ActionItem, Meeting, OneOnOneSeries, PrivateNote, TalkingPoint
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, Organization
from tests.factories import MembershipFactory


def make_series(manager: Membership, report: Membership, cadence: str = "weekly") -> OneOnOneSeries:
    with organization_scope(manager.organization):
        return services.series_start(actor=manager, other=report, cadence=cadence, actor_leads=True)


def make_meeting(
    series: OneOnOneSeries, when: datetime | None = None, days_from_now: int = 2
) -> Meeting:
    """A meeting of the series; one in the past is recorded as having taken place."""
    moment = when or (timezone.now() + timedelta(days=days_from_now)).replace(
        microsecond=0, second=0
    )
    with organization_scope(series.organization):
        return services.meeting_schedule(
            actor=series.manager,
            series=series,
            scheduled_for=moment,
            confirm_past=moment < timezone.now(),
        )


def make_point(meeting: Meeting, author: Membership, text: str = "Talk about it") -> TalkingPoint:
    with organization_scope(meeting.organization):
        return services.talking_point_add(actor=author, meeting=meeting, text=text)


def make_action_item(
    meeting: Meeting, owner: Membership, text: str = "Do the thing", **kwargs: object
) -> ActionItem:
    with organization_scope(meeting.organization):
        return services.action_item_create(
            actor=owner,
            meeting=meeting,
            owner=owner,
            text=text,
            **kwargs,  # type: ignore[arg-type]
        )


def make_private_note(meeting: Meeting, author: Membership, text: str = "Mine") -> PrivateNote:
    with organization_scope(meeting.organization):
        return services.private_note_add(actor=author, meeting=meeting, text=text)


def make_person(organization: Organization, manager: Membership | None = None) -> Membership:
    member: Membership = MembershipFactory(organization=organization, manager=manager)  # type: ignore[assignment]
    return member

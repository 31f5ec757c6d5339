"""1:1 objects for tests/test_isolation.py: URL kwargs and makers.

Every object is made in a 1:1 between the organization's owner (the caller the isolation
test signs in as) and its HR admin, so the owner's own-organization control request finds it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db import models
from django.utils import timezone

from feedback.meetings import services
from feedback.meetings.models import ActionItem, Meeting, OneOnOneSeries, PrivateNote, TalkingPoint
from perfmgmt.tenancy.context import organization_scope
from tests.conftest import OrgPeople


def make_series(people: OrgPeople) -> OneOnOneSeries:
    with organization_scope(people.organization):
        return services.series_start(actor=people.owner, other=people.hr, cadence="weekly")


def make_meeting(people: OrgPeople) -> Meeting:
    series = make_series(people)
    with organization_scope(people.organization):
        return services.meeting_schedule(
            actor=people.owner, series=series, scheduled_for=timezone.now() + timedelta(days=2)
        )


def make_talking_point(people: OrgPeople) -> TalkingPoint:
    meeting = make_meeting(people)
    with organization_scope(people.organization):
        return services.talking_point_add(actor=people.hr, meeting=meeting, text="Agenda item")


def make_action_item(people: OrgPeople) -> ActionItem:
    meeting = make_meeting(people)
    with organization_scope(people.organization):
        return services.action_item_create(
            actor=people.owner, meeting=meeting, owner=people.hr, text="Follow up"
        )


def make_private_note(people: OrgPeople) -> PrivateNote:
    meeting = make_meeting(people)
    with organization_scope(people.organization):
        return services.private_note_add(actor=people.owner, meeting=meeting, text="Mine only")


MEETING_OBJECT_KWARGS: dict[str, type[models.Model]] = {
    "series_id": OneOnOneSeries,
    "meeting_id": Meeting,
    "talking_point_id": TalkingPoint,
    "action_item_id": ActionItem,
    "private_note_id": PrivateNote,
}

MEETING_MAKERS: dict[type[models.Model], Callable[[OrgPeople], models.Model]] = {
    OneOnOneSeries: make_series,
    Meeting: make_meeting,
    TalkingPoint: make_talking_point,
    ActionItem: make_action_item,
    PrivateNote: make_private_note,
}

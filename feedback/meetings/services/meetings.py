"""Scheduling, moving, finishing and cancelling meetings, and their shared notes.

Carry-over of undiscussed talking points: when a meeting is marked done, its undiscussed
points are copied into the series' next meeting; if there is none yet and the series has a
cadence, that next meeting is scheduled first. For an ad-hoc series without a next meeting
the copy happens when the next meeting is created. Either way each point is carried once
(a unique constraint on `carried_from` decides races and repeats).
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError
from perfmgmt.tenancy.policies import Actor, require_person

from .. import policies
from ..models import Cadence, Meeting, MeetingStatus, OneOnOneSeries, TalkingPoint
from ._common import (
    KEYS_CANNOT_WRITE,
    MAX_NOTES,
    _check_meeting_time,
    _check_version,
    _clean_text,
    _require,
)
from .talking_points import _next_position


def next_occurrence(moment: datetime, cadence: str) -> datetime | None:
    """The next meeting time after `moment` on the cadence (same local time), or None."""
    if cadence == Cadence.WEEKLY:
        return moment + timedelta(weeks=1)
    if cadence == Cadence.BIWEEKLY:
        return moment + timedelta(weeks=2)
    if cadence == Cadence.MONTHLY:
        year, month = (
            (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
        )
        day = min(moment.day, calendar.monthrange(year, month)[1])
        return moment.replace(year=year, month=month, day=day)
    return None


def meeting_schedule(
    *,
    actor: Actor,
    series: OneOnOneSeries,
    scheduled_for: datetime,
    confirm_past: bool = False,
) -> Meeting:
    """Schedule a meeting of the series. The same time twice gives the same meeting.

    A day before today (organization time) is refused unless `confirm_past` says the 1:1
    took place (recording it afterwards). Undiscussed points of the latest finished meeting
    before it that were not carried yet move into it (see the module docstring).
    """
    person = require_person(actor, str(KEYS_CANNOT_WRITE))
    _require(policies.can_change_series(person, series))
    _check_meeting_time(scheduled_for, field="scheduled_for", confirm_past=confirm_past)
    with transaction.atomic():
        meeting, _ = Meeting.objects.get_or_create(series=series, scheduled_for=scheduled_for)
        previous = (
            Meeting.objects.filter(
                series=series, status=MeetingStatus.DONE, scheduled_for__lt=scheduled_for
            )
            .order_by("-scheduled_for")
            .first()
        )
        if previous is not None and meeting.status == MeetingStatus.UPCOMING:
            _carry_points(source=previous, target=meeting)
    return meeting


def meeting_reschedule(
    *, actor: Actor, meeting: Meeting, scheduled_for: datetime, confirm_past: bool = False
) -> Meeting:
    """Move a meeting not held yet; into a day before today only with `confirm_past`."""
    person = require_person(actor, str(KEYS_CANNOT_WRITE))
    _require(policies.can_change_meeting(person, meeting))
    if meeting.status != MeetingStatus.UPCOMING:
        raise ConflictError(gettext("Only an upcoming meeting can be moved."))
    _check_meeting_time(scheduled_for, field="scheduled_for", confirm_past=confirm_past)
    if (
        Meeting.objects.filter(series=meeting.series, scheduled_for=scheduled_for)
        .exclude(pk=meeting.pk)
        .exists()
    ):
        raise ConflictError(
            gettext("There is already a meeting at that time."),
            fields={"scheduled_for": [gettext("There is already a meeting at that time.")]},
        )
    meeting.scheduled_for = scheduled_for
    meeting.save(update_fields=["scheduled_for", "updated_at"])
    return meeting


def meeting_complete(*, actor: Actor, meeting: Meeting) -> Meeting:
    """Mark the meeting done and carry its undiscussed points forward. Twice is a no-op."""
    person = require_person(actor, str(KEYS_CANNOT_WRITE))
    _require(policies.can_change_meeting(person, meeting))
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("series").get(pk=meeting.pk)
        if meeting.status == MeetingStatus.CANCELLED:
            raise ConflictError(gettext("A cancelled meeting cannot be marked done."))
        if meeting.status == MeetingStatus.DONE:
            return meeting
        meeting.status = MeetingStatus.DONE
        meeting.completed_at = timezone.now()
        meeting.save(update_fields=["status", "completed_at", "updated_at"])
        audit_record(actor=person, action="one_on_one.meeting_held", target=meeting)
        following = _next_meeting(meeting)
        if following is None:
            moment = next_occurrence(meeting.scheduled_for, meeting.series.cadence)
            if moment is not None:
                following, _ = Meeting.objects.get_or_create(
                    series=meeting.series, scheduled_for=moment
                )
        if following is not None:
            _carry_points(source=meeting, target=following)
    return meeting


def meeting_cancel(*, actor: Actor, meeting: Meeting) -> Meeting:
    """Cancel an upcoming meeting; its points move to the next meeting when that exists."""
    person = require_person(actor, str(KEYS_CANNOT_WRITE))
    _require(policies.can_change_meeting(person, meeting))
    if meeting.status == MeetingStatus.DONE:
        raise ConflictError(gettext("A meeting that took place cannot be cancelled."))
    if meeting.status == MeetingStatus.UPCOMING:
        with transaction.atomic():
            meeting.status = MeetingStatus.CANCELLED
            meeting.save(update_fields=["status", "updated_at"])
            audit_record(actor=person, action="one_on_one.meeting_cancelled", target=meeting)
            following = _next_meeting(meeting)
            if following is not None:
                _carry_points(source=meeting, target=following)
    return meeting


def meeting_update_notes(
    *, actor: Actor, meeting: Meeting, shared_notes: str, expected_version: int | None
) -> Meeting:
    """Save the shared notes; refused (409) when someone saved since `expected_version`."""
    person = require_person(actor, str(KEYS_CANNOT_WRITE))
    _require(policies.can_change_meeting(person, meeting))
    text = _clean_text(shared_notes, field="shared_notes", limit=MAX_NOTES, required=False)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _check_version(locked.notes_version, expected_version, what="shared notes")
        if locked.shared_notes != text:
            locked.shared_notes = text
            locked.notes_version = F("notes_version") + 1
            locked.save(update_fields=["shared_notes", "notes_version", "updated_at"])
            locked.refresh_from_db(fields=["notes_version"])
            # Who changed the shared notes and when; the words stay on the meeting.
            changes = {"notes_version": locked.notes_version}
            audit_record(
                actor=person,
                action="one_on_one.shared_notes_changed",
                target=locked,
                changes=changes,
            )
    meeting.shared_notes, meeting.notes_version = locked.shared_notes, locked.notes_version
    return meeting


def _next_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(
            series_id=meeting.series_id,
            status=MeetingStatus.UPCOMING,
            scheduled_for__gt=meeting.scheduled_for,
        )
        .order_by("scheduled_for")
        .first()
    )


def _carry_points(*, source: Meeting, target: Meeting) -> int:
    """Copy the source's undiscussed points into the target, each at most once."""
    pending = list(
        TalkingPoint.objects.filter(meeting=source, discussed=False)
        .exclude(carried_to__isnull=False)
        .order_by("position", "id")
    )
    if not pending:
        return 0
    Meeting.objects.select_for_update().filter(pk=target.pk).first()
    start = _next_position(target)
    carried = 0
    for offset, point in enumerate(pending):
        try:
            with transaction.atomic():
                TalkingPoint.objects.create(
                    meeting=target,
                    author_id=point.author_id,
                    text=point.text,
                    goal_id=point.goal_id,
                    feedback_id=point.feedback_id,
                    position=start + offset,
                    carried_from=point,
                )
        except IntegrityError:
            continue  # carried already, by a concurrent request
        carried += 1
    return carried

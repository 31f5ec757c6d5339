"""Every write to 1:1s. Keyword-only arguments, the acting membership first.

Concurrency: talking points, action items, private notes and a meeting's shared notes carry
a `version`. An edit that names the version it started from is refused with a 409 when
somebody saved in between, instead of silently overwriting their words. Adding points takes
a row lock on the meeting only to number the new point, so two people adding at once both
keep theirs.

Carry-over of undiscussed talking points: when a meeting is marked done, its undiscussed
points are copied into the series' next meeting; if there is none yet and the series has a
cadence, that next meeting is scheduled first. For an ad-hoc series without a next meeting
the copy happens when the next meeting is created. Either way each point is carried once
(a unique constraint on `carried_from` decides races and repeats).
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from types import EllipsisType
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Model
from django.http import Http404
from django.utils import timezone

from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.tenancy.models import Membership, MembershipStatus
from perfmgmt.tenancy.policies import Actor, is_manager_of

from . import policies
from .models import (
    ActionItem,
    Cadence,
    Meeting,
    MeetingStatus,
    OneOnOneSeries,
    PrivateNote,
    TalkingPoint,
)

MAX_TEXT = 5000
MAX_NOTES = 50_000
STALE_MESSAGE = (
    "{who} changed this {what} while you were editing. Your text is kept below: "
    "compare it with the saved version and save again."
)


def _person(actor: Actor) -> Membership:
    """Writes come from people; API keys read 1:1s but never write them."""
    if not isinstance(actor, Membership):
        raise PermissionDeniedError("API keys cannot change 1:1s.")
    return actor


def _require(allowed: bool, message: str = "You are not part of this 1:1.") -> None:
    if not allowed:
        raise PermissionDeniedError(message)


def _clean_text(value: str, *, field: str, limit: int = MAX_TEXT, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError("Some fields are not valid.", fields={field: ["This cannot be empty."]})
    if len(text) > limit:
        raise DomainError(
            "Some fields are not valid.",
            fields={field: [f"Keep it under {limit} characters (it has {len(text)})."]},
        )
    return text


def _save(instance: Model, **kwargs: Any) -> None:
    try:
        instance.full_clean(exclude=["organization"], validate_constraints=False)
    except ValidationError as error:
        raise DomainError.from_validation_error(error) from None
    instance.save(**kwargs)


def _check_version(current: int, expected: int | None, *, what: str) -> None:
    if expected is not None and expected != current:
        raise ConflictError(
            STALE_MESSAGE.format(who="Someone else", what=what),
            fields={"version": [f"The saved version is {current}; you edited {expected}."]},
        )


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


# Series ---------------------------------------------------------------------------------


def series_start(
    *,
    actor: Actor,
    other: Membership,
    cadence: str = Cadence.WEEKLY,
    first_meeting_at: datetime | None = None,
    actor_leads: bool | None = None,
) -> OneOnOneSeries:
    """Start (or find) the 1:1 series between the actor and another person.

    The manager side is whoever is higher in the reporting line when one manages the other,
    otherwise the actor (ad-hoc and peer 1:1s) unless `actor_leads` says otherwise. Starting
    a series that exists (in either direction) returns it unchanged; with `first_meeting_at`
    that meeting is scheduled in it.
    """
    person = _person(actor)
    _require(
        policies.can_start_series_with(person, other), "You cannot start a 1:1 with this person."
    )
    if cadence not in Cadence.values:
        raise DomainError("Some fields are not valid.", fields={"cadence": ["Unknown cadence."]})
    existing = (
        OneOnOneSeries.objects.filter(manager=person, report=other)
        | OneOnOneSeries.objects.filter(manager=other, report=person)
    ).first()
    if existing is None:
        leads = actor_leads if actor_leads is not None else not is_manager_of(other, person)
        manager, report = (person, other) if leads else (other, person)
        try:
            with transaction.atomic():
                existing = OneOnOneSeries.objects.create(
                    manager=manager, report=report, cadence=cadence, created_by=person
                )
        except IntegrityError:
            existing = OneOnOneSeries.objects.get(manager=manager, report=report)
    if first_meeting_at is not None:
        meeting_schedule(actor=person, series=existing, scheduled_for=first_meeting_at)
    return existing


def series_update(*, actor: Actor, series: OneOnOneSeries, cadence: str) -> OneOnOneSeries:
    person = _person(actor)
    _require(policies.can_change_series(person, series))
    if cadence not in Cadence.values:
        raise DomainError("Some fields are not valid.", fields={"cadence": ["Unknown cadence."]})
    if series.cadence != cadence:
        series.cadence = cadence
        series.save(update_fields=["cadence", "updated_at"])
    return series


# Meetings -------------------------------------------------------------------------------


def meeting_schedule(*, actor: Actor, series: OneOnOneSeries, scheduled_for: datetime) -> Meeting:
    """Schedule a meeting of the series. The same time twice gives the same meeting.

    Undiscussed points of the latest finished meeting before it that were not carried yet
    move into it (see the module docstring).
    """
    person = _person(actor)
    _require(policies.can_change_series(person, series))
    if timezone.is_naive(scheduled_for):
        raise DomainError(
            "Some fields are not valid.", fields={"scheduled_for": ["Give a time zone."]}
        )
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


def meeting_reschedule(*, actor: Actor, meeting: Meeting, scheduled_for: datetime) -> Meeting:
    person = _person(actor)
    _require(policies.can_change_meeting(person, meeting))
    if meeting.status != MeetingStatus.UPCOMING:
        raise ConflictError("Only an upcoming meeting can be moved.")
    if timezone.is_naive(scheduled_for):
        raise DomainError(
            "Some fields are not valid.", fields={"scheduled_for": ["Give a time zone."]}
        )
    if (
        Meeting.objects.filter(series=meeting.series, scheduled_for=scheduled_for)
        .exclude(pk=meeting.pk)
        .exists()
    ):
        raise ConflictError(
            "There is already a meeting at that time.",
            fields={"scheduled_for": ["There is already a meeting at that time."]},
        )
    meeting.scheduled_for = scheduled_for
    meeting.save(update_fields=["scheduled_for", "updated_at"])
    return meeting


def meeting_complete(*, actor: Actor, meeting: Meeting) -> Meeting:
    """Mark the meeting done and carry its undiscussed points forward. Twice is a no-op."""
    person = _person(actor)
    _require(policies.can_change_meeting(person, meeting))
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("series").get(pk=meeting.pk)
        if meeting.status == MeetingStatus.CANCELLED:
            raise ConflictError("A cancelled meeting cannot be marked done.")
        if meeting.status == MeetingStatus.DONE:
            return meeting
        meeting.status = MeetingStatus.DONE
        meeting.completed_at = timezone.now()
        meeting.save(update_fields=["status", "completed_at", "updated_at"])
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
    person = _person(actor)
    _require(policies.can_change_meeting(person, meeting))
    if meeting.status == MeetingStatus.DONE:
        raise ConflictError("A meeting that took place cannot be cancelled.")
    if meeting.status == MeetingStatus.UPCOMING:
        with transaction.atomic():
            meeting.status = MeetingStatus.CANCELLED
            meeting.save(update_fields=["status", "updated_at"])
            following = _next_meeting(meeting)
            if following is not None:
                _carry_points(source=meeting, target=following)
    return meeting


def meeting_update_notes(
    *, actor: Actor, meeting: Meeting, shared_notes: str, expected_version: int | None
) -> Meeting:
    """Save the shared notes; refused (409) when someone saved since `expected_version`."""
    person = _person(actor)
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


def _next_position(meeting: Meeting) -> int:
    highest = TalkingPoint.objects.filter(meeting=meeting).aggregate(top=Max("position"))["top"]
    return 0 if highest is None else highest + 1


# Talking points -------------------------------------------------------------------------


def talking_point_add(
    *,
    actor: Actor,
    meeting: Meeting,
    text: str,
    goal_id: int | None = None,
    feedback_id: int | None = None,
) -> TalkingPoint:
    """Add a point at the end of the agenda. Concurrent adds both land, in order."""
    person = _person(actor)
    _require(policies.can_change_meeting(person, meeting))
    if meeting.status == MeetingStatus.CANCELLED:
        raise ConflictError("This meeting was cancelled; add the point to the next one.")
    clean = _clean_text(text, field="text")
    goal = _visible_goal(person, goal_id)
    feedback = _visible_feedback(person, feedback_id)
    with transaction.atomic():
        # The lock only serializes numbering; the points themselves are separate rows.
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        return TalkingPoint.objects.create(
            meeting=meeting,
            author=person,
            text=clean,
            goal_id=goal,
            feedback_id=feedback,
            position=_next_position(meeting),
        )


def _visible_goal(actor: Membership, goal_id: int | None) -> int | None:
    """A goal the actor may read, or a field error (another organization's id is unknown)."""
    if goal_id is None:
        return None
    from goals.models import Goal
    from goals.policies import visible_goals_filter

    if not Goal.objects.filter(visible_goals_filter(actor), pk=goal_id).exists():
        raise DomainError("Some fields are not valid.", fields={"goal": ["Unknown goal."]})
    return goal_id


def _visible_feedback(actor: Membership, feedback_id: int | None) -> int | None:
    """Feedback the actor may read, or a field error."""
    if feedback_id is None:
        return None
    from feedback.models import Feedback
    from feedback.selectors import feedback_visible_q

    if not Feedback.objects.filter(feedback_visible_q(actor), pk=feedback_id).exists():
        raise DomainError("Some fields are not valid.", fields={"feedback": ["Unknown feedback."]})
    return feedback_id


def talking_point_update(
    *,
    actor: Actor,
    point: TalkingPoint,
    expected_version: int | None = None,
    text: str | None = None,
    discussed: bool | None = None,
    position: int | None = None,
    goal_id: int | EllipsisType | None = ...,
    feedback_id: int | EllipsisType | None = ...,
) -> TalkingPoint:
    """Edit, tick or move a point. Text edits naming an old version are refused (409).

    Ticking and moving do not need a version: they cannot lose anybody's words.
    """
    person = _person(actor)
    _require(policies.can_edit_talking_point(person, point))
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=point.meeting_id).first()
        locked = TalkingPoint.objects.select_for_update().get(pk=point.pk)
        fields: list[str] = []
        if text is not None:
            clean = _clean_text(text, field="text")
            _check_version(locked.version, expected_version, what="talking point")
            if clean != locked.text:
                locked.text = clean
                fields.append("text")
        if not isinstance(goal_id, EllipsisType):
            locked.goal_id = _visible_goal(person, goal_id)
            fields.append("goal")
        if not isinstance(feedback_id, EllipsisType):
            locked.feedback_id = _visible_feedback(person, feedback_id)
            fields.append("feedback")
        if discussed is not None and discussed != locked.discussed:
            locked.discussed = discussed
            fields.append("discussed")
        if fields:
            locked.version += 1
            locked.save(update_fields=[*fields, "version", "updated_at"])
        if position is not None:
            _move(locked, position)
    return locked


def _move(point: TalkingPoint, position: int) -> None:
    """Put the point at `position` (0-based, clamped) and renumber the others around it."""
    ordered = list(
        TalkingPoint.objects.filter(meeting_id=point.meeting_id)
        .exclude(pk=point.pk)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
    ordered.insert(max(0, min(position, len(ordered))), point.pk)
    for index, point_id in enumerate(ordered):
        TalkingPoint.objects.filter(pk=point_id).exclude(position=index).update(position=index)
    point.position = ordered.index(point.pk)


def talking_point_delete(*, actor: Actor, point: TalkingPoint) -> None:
    person = _person(actor)
    _require(policies.can_edit_talking_point(person, point))
    _require(point.author_id == person.pk, "Only the author can remove a talking point.")
    point.delete()


# Action items ---------------------------------------------------------------------------


def action_item_create(
    *,
    actor: Actor,
    meeting: Meeting,
    owner: Membership,
    text: str,
    due_date: date | None = None,
) -> ActionItem:
    person = _person(actor)
    _require(policies.can_change_meeting(person, meeting))
    series = meeting.series
    if owner.pk not in series.participant_ids():
        raise DomainError(
            "Some fields are not valid.",
            fields={"owner": ["The owner is one of the two people in this 1:1."]},
        )
    item = ActionItem(
        series=series,
        meeting=meeting,
        owner=owner,
        text=_clean_text(text, field="text"),
        due_date=due_date,
        created_by=person,
    )
    _save(item)
    return item


def _current_meeting(series: OneOnOneSeries) -> Meeting:
    """Where an item ticked outside a meeting page counts as done: the next upcoming
    meeting, or the latest one."""
    upcoming = (
        Meeting.objects.filter(series=series, status=MeetingStatus.UPCOMING)
        .order_by("scheduled_for")
        .first()
    )
    return upcoming or Meeting.objects.filter(series=series).order_by("-scheduled_for").first()  # type: ignore[return-value]


def action_item_update(
    *,
    actor: Actor,
    item: ActionItem,
    expected_version: int | None = None,
    text: str | None = None,
    owner: Membership | None = None,
    due_date: date | EllipsisType | None = ...,
    done: bool | None = None,
    in_meeting: Meeting | None = None,
) -> ActionItem:
    """Edit or tick an action item. Ticking twice keeps the first time; text edits naming
    an old version are refused (409)."""
    person = _person(actor)
    _require(policies.can_change_action_item(person, item))
    if in_meeting is not None and in_meeting.series_id != item.series_id:
        raise Http404("No such meeting.")
    with transaction.atomic():
        locked = ActionItem.objects.select_for_update().select_related("series").get(pk=item.pk)
        fields: list[str] = []
        if text is not None or owner is not None or not isinstance(due_date, EllipsisType):
            _check_version(locked.version, expected_version, what="action item")
        if text is not None:
            locked.text = _clean_text(text, field="text")
            fields.append("text")
        if owner is not None:
            if owner.pk not in locked.series.participant_ids():
                raise DomainError(
                    "Some fields are not valid.",
                    fields={"owner": ["The owner is one of the two people in this 1:1."]},
                )
            locked.owner = owner
            fields.append("owner")
        if not isinstance(due_date, EllipsisType):
            locked.due_date = due_date
            fields.append("due_date")
        if done is True and locked.done_at is None:
            locked.done_at = timezone.now()
            locked.done_in = in_meeting or _current_meeting(locked.series)
            fields += ["done_at", "done_in"]
        elif done is False and locked.done_at is not None:
            locked.done_at, locked.done_in = None, None
            fields += ["done_at", "done_in"]
        if fields:
            locked.version += 1
            _save(locked, update_fields=[*fields, "version", "updated_at"])
    return locked


# Private notes --------------------------------------------------------------------------


def private_note_add(*, actor: Actor, meeting: Meeting, text: str) -> PrivateNote:
    """A note for the author's eyes only."""
    person = _person(actor)
    _require(policies.can_change_meeting(person, meeting))
    return PrivateNote.objects.create(
        meeting=meeting, author=person, text=_clean_text(text, field="text", limit=MAX_NOTES)
    )


def private_note_update(
    *, actor: Actor, note: PrivateNote, text: str, expected_version: int | None = None
) -> PrivateNote:
    person = _person(actor)
    if not policies.can_change_private_note(person, note):
        raise Http404("No such note.")
    clean = _clean_text(text, field="text", limit=MAX_NOTES)
    with transaction.atomic():
        locked = PrivateNote.objects.select_for_update().get(pk=note.pk)
        _check_version(locked.version, expected_version, what="note")
        if locked.text != clean:
            locked.text = clean
            locked.version += 1
            locked.save(update_fields=["text", "version", "updated_at"])
    return locked


def active_member(member_id: int | None) -> Membership | None:
    """A person of the active organization who has not left, for owner fields."""
    if member_id is None:
        return None
    return (
        Membership.objects.exclude(status=MembershipStatus.LEFT)
        .select_related("user")
        .filter(pk=member_id)
        .first()
    )

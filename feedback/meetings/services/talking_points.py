"""A meeting's agenda: adding, editing, ticking, moving and removing talking points."""

from __future__ import annotations

from types import EllipsisType

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from perfmgmt.errors import ConflictError, DomainError
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.policies import Actor, require_person

from .. import policies
from ..models import Meeting, MeetingStatus, TalkingPoint
from ._common import KEYS_CANNOT_WRITE, _check_version, _clean_text, _require


def _next_position(meeting: Meeting) -> int:
    highest = TalkingPoint.objects.filter(meeting=meeting).aggregate(top=Max("position"))["top"]
    return 0 if highest is None else highest + 1


def talking_point_add(
    *,
    actor: Actor,
    meeting: Meeting,
    text: str,
    goal_id: int | None = None,
    feedback_id: int | None = None,
) -> TalkingPoint:
    """Add a point at the end of the agenda. Concurrent adds both land, in order."""
    person = require_person(actor, str(KEYS_CANNOT_WRITE))
    _require(policies.can_change_meeting(person, meeting))
    if meeting.status == MeetingStatus.CANCELLED:
        raise ConflictError(_("This meeting was cancelled; add the point to the next one."))
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
        raise DomainError(_("Some fields are not valid."), fields={"goal": [_("Unknown goal.")]})
    return goal_id


def _visible_feedback(actor: Membership, feedback_id: int | None) -> int | None:
    """Feedback the actor may read, or a field error."""
    if feedback_id is None:
        return None
    from feedback.models import Feedback
    from feedback.selectors import feedback_visible_q

    if not Feedback.objects.filter(feedback_visible_q(actor), pk=feedback_id).exists():
        raise DomainError(
            _("Some fields are not valid."), fields={"feedback": [_("Unknown feedback.")]}
        )
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
    person = require_person(actor, str(KEYS_CANNOT_WRITE))
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
    person = require_person(actor, str(KEYS_CANNOT_WRITE))
    _require(policies.can_edit_talking_point(person, point))
    _require(point.author_id == person.pk, _("Only the author can remove a talking point."))
    point.delete()

"""Reads of 1:1s with their rules. Pages, the API and reminders use these, so they agree.

Another organization's id, and an id of a 1:1 the actor is not part of, are both a 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import F, Func, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from perfmgmt.ids import object_id
from perfmgmt.tenancy.models import Membership, MembershipStatus
from perfmgmt.tenancy.policies import Actor

from . import policies
from .hooks import AgendaItem, agenda_items_wanted
from .models import ActionItem, Meeting, MeetingStatus, OneOnOneSeries, PrivateNote, TalkingPoint

# Series ---------------------------------------------------------------------------------


def series_list(
    *, actor: Actor, person_id: int | None = None, cadence: str | None = None
) -> QuerySet[OneOnOneSeries]:
    """The series the actor may read; `person_id` keeps those with that person on a side."""
    series = OneOnOneSeries.objects.filter(policies.visible_series_filter(actor)).select_related(
        "manager__user", "report__user"
    )
    if person_id is not None:
        series = series.filter(Q(manager_id=person_id) | Q(report_id=person_id))
    if cadence:
        series = series.filter(cadence=cadence)
    return series


def series_get(*, actor: Actor, series_id: Any) -> OneOnOneSeries:
    found = series_list(actor=actor).filter(pk=object_id(series_id)).first()
    if found is None:
        raise Http404("No such 1:1.")
    return found


def series_partner_choices(*, actor: Membership) -> QuerySet[Membership]:
    """Everyone the actor may start a 1:1 with (`policies.can_start_series_with` as a
    filter): anyone still in the organization but themselves. The start form's person
    source (`meetings.partners`): pages never list it whole, they search it."""
    return (
        Membership.objects.exclude(status=MembershipStatus.LEFT)
        .exclude(pk=actor.pk)
        .select_related("user")
    )


# Meetings -------------------------------------------------------------------------------


def meeting_list(
    *,
    actor: Actor,
    series_id: int | None = None,
    status: str | None = None,
    after: datetime | None = None,
    before: datetime | None = None,
) -> QuerySet[Meeting]:
    """The meetings of the series the actor may read, with their series and its sides."""
    return _meetings(
        actor=actor, series_id=series_id, status=status, after=after, before=before
    ).select_related("series__manager__user", "series__report__user")


def meeting_rows(
    *,
    actor: Actor,
    series_id: int | None = None,
    status: str | None = None,
    after: datetime | None = None,
    before: datetime | None = None,
) -> QuerySet[Any]:
    """`meeting_list` for the API's list, which reads its ids (PostgreSQL writes the page:
    `serializers.MEETING_JSON`): no join but the series the visibility rule reads."""
    return _meetings(actor=actor, series_id=series_id, status=status, after=after, before=before)


def _meetings(
    *,
    actor: Actor,
    series_id: int | None,
    status: str | None,
    after: datetime | None,
    before: datetime | None,
) -> QuerySet[Meeting]:
    meetings = Meeting.objects.filter(policies.visible_series_filter(actor, prefix="series__"))
    if series_id is not None:
        meetings = meetings.filter(series_id=series_id)
    if status:
        meetings = meetings.filter(status=status)
    if after is not None:
        meetings = meetings.filter(scheduled_for__gte=after)
    if before is not None:
        meetings = meetings.filter(scheduled_for__lt=before)
    return meetings


def meeting_get(*, actor: Actor, meeting_id: Any) -> Meeting:
    found = meeting_list(actor=actor).filter(pk=object_id(meeting_id)).first()
    if found is None:
        raise Http404("No such meeting.")
    return found


def meetings_upcoming_for(*, actor: Actor, now: datetime) -> QuerySet[Meeting]:
    return meeting_list(actor=actor, status=MeetingStatus.UPCOMING, after=now).order_by(
        "scheduled_for"
    )


# Talking points -------------------------------------------------------------------------


def talking_point_list(
    *, actor: Actor, meeting_id: int | None = None, discussed: bool | None = None
) -> QuerySet[TalkingPoint]:
    points = TalkingPoint.objects.filter(
        policies.visible_series_filter(actor, prefix="meeting__series__")
    ).select_related("author__user", "goal")
    if meeting_id is not None:
        points = points.filter(meeting_id=meeting_id)
    if discussed is not None:
        points = points.filter(discussed=discussed)
    return points


def talking_point_get(*, actor: Actor, point_id: Any) -> TalkingPoint:
    found = (
        talking_point_list(actor=actor)
        .select_related("meeting__series")
        .filter(pk=object_id(point_id))
        .first()
    )
    if found is None:
        raise Http404("No such talking point.")
    return found


# Action items ---------------------------------------------------------------------------


def action_item_list(
    *,
    actor: Actor,
    series_id: int | None = None,
    owner_id: int | None = None,
    done: bool | None = None,
) -> QuerySet[ActionItem]:
    items = ActionItem.objects.filter(
        policies.visible_series_filter(actor, prefix="series__")
    ).select_related("owner__user", "meeting")
    if series_id is not None:
        items = items.filter(series_id=series_id)
    if owner_id is not None:
        items = items.filter(owner_id=owner_id)
    if done is not None:
        items = items.filter(done_at__isnull=not done)
    return items


def action_item_get(*, actor: Actor, item_id: Any) -> ActionItem:
    found = (
        action_item_list(actor=actor).select_related("series").filter(pk=object_id(item_id)).first()
    )
    if found is None:
        raise Http404("No such action item.")
    return found


def action_items_for_meeting(*, meeting: Meeting) -> QuerySet[ActionItem]:
    """The items a meeting shows: those created in it or before it and not done before it.

    Carry-over by query: an undone item appears in every later meeting until it is ticked;
    a ticked item stays in the meeting it was ticked in (and the ones before), not after.
    """
    return (
        ActionItem.objects.filter(
            series_id=meeting.series_id,
            meeting__scheduled_for__lte=meeting.scheduled_for,
        )
        .filter(Q(done_in__isnull=True) | Q(done_in__scheduled_for__gte=meeting.scheduled_for))
        .select_related("owner__user", "meeting")
        .order_by("meeting__scheduled_for", "created_at", "id")
    )


# Private notes --------------------------------------------------------------------------


def private_note_list(*, actor: Actor, meeting_id: int | None = None) -> QuerySet[PrivateNote]:
    """The actor's own notes; nobody else's, ever (API keys have none)."""
    if actor.is_api_client:
        return PrivateNote.objects.none()
    notes = PrivateNote.objects.filter(author_id=actor.pk).select_related("meeting")
    if meeting_id is not None:
        notes = notes.filter(meeting_id=meeting_id)
    return notes


def private_note_get(*, actor: Actor, note_id: Any) -> PrivateNote:
    found = private_note_list(actor=actor).filter(pk=object_id(note_id)).first()
    if found is None:
        raise Http404("No such note.")
    return found


# The meeting page -----------------------------------------------------------------------


@dataclass
class Agenda:
    meeting: Meeting
    points: list[TalkingPoint]
    action_items: list[ActionItem]
    private_notes: list[PrivateNote]
    follow_ups: list[Any] = field(default_factory=list)
    previous: Meeting | None = None
    next: Meeting | None = None
    # Linked goals and feedback the viewer may open; the others are named, not shown.
    visible_goal_ids: set[int] = field(default_factory=set)
    visible_feedback_ids: set[int] = field(default_factory=set)
    # Read-only items other apps add for this reader (hooks.agenda_items_wanted).
    extra_items: list[AgendaItem] = field(default_factory=list)


def meeting_agenda(*, actor: Actor, meeting: Meeting) -> Agenda:
    """Everything the meeting page shows the actor, in a fixed number of queries."""
    points = list(
        TalkingPoint.objects.filter(meeting=meeting)
        .select_related("author__user", "goal", "carried_from__meeting")
        .order_by("position", "id")
    )
    siblings = list(
        Meeting.objects.filter(series_id=meeting.series_id)
        .exclude(pk=meeting.pk)
        .order_by("scheduled_for")
    )
    earlier = [m for m in siblings if m.scheduled_for < meeting.scheduled_for]
    later = [m for m in siblings if m.scheduled_for > meeting.scheduled_for]
    previous = earlier[-1] if earlier else None
    extra_items: list[AgendaItem] = []
    agenda_items_wanted.run(actor=actor, meeting=meeting, previous=previous, items=extra_items)
    return Agenda(
        meeting=meeting,
        points=points,
        action_items=list(action_items_for_meeting(meeting=meeting)),
        private_notes=list(private_note_list(actor=actor, meeting_id=meeting.pk)),
        follow_ups=coaching_follow_ups(meeting=meeting, previous=previous),
        previous=previous,
        visible_goal_ids=_visible_links(actor, points, "goal_id"),
        visible_feedback_ids=_visible_links(actor, points, "feedback_id"),
        next=later[0] if later else None,
        extra_items=extra_items,
    )


def _readable_goals(actor: Actor) -> QuerySet[Any]:
    """The goals the actor may read (the goals app decides)."""
    from goals.selectors import visible_goals

    return visible_goals(actor=actor).prefetch_related(None)


def _readable_feedback(actor: Actor) -> QuerySet[Any]:
    """The feedback the actor may read (the feedback app decides)."""
    from feedback.selectors import feedback_list

    return feedback_list(actor=actor)


def _visible_links(actor: Actor, points: list[TalkingPoint], attribute: str) -> set[int]:
    """Which linked goals (or feedback) of these points the actor may read: one query."""
    ids = {getattr(point, attribute) for point in points} - {None}
    if not ids or actor.is_api_client:
        return set()
    readable = _readable_goals(actor) if attribute == "goal_id" else _readable_feedback(actor)
    return set(readable.filter(pk__in=ids).values_list("pk", flat=True))


LINKABLE_GOALS = 100
LINKABLE_FEEDBACK = 50


@dataclass(frozen=True)
class LinkChoices:
    """What a talking point of a series may link to: open goals of either side and feedback
    between the two sides, all of them readable by the actor."""

    goals: list[tuple[int, str]]
    feedback: list[Any]


def talking_point_link_choices(*, actor: Actor, series: OneOnOneSeries) -> LinkChoices:
    """The goals and feedback the actor may link a talking point of this series to, in two
    queries (bounded lists, newest feedback first). API keys link nothing."""
    if actor.is_api_client:
        return LinkChoices(goals=[], feedback=[])
    from goals.models import OPEN_STATUSES

    sides = [series.manager_id, series.report_id]
    goals = (
        _readable_goals(actor)
        .filter(owner_person_id__in=sides, status__in=OPEN_STATUSES)
        .order_by("title")
        .values_list("pk", "title")[:LINKABLE_GOALS]
    )
    feedback = (
        _readable_feedback(actor)
        .filter(giver_id__in=sides, recipient_id__in=sides)
        .order_by("-created_at")[:LINKABLE_FEEDBACK]
    )
    return LinkChoices(goals=list(goals), feedback=list(feedback))


def coaching_follow_ups(*, meeting: Meeting, previous: Meeting | None = None) -> list[Any]:
    """Coaching follow-ups this meeting should come back to: records the manager side wrote
    about the report side whose follow-up date falls after the previous meeting and on or
    before this one (the coaching records live in feedback/, their selector decides)."""
    from feedback.selectors import coaching_follow_ups_due

    series = meeting.series
    day = meeting.scheduled_for.date()
    records = coaching_follow_ups_due(person=series.report, manager=series.manager, before=day)
    if previous is not None:
        records = records.filter(follow_up_on__gt=previous.scheduled_for.date())
    return list(records)


# Overviews ------------------------------------------------------------------------------


def _count(queryset: QuerySet[Any]) -> Any:
    """A correlated COUNT(*) of `queryset` as an annotation (0 when empty)."""
    counted = queryset.order_by().annotate(one=Value(1)).values("one")
    return Coalesce(
        Subquery(counted.annotate(total=Func(F("one"), function="COUNT")).values("total")), 0
    )


def series_overview(*, actor: Actor, now: datetime | None = None) -> QuerySet[OneOnOneSeries]:
    """The actor's series with their next meeting (still to come: one whose time has passed
    is not next), last held meeting and open item count, in one query."""
    upcoming = Meeting.objects.filter(
        series=OuterRef("pk"),
        status=MeetingStatus.UPCOMING,
        scheduled_for__gte=now or timezone.now(),
    ).order_by("scheduled_for")
    held = Meeting.objects.filter(series=OuterRef("pk"), status=MeetingStatus.DONE).order_by(
        "-scheduled_for"
    )
    open_items = ActionItem.objects.filter(series=OuterRef("pk"), done_at__isnull=True)
    return (
        series_list(actor=actor)
        .annotate(
            next_meeting_id=Subquery(upcoming.values("pk")[:1]),
            next_meeting_at=Subquery(upcoming.values("scheduled_for")[:1]),
            last_meeting_at=Subquery(held.values("scheduled_for")[:1]),
            open_items=_count(open_items),
        )
        .order_by(F("next_meeting_at").asc(nulls_last=True), "-pk")
    )

"""Check-ins: who may read which, the period a person is in now, and their linked goals.

A person reads their own check-ins and those of everyone below them in the manager chain
(`policies.can_view_checkin` for one object, `checkin_visible_q` for a list).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404

from perfmgmt.ids import object_id
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.policies import Actor, person_of
from perfmgmt.tenancy.selectors import (
    below_q,
    first_day,
    people_for_in,
)

from .. import policies
from ..models import CheckIn, CheckInGoal
from ..periods import Period, period_for
from .cadences import cadence_for, cadences_by_team, reminded_from


def _checkin_queryset() -> QuerySet[CheckIn]:
    return CheckIn.objects.select_related(
        "person__user", "person__manager", "reviewed_by__user"
    ).prefetch_related("goals")


def _readable_goals(actor: Actor) -> Prefetch:
    """The linked goals the actor may read (goals have their own rules), on each check-in as
    `readable_goals`: one query for a whole page."""
    from goals.selectors import visible_goals

    goals = visible_goals(actor=actor).prefetch_related(None)
    return Prefetch("goals", queryset=goals, to_attr="readable_goals")


def checkin_visible_q(actor: Actor) -> Q:
    """The person's own check-ins, and the submitted ones of everyone below them (a draft is
    the person's until they submit it)."""
    person = person_of(actor)
    if person is None:
        return Q(pk__in=[])
    below = below_q(manager=person, person_field="person") & ~Q(status=CheckIn.Status.DRAFT)
    return Q(person=person) | below


def checkin_list(
    *,
    actor: Actor,
    person_id: int | None = None,
    status: str | None = None,
    waiting_for_review: bool = False,
    period_from: date | None = None,
    period_to: date | None = None,
) -> QuerySet[CheckIn]:
    """Check-ins the actor may read: their own and those of everyone below them, each with
    the linked goals the actor may read (`readable_goals`)."""
    return _filtered(
        _checkin_queryset().prefetch_related(_readable_goals(actor)),
        actor=actor,
        person_id=person_id,
        status=status,
        waiting_for_review=waiting_for_review,
        period_from=period_from,
        period_to=period_to,
    )


def checkin_rows(*, actor: Actor, **filters: Any) -> QuerySet[Any]:
    """`checkin_list` for the API's list, which reads its ids and the ids of the linked
    goals the actor may read (`readable_goal_ids`, the goals' own rule as a subquery, so no
    second query decides what a page shows) and has PostgreSQL write the page
    (`serializers.CHECKIN_JSON`)."""
    from goals.selectors import visible_goals_through

    readable = (
        CheckInGoal.objects.filter(visible_goals_through(actor=actor, link="goal"))
        .filter(checkin=OuterRef("pk"))
        .values("goal_id")
    )
    # A subquery per row rather than joining the links and grouping the page: the
    # statement is planned in a fraction of the time.
    checkins = CheckIn.objects.annotate(readable_goal_ids=ArraySubquery(readable))
    return _filtered(checkins, actor=actor, **filters)


def _filtered(
    checkins: QuerySet[Any],
    *,
    actor: Actor,
    person_id: int | None = None,
    status: str | None = None,
    waiting_for_review: bool = False,
    period_from: date | None = None,
    period_to: date | None = None,
) -> QuerySet[Any]:
    checkins = checkins.filter(checkin_visible_q(actor))
    if person_id:
        checkins = checkins.filter(person_id=person_id)
    if status:
        checkins = checkins.filter(status=status)
    if waiting_for_review:
        checkins = checkins.filter(status=CheckIn.Status.SUBMITTED).exclude(person=actor)
    if period_from:
        checkins = checkins.filter(period_end__gte=period_from)
    if period_to:
        checkins = checkins.filter(period_start__lte=period_to)
    return checkins


def checkins_waiting_for_review(*, actor: Actor) -> QuerySet[CheckIn]:
    """Submitted, unreviewed check-ins of the actor's direct reports, oldest first."""
    return (
        _checkin_queryset()
        .filter(person__manager=actor, status=CheckIn.Status.SUBMITTED)  # type: ignore[misc]
        .order_by("submitted_at", "id")
    )


def checkin_lookup(*, checkin_id: int | str) -> CheckIn:
    """A check-in of the active organization, whoever may read it (404 otherwise)."""
    try:
        return _checkin_queryset().get(pk=object_id(checkin_id))
    except CheckIn.DoesNotExist:
        raise Http404("No such check-in.") from None


def checkin_get(*, actor: Actor, checkin_id: int | str) -> CheckIn:
    """A check-in the actor may read, with the linked goals they may read (`readable_goals`);
    404 otherwise (also for another organization's)."""
    checkin = checkin_lookup(checkin_id=checkin_id)
    if not policies.can_view_checkin(actor, checkin):
        raise Http404("No such check-in.")
    prefetch_related_objects([checkin], _readable_goals(actor))
    return checkin


def checkin_covering(*, person: Membership, day: date) -> CheckIn | None:
    return (
        _checkin_queryset()
        .filter(person=person, period_start__lte=day, period_end__gte=day)
        .first()
    )


def latest_checkin_end(*, person: Membership) -> date | None:
    latest = (
        CheckIn.objects.filter(person=person).order_by("-period_end").values("period_end").first()
    )
    return latest["period_end"] if latest else None


def current_period(*, person: Membership, day: date) -> Period:
    """The period of the person's check-in covering `day`, existing or to be started: the
    cadence's period as it applies on `day`, never begun before the person's first day."""
    existing = checkin_covering(person=person, day=day)
    if existing is not None:
        return Period(existing.period_start, existing.period_end, existing.due_on)
    return period_for(
        cadence_for(person, day=day),
        day,
        latest_checkin_end(person=person),
        first_day(person, person.organization.zone),
    )


def is_reminded_period(*, person: Membership, period: Period) -> bool:
    """Whether the person is asked for (and reminded of) this period's check-in: HR has
    set up the cadence that applies then, and it is one of their whole periods, not one
    that began before they joined or started."""
    cadences = cadences_by_team()
    zone = person.organization.zone
    return cadence_for(person, cadences, day=period.start).configured and (
        period.start >= reminded_from(person, zone, cadences)
    )


def checkin_preview(*, person: Membership, day: date) -> CheckIn:
    """The person's check-in covering `day`, or an unsaved one to show (GET stays safe;
    `services.checkin_current` starts it when the person saves)."""
    existing = checkin_covering(person=person, day=day)
    if existing is not None:
        return existing
    cadence = cadence_for(person, day=day)
    period = current_period(person=person, day=day)
    return CheckIn(
        person=person,
        period_start=period.start,
        period_end=period.end,
        due_on=period.due_on,
        questions=list(cadence.questions),
        answers=["" for _ in cadence.questions],
    )


def latest_checkins(person: Any) -> QuerySet[CheckIn]:
    """A person's check-ins, the most recently submitted (or reviewed) first: the same rule
    as `last_checkins_for`, as a correlated subquery for a list of people (`person` an
    `OuterRef`), so a page of a whole team reads them in its own statement."""
    return (
        CheckIn.objects.filter(person=person)
        .exclude(status=CheckIn.Status.DRAFT)
        .order_by(F("submitted_at").desc(nulls_last=True), "-period_start", "-id")
    )


def last_checkins_for(people: Iterable[Membership]) -> dict[int, CheckIn]:
    """Each person's most recently submitted (or reviewed) check-in, keyed by person id
    (a late check-in for an earlier period is the latest one they wrote).

    One query for any number of people (for the manager's team page). The caller decides
    whether the viewer may see them; everyone in a manager's team page is in their chain.
    """
    ids = people_for_in(people)
    if not isinstance(ids, QuerySet) and not ids:
        return {}
    latest = (
        CheckIn.objects.filter(person_id__in=ids)
        .exclude(status=CheckIn.Status.DRAFT)
        .order_by("person_id", F("submitted_at").desc(nulls_last=True), "-period_start", "-id")
        .distinct("person_id")
    )
    return {checkin.person_id: checkin for checkin in latest}

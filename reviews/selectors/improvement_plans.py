"""Reads of improvement plans, with the one reader rule (policies.improvement_plan_readers).

Pages, the API, the PDF, the 1:1 agenda item and the reminders all read plans here, so a
reader who may not read a plan gets a 404 everywhere, exactly like a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from feedback.meetings.selectors import meeting_list
from feedback.selectors.checkins import checkin_list
from goals.models import OwnerKind
from goals.selectors import goal_update_list, visible_goals
from perfmgmt.errors import NotFoundError
from perfmgmt.ids import object_id
from perfmgmt.tenancy.models import Membership, MembershipStatus
from perfmgmt.tenancy.policies import Actor, person_of
from perfmgmt.tenancy.selectors import reports_below

from .. import policies
from ..models import ImprovementPlan, PlanExpectation, PlanOutcome, PlanReviewDate, PlanStatus

# How many items of each kind of evidence the plan page shows (the latest).
EVIDENCE_ROWS = 5


def improvement_plan_list(
    *, actor: Actor, person_id: int | None = None, status: str | None = None
) -> QuerySet[ImprovementPlan]:
    """The plans `actor` may read, with what every list shows, in one query."""
    plans = ImprovementPlan.objects.filter(policies.improvement_plan_readers(actor)).select_related(
        "person__user", "drafted_by__user", "approved_by__user"
    )
    if person_id is not None:
        plans = plans.filter(person_id=person_id)
    if status:
        plans = plans.filter(status=status)
    return plans


def improvement_plan_detail_list(*, actor: Actor) -> QuerySet[ImprovementPlan]:
    """Readable plans with their expectations, review dates and outcomes (three prefetches
    whatever the number of plans): what the API and the plan page present."""
    return improvement_plan_list(actor=actor).prefetch_related(
        Prefetch("expectations", PlanExpectation.objects.select_related("goal")),
        Prefetch("review_dates", PlanReviewDate.objects.order_by("on", "id")),
        Prefetch("outcomes", PlanOutcome.objects.select_related("recorded_by__user")),
    )


def improvement_plan_get(*, actor: Actor, plan_id: Any) -> ImprovementPlan:
    """One plan `actor` may read; 404 for a missing one, another organization's, or one the
    actor may not read."""
    plan = (
        improvement_plan_detail_list(actor=actor)
        .select_related("organization")
        .filter(pk=object_id(plan_id))
        .first()
    )
    if plan is None:
        raise NotFoundError("No such improvement plan.")
    return plan


def draftable_people(*, actor: Actor) -> QuerySet[Membership]:
    """Whom `actor` may draft a plan for: people below them who have not left."""
    person = person_of(actor)
    if person is None:
        return Membership.objects.none()
    return (
        Membership.objects.filter(pk__in=reports_below(manager=person))
        .exclude(status=MembershipStatus.LEFT)
        .select_related("user")
    )


def goal_choices(*, actor: Actor, person: Membership) -> list[tuple[int, str]]:
    """The person's own goals `actor` may read, which an expectation may link to."""
    goals = (
        visible_goals(actor=actor)
        .prefetch_related(None)
        .filter(owner_kind=OwnerKind.PERSON, owner_person_id=person.pk)
        .order_by("title", "id")
        .values_list("pk", "title")
    )
    return list(goals[:200])


def readable_linked_goals(*, actor: Actor, plan: ImprovementPlan) -> set[int]:
    """Which goals linked from the plan's expectations `actor` may open (the goals app's
    rule, one query): the others are named as a goal the reader cannot open."""
    linked = {item.goal_id for item in plan.expectations.all() if item.goal_id is not None}
    if not linked:
        return set()
    readable = visible_goals(actor=actor).prefetch_related(None).filter(pk__in=linked)
    return set(readable.values_list("pk", flat=True))


# The plan's period as evidence -----------------------------------------------------------


@dataclass(frozen=True)
class PlanEvidence:
    checkins: list[Any] = field(default_factory=list)
    goal_updates: list[Any] = field(default_factory=list)
    meetings: list[Any] = field(default_factory=list)


def _period(plan: ImprovementPlan) -> tuple[date, date]:
    return plan.start_date, plan.end_date


def plan_evidence(*, actor: Actor, plan: ImprovementPlan) -> PlanEvidence:
    """The person's check-ins, goal updates and 1:1 shared notes of the plan's period that
    `actor` may read, each through its own app's selector and rule (a 1:1 is its two sides'
    alone; private notes are never read here): the latest few of each, one query each."""
    first, last = _period(plan)
    person_id = plan.person_id
    checkins = (
        checkin_list(actor=actor, person_id=person_id)
        .prefetch_related(None)
        .filter(period_end__gte=first, period_start__lte=last)
        .order_by("-period_end", "-id")
    )
    updates = (
        goal_update_list(actor=actor)
        .filter(goal__owner_kind=OwnerKind.PERSON, goal__owner_person_id=person_id)
        .filter(created_at__date__range=(first, last))
        .select_related("goal")
        .order_by("-created_at", "-id")
    )
    meetings = (
        meeting_list(actor=actor)
        .filter(Q(series__manager_id=person_id) | Q(series__report_id=person_id))
        .filter(scheduled_for__date__range=(first, last))
        .exclude(shared_notes="")
        .order_by("-scheduled_for", "-id")
    )
    return PlanEvidence(
        checkins=list(checkins[:EVIDENCE_ROWS]),
        goal_updates=list(updates[:EVIDENCE_ROWS]),
        meetings=list(meetings[:EVIDENCE_ROWS]),
    )


# For the 1:1 agenda and the reminders ----------------------------------------------------


def review_dates_for_meeting(
    *, actor: Actor, person_id: int, other: Membership, after: date | None, until: date
) -> QuerySet[PlanReviewDate]:
    """Review dates of approved plans about `person_id` that `actor` may read, falling after
    `after` (exclusive) and on or before `until`, when `other` is above the person (the 1:1
    is with their manager line): the items the agenda of that 1:1 shows. One query."""
    readable = improvement_plan_list(actor=actor, person_id=person_id, status=PlanStatus.APPROVED)
    readable = readable.filter(person__in=reports_below(manager=other))
    dates = PlanReviewDate.objects.filter(plan__in=readable.values("pk"), on__lte=until)
    if after is not None:
        dates = dates.filter(on__gt=after)
    return dates.order_by("on", "id")

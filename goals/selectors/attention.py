"""Reads other apps ask of goals (check-ins, 1:1s, reviews, the home page): what needs
attention, what is at risk, a person's goals and updates, the summary of what is next.
They take the people they are about explicitly."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
)
from django.utils import timezone

from perfmgmt.tenancy.models import Membership, Organization
from perfmgmt.tenancy.policies import Actor
from perfmgmt.tenancy.selectors import below_q, people_for_in, reports_below

from ..models import (
    Confidence,
    Goal,
    GoalStatus,
    GoalUpdate,
    OwnerKind,
)
from ..services.goals import stale_after_days
from .reading import (
    goal_queryset,
    listed_goals,
)


def needs_attention_filter(*, organization: Organization, now: datetime | None = None) -> Q:
    """Active goals that are at risk / off track, or have not been updated in N days."""
    moment = now or timezone.now()
    stale_before = moment - timedelta(days=stale_after_days(organization))
    return Q(status=GoalStatus.ACTIVE) & (
        Q(last_confidence__in=[Confidence.AT_RISK, Confidence.OFF_TRACK])
        | Q(last_update_at__lt=stale_before)
        | Q(last_update_at__isnull=True, created_at__lt=stale_before)
    )


def goals_needing_attention(
    *, actor: Actor, organization: Organization, now: datetime | None = None
) -> QuerySet[Goal]:
    """Visible goals at risk or not updated in the organization's N days."""
    return (
        listed_goals(actor=actor)
        .filter(needs_attention_filter(organization=organization, now=now))
        .order_by("last_update_at", "due_date", "id")
    )


# --- For other apps (check-ins, 1:1s, reviews, rewards) ----------------------------------


def goals_at_risk_for(
    *, people: Iterable[Membership | int] | QuerySet[Membership], now: datetime | None = None
) -> QuerySet[Goal]:
    """Active goals of these people that are at risk, off track or not updated in N days.

    `people` a bounded batch, or a queryset of people (read as a subquery, so the statement
    does not grow with them). Not filtered by a viewer: the caller decides who may see the
    result (a manager's team dashboard passes their reports). Uses the active organization's N.
    """
    from perfmgmt.tenancy.context import current_organization

    owners = people_for_in(people)
    return (
        goal_queryset()
        .filter(owner_kind=OwnerKind.PERSON, owner_person_id__in=owners)
        .filter(needs_attention_filter(organization=current_organization(), now=now))
        .order_by("owner_person_id", "due_date", "id")
    )


def goal_updates_by(
    *, person: Membership | int, since: datetime, until: datetime | None = None
) -> QuerySet[GoalUpdate]:
    """Goal updates this person posted in [since, until), newest first, with their goals.

    For check-ins and reviews ("what progressed"); the caller decides who may see them.
    """
    person_id = person if isinstance(person, int) else person.pk
    updates = GoalUpdate.objects.filter(author_id=person_id, created_at__gte=since)
    if until is not None:
        updates = updates.filter(created_at__lt=until)
    return updates.select_related("goal", "goal__owner_person__user", "goal__owner_team")


def goals_of(
    *,
    person: Membership | int | None = None,
    people: Sequence[int] = (),
    period: tuple[date, date] | None = None,
) -> QuerySet[Goal]:
    """A person's own goals (including learning goals of development plans), or those of
    several `people` (ids, a bounded batch), optionally those overlapping a period. The
    caller decides who may see them."""
    goals = goal_queryset().filter(owner_kind=OwnerKind.PERSON)
    if person is not None:
        goals = goals.filter(owner_person_id=person if isinstance(person, int) else person.pk)
    else:
        goals = goals.filter(owner_person_id__in=list(people))
    if period is not None:
        first, last = period
        goals = goals.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=last),
            Q(due_date__isnull=True) | Q(due_date__gte=first),
        )
    return goals


# --- The home page's "what's next" -------------------------------------------------------


@dataclass(frozen=True)
class GoalSummary:
    due_soon: int
    needs_update: int
    to_agree: int


DUE_SOON = timedelta(days=14)


def whats_next_summary(*, actor: Membership, now: datetime | None = None) -> GoalSummary:
    """For the home page, in two queries: the person's own open goals due in the next two
    weeks, their active goals at risk or not updated in N days, and goals waiting for them
    to agree (proposed by a report, or proposed to them by a manager; team and organization
    goals proposed by someone below them; for HR admins and owners also the goals of people
    nobody manages and the shared goals proposed by someone with nobody above them)."""
    moment = now or timezone.now()
    today = timezone.localdate(moment, actor.organization.zone)
    reports = reports_below(manager=actor)
    owner_below = below_q(manager=actor, person_field="owner_person")
    own = Q(owner_kind=OwnerKind.PERSON, owner_person=actor)
    awaiting = Q(agreed_at__isnull=True, status__in=[GoalStatus.DRAFT, GoalStatus.ACTIVE])
    proposed_by_owner = Q(owner_kind=OwnerKind.PERSON, proposed_by_id=F("owner_person_id"))
    waiting_for_actor = (owner_below & proposed_by_owner) | (
        own & ~Q(proposed_by=actor) & Q(proposed_by__isnull=False)
    )
    # Team and organization goals proposed by someone below the actor (see policies).
    shared = Q(owner_kind__in=[OwnerKind.TEAM, OwnerKind.ORGANIZATION])
    waiting_for_actor |= shared & Q(proposed_by_id__in=reports)
    if actor.is_hr:
        # Nobody manages these people: HR admins and owners agree their goals (see policies).
        waiting_for_actor |= proposed_by_owner & Q(owner_person__manager__isnull=True) & ~own
        # Nobody is above who proposed these: HR admins and owners agree them.
        waiting_for_actor |= shared & Q(proposed_by__manager__isnull=True) & ~Q(proposed_by=actor)
    to_agree = awaiting & waiting_for_actor
    counts = Goal.objects.aggregate(
        due_soon=Count(
            "pk",
            filter=own
            & Q(status__in=[GoalStatus.DRAFT, GoalStatus.ACTIVE])
            & Q(due_date__gte=today, due_date__lte=today + DUE_SOON),
        ),
        needs_update=Count(
            "pk",
            filter=own & needs_attention_filter(organization=actor.organization, now=moment),
        ),
        to_agree=Count("pk", filter=to_agree),
    )
    return GoalSummary(**counts)

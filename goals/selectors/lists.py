"""The goal pages' own lists (my goals, team goals, goals set for others) and the choices
their forms offer (people, teams, parents)."""

from __future__ import annotations

from django.db.models import (
    F,
    Q,
    QuerySet,
)

from perfmgmt.tenancy.models import Membership, MembershipStatus, Team
from perfmgmt.tenancy.policies import Actor
from perfmgmt.tenancy.selectors import below_q, reports_below

from ..models import (
    Goal,
    GoalStatus,
    OwnerKind,
)
from .reading import (
    listed_goals,
    visible_goals,
)


def my_goals(*, actor: Membership) -> QuerySet[Goal]:
    """The person's own goals, and the goals of their team, newest first."""
    query = Q(owner_kind=OwnerKind.PERSON, owner_person=actor)
    if actor.team_id is not None:
        query |= Q(owner_kind=OwnerKind.TEAM, owner_team_id=actor.team_id)
    return listed_goals(actor=actor).filter(query).order_by("-created_at", "-id")


TEAM_GOALS_ORDER = ("-listed_at", "-id")


def team_goals(*, actor: Membership) -> tuple[QuerySet[Goal], QuerySet[Goal]]:
    """Goals of everyone below this manager (whole chain) and of their teams, newest first
    (`listed_at`, the goal's `created_at`, then id: `TEAM_GOALS_ORDER`), as two lists that
    a keyset page merges in one statement.

    People's goals walk the manager's rows of `GoalOwnerLine` newest first, so the walk
    meets only goals of people below, however many the other branches hold; team goals
    walk the organization's team goals (few) and keep those of teams below."""
    visible = listed_goals(actor=actor)
    people = owned_below(visible, manager=actor).annotate(listed_at=F("owner_lines__created_at"))
    below = below_q(manager=actor, person_field="")
    teams = Membership.objects.filter(below, team__isnull=False).values("team_id")
    shared = visible.filter(owner_kind=OwnerKind.TEAM, owner_team_id__in=teams).annotate(
        listed_at=F("created_at")
    )
    return people, shared


def owned_below(goals: QuerySet[Goal], *, manager: Membership) -> QuerySet[Goal]:
    """People's goals whose owner is below `manager` at any depth: `below_q` on the owner,
    read from the copy of the owner's line kept with each goal (`GoalOwnerLine`), joined
    once (a goal has one row per person above its owner)."""
    return goals.filter(
        owner_kind=OwnerKind.PERSON,
        owner_lines__organization_id=manager.organization_id,
        owner_lines__above=manager,
    )


def goals_set_for_others(*, actor: Membership) -> QuerySet[Goal]:
    """Goals this person proposed for other people (assigned to many, or set for a report),
    that they may still read, newest first: where "Assign to many" lands."""
    return (
        listed_goals(actor=actor)
        .filter(owner_kind=OwnerKind.PERSON, created_by=actor)
        .exclude(owner_person=actor)
        .order_by("-created_at", "-id")
    )


def assignable_people(actor: Actor) -> QuerySet[Membership]:
    """Whose goals this actor may set: HR everyone, others themselves and their chain."""
    people = Membership.objects.exclude(status=MembershipStatus.LEFT).select_related("user")
    if not isinstance(actor, Membership) or actor.is_hr:
        return people
    return people.filter(Q(pk=actor.pk) | Q(pk__in=reports_below(manager=actor)))


def assignable_teams(actor: Actor) -> QuerySet[Team]:
    """Teams whose goals this actor may set: HR all, managers those they manage people in."""
    if not isinstance(actor, Membership) or actor.is_hr:
        return Team.objects.all()
    reports = Membership.objects.filter(pk__in=reports_below(manager=actor))
    return Team.objects.filter(pk__in=reports.values("team_id"))


def assignable_team_members(*, actor: Actor, team: Team) -> QuerySet[Membership]:
    """ "Everyone in the team" for bulk assignment: the people of the team the actor may set
    goals for, not the actor themselves."""
    people = assignable_people(actor).filter(team=team)
    if isinstance(actor, Membership):
        people = people.exclude(pk=actor.pk)
    return people


def parent_choices(*, actor: Actor, exclude: Goal | None = None) -> QuerySet[Goal]:
    """Goals one may align a goal under: visible and not cancelled, except that a goal's
    current parent stays a choice (so the goal can be edited after its parent closed)."""
    goals = visible_goals(actor=actor)
    open_goals = ~Q(status=GoalStatus.CANCELLED)
    if exclude is not None and exclude.pk is not None:
        goals = goals.exclude(pk=exclude.pk)
        if exclude.parent_id is not None:
            open_goals |= Q(pk=exclude.parent_id)
    return goals.filter(open_goals).order_by("owner_kind", "title")

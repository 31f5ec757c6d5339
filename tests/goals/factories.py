"""Goal factories: rows made directly (for reads and counts) or through the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory

from goals import services
from goals.models import Goal, GoalStatus, GoalType, OwnerKind, Visibility
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.factories import TenantFactory


class GoalFactory(TenantFactory):
    """A person's active quantitative goal, stored as is (no roll-up refresh)."""

    class Meta:
        model = Goal

    owner_kind = OwnerKind.PERSON
    title = factory.Sequence(lambda n: f"Goal {n}")
    goal_type = GoalType.QUANTITATIVE
    unit = "%"
    start_value = Decimal("0")
    target_value = Decimal("100")
    current_value = Decimal("0")
    visibility = Visibility.TEAM_AND_MANAGERS
    status = GoalStatus.ACTIVE


def create_goal(actor: Membership, **kwargs: Any) -> Goal:
    """A goal proposed through the service, in the actor's organization."""
    kwargs.setdefault("title", "Ship the new onboarding")
    if "owner_kind" not in kwargs:
        kwargs["owner_kind"] = OwnerKind.PERSON
        kwargs.setdefault("owner_person", actor)
    if kwargs.get("goal_type", GoalType.QUANTITATIVE) == GoalType.QUANTITATIVE:
        kwargs.setdefault("start_value", Decimal("0"))
        kwargs.setdefault("target_value", Decimal("100"))
    with organization_scope(actor.organization):
        return services.goal_create(actor=actor, **kwargs)


def agree_goal(actor: Membership, goal: Goal) -> Goal:
    """The goal agreed through the service by `actor` (the other side of its proposal)."""
    with organization_scope(actor.organization):
        return services.goal_agree(actor=actor, goal=goal)


def create_roll_up_goal(actor: Membership, **kwargs: Any) -> Goal:
    """A goal with no measure of its own: its progress is the roll-up of its goals below."""
    kwargs.setdefault("title", "Be the most reliable vendor")
    return create_goal(actor, goal_type=GoalType.QUALITATIVE, **kwargs)


def post_update(actor: Membership, goal: Goal, **kwargs: Any) -> Goal:
    kwargs.setdefault("confidence", "on_track")
    with organization_scope(actor.organization):
        services.goal_update_post(actor=actor, goal=goal, **kwargs)
        goal.refresh_from_db()
    return goal


def make_key_result(people: Any) -> Goal:
    """For tests/test_isolation.py: a key result (measured child goal) under a company goal,
    so every goal route (goals/ and key-results/) finds it."""
    company = GoalFactory.create(
        organization=people.organization,
        owner_kind=OwnerKind.ORGANIZATION,
        start_value=None,
        target_value=None,
        current_value=None,
        goal_type=GoalType.QUALITATIVE,
    )
    return GoalFactory.create(
        organization=people.organization, owner_person=people.report, parent=company
    )


def make_goal_update(people: Any) -> Any:
    """For tests/test_isolation.py: an update by the goal's owner."""
    from goals.models import GoalUpdate

    goal = make_key_result(people)
    with organization_scope(people.organization):
        return GoalUpdate.objects.create(
            organization=people.organization,
            goal=goal,
            author=people.report,
            confidence="on_track",
            value=Decimal("5"),
        )

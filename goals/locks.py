"""Every row lock the goals services take, in one place and in one order.

The order, for every transaction that locks more than one row:

1. Rows of the apps built on goals (a development plan). They lock their own rows first and
   then call the goals services; when a change starts in goals, `goal_update` runs the
   `before_goal_locked` hook (`goals.hooks`) first, so those apps lock theirs before any
   goal row there too. Never the other way round: a goal row is never held while waiting
   for a row of such an app.
2. The goal being changed (`lock_goal`).
3. That goal and its ancestors, in id order, when its progress rolls up (`lock_goals`).
   Only ancestors are locked after the goal, never a goal below it, so two changes in the
   same tree wait on their common ancestor instead of deadlocking.

The organization row (where the goal settings live) is locked alone (`lock_organization`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from goals.models import Goal
from perfmgmt.tenancy.models import Organization


def lock_goal(goal_id: int, *, related: Sequence[str] = ()) -> Goal:
    """The goal row, locked for the rest of the transaction (joined rows are not locked)."""
    query = Goal.objects.select_for_update(of=("self",))
    if related:
        query = query.select_related(*related)
    return query.get(pk=goal_id)


def lock_goals(goal_ids: Collection[int]) -> dict[int, Goal]:
    """These goals, locked in id order in one statement, by id."""
    goals = Goal.objects.select_for_update().filter(pk__in=goal_ids).order_by("pk")
    return {goal.pk: goal for goal in goals}


def lock_organization(organization_id: int) -> Organization:
    """The organization row, to change its goal settings; taken with no other lock."""
    return Organization.objects.select_for_update().get(pk=organization_id)

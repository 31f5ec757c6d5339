"""Every row lock the development services take, in one place and in one order.

Development plans are built on goals, so their rows come first in the global order
(`goals.locks`): a transaction locks the plan, then the plan's action, and only then calls
the goals services, which lock goal rows. When a change starts in goals (`goal_update` on a
plan's learning goal), the `before_goal_locked` hook locks the plan before the goal
(`goals.development.hooks`), so both directions take plan, then goal.
"""

from __future__ import annotations

from .models import DevelopmentAction, DevelopmentPlan


def lock_plan(plan_id: int) -> DevelopmentPlan:
    """The plan row, locked for the rest of the transaction."""
    return DevelopmentPlan.objects.select_for_update().get(pk=plan_id)


def lock_plan_of_goal(goal_id: int) -> DevelopmentPlan | None:
    """The plan whose objective this goal is, locked (None when the goal serves no plan)."""
    return (
        DevelopmentPlan.objects.select_for_update(of=("self",))
        .filter(objectives__goal_id=goal_id)
        .first()
    )


def lock_action(action_id: int) -> DevelopmentAction:
    """An action of a plan; lock its plan first (`lock_plan`)."""
    return DevelopmentAction.objects.select_for_update().get(pk=action_id)

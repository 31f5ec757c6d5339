"""Plans follow their objectives' goals when the goals services change them.

A learning goal of a plan can also be changed on the goals page or through the goals API
(`goals.services.goal_update`). Goals knows nothing of plans: it offers hooks
(`goals.hooks`), and `goals.development.hooks` registers these two functions on them:

- `objective_plan_lock` before the goal row is locked: the plan is locked first, in the
  order the development services take the two rows (plan, then goal, see
  `goals.development.locks`), so a change from either side waits for the other instead of
  deadlocking;
- `objective_goal_changed` after the change: if it cleared the goal's agreement or cancelled
  the goal, an agreed plan goes back for agreement exactly as when its objectives change
  through the development services (same audit entry, same notification, no-op when the plan
  is not agreed).
"""

from __future__ import annotations

from goals.models import Goal
from perfmgmt.tenancy.policies import Actor

from ..locks import lock_plan_of_goal
from .plans import _send_back_for_agreement


def objective_plan_lock(*, goal: Goal) -> None:
    """Lock the plan whose objective this goal is, if any, before the goal is locked."""
    lock_plan_of_goal(goal.pk)


def objective_goal_changed(
    *, actor: Actor, goal: Goal, agreement_cleared: bool, cancelled: bool
) -> None:
    """Send an agreed plan back for agreement when its objective's goal lost its agreement."""
    if not (agreement_cleared or cancelled):
        return
    # Locked already by `objective_plan_lock` in this transaction: this does not wait.
    plan = lock_plan_of_goal(goal.pk)
    if plan is None:
        return
    change = "cancelled" if cancelled else "changed"
    _send_back_for_agreement(actor, plan, f"objective {change}: {goal.title}")

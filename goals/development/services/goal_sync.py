"""Plans follow their objectives' goals when the goals services change them.

A learning goal of a plan can also be changed on the goals page or through the goals API
(`goals.services.goal_update`). That service calls these two functions lazily, so the goals
package does not import this one at load time:

- `objective_plan_lock` before it locks the goal row: the plan is locked first, in the
  order the development services take the two rows (plan, then goal), so a change from
  either side waits for the other instead of deadlocking;
- `objective_goal_changed` after the change: if it cleared the goal's agreement or cancelled
  the goal, an agreed plan goes back for agreement exactly as when its objectives change
  through the development services (same audit entry, same notification, no-op when the plan
  is not agreed).
"""

from __future__ import annotations

from goals.models import Goal
from perfmgmt.tenancy.policies import Actor

from ..models import DevelopmentPlan
from .plans import _send_back_for_agreement


def objective_plan_lock(*, goal: Goal) -> DevelopmentPlan | None:
    """The plan whose objective this goal is, locked (None when the goal serves no plan)."""
    return (
        DevelopmentPlan.objects.select_for_update(of=("self",))
        .filter(objectives__goal_id=goal.pk)
        .first()
    )


def objective_goal_changed(
    *,
    actor: Actor,
    plan: DevelopmentPlan | None,
    goal: Goal,
    agreement_cleared: bool,
    cancelled: bool,
) -> None:
    """Send an agreed plan back for agreement when its objective's goal lost its agreement."""
    if plan is None or not (agreement_cleared or cancelled):
        return
    change = "cancelled" if cancelled else "changed"
    _send_back_for_agreement(actor, plan, f"objective {change}: {goal.title}")

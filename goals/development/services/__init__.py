"""Every write on development plans and the competency framework.

The flow: the person drafts a plan and submits it; a manager in their chain comments and
agrees it (who and when are recorded, and the learning goals the person proposed are agreed
with it). Changing the objectives or competencies of an agreed plan sends it back for
agreement: it becomes "waiting for agreement" again and the previous agreement is kept in
`last_agreed_by` / `last_agreed_at`; so does a change made to an objective's goal through
the goals services that clears its agreement or cancels it (`goal_sync`). Actions (courses,
mentoring, ...) and their status are how the plan is carried out, so they change without a
new agreement.
"""

from .actions import action_create, action_update
from .contents import (
    objective_add,
    objective_remove,
    objective_update,
    plan_competency_remove,
    plan_competency_set,
)
from .framework import (
    MAX_LEVELS,
    competency_category_create,
    competency_category_update,
    competency_create,
    competency_update,
)
from .plans import plan_agree, plan_close, plan_comment, plan_create, plan_submit, plan_update

__all__ = [
    "MAX_LEVELS",
    "action_create",
    "action_update",
    "competency_category_create",
    "competency_category_update",
    "competency_create",
    "competency_update",
    "objective_add",
    "objective_remove",
    "objective_update",
    "plan_agree",
    "plan_close",
    "plan_comment",
    "plan_competency_remove",
    "plan_competency_set",
    "plan_create",
    "plan_submit",
    "plan_update",
]

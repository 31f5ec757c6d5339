"""Goals over the REST API: /api/v1/orgs/<org_slug>/goals/, key-results/, goal-updates/.

Thin: parse input, call one selector or service, serialize. A goal the caller may not read
is a 404, exactly like another organization's id.

    filters.py  the lists' query parameters (goal filters are applied by `goal_list`)
    goals.py    goals and key results (+ agree, assign, revisions)
    updates.py  goal updates
"""

from .filters import GoalFilter, GoalStatusFilter, GoalUpdateFilter
from .goals import GoalViewSet, KeyResultViewSet
from .updates import GoalUpdateViewSet

__all__ = [
    "GoalFilter",
    "GoalStatusFilter",
    "GoalUpdateFilter",
    "GoalUpdateViewSet",
    "GoalViewSet",
    "KeyResultViewSet",
]

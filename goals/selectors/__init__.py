"""Reads of goals with their visibility rules, shared by pages, API and other apps.

Every list applies `policies.visible_goals_filter`, so a goal someone may not read is never
listed, and `goal_get` answers 404 for it exactly as for another organization's id. Lists
load owners, teams and parents with joins and never recurse: roll-up progress is cached on
each row by the services. The API's list reads just the ids and `reward_visible` (`goal_rows`)
and has PostgreSQL write the page (`serializers.GOAL_JSON`).

Other apps (check-ins and 1:1s in `feedback/`, reviews, rewards) call the functions in
`attention.py`; they take the people they are about explicitly.

    reading.py    the rule on querysets, the paged lists, one goal, its updates and revisions
    lists.py      my goals, team goals, goals set for others, the forms' choices
    attention.py  what other apps ask: needing attention, at risk, a person's goals, what's next
"""

from .attention import (
    DUE_SOON,
    GoalSummary,
    goal_updates_by,
    goals_at_risk_for,
    goals_needing_attention,
    goals_of,
    needs_attention_filter,
    whats_next_summary,
)
from .lists import (
    TEAM_GOALS_ORDER,
    assignable_people,
    assignable_team_members,
    assignable_teams,
    goals_set_for_others,
    my_goals,
    owned_below,
    parent_choices,
    team_goals,
)
from .reading import (
    GOAL_JOINS,
    LIST_JOINS,
    GoalCapabilities,
    as_column,
    goal_capabilities,
    goal_detail,
    goal_get,
    goal_list,
    goal_queryset,
    goal_revisions,
    goal_rows,
    goal_update_list,
    listed_goals,
    period_bounds,
    visible_goals,
    visible_goals_through,
)

__all__ = [
    "DUE_SOON",
    "GOAL_JOINS",
    "LIST_JOINS",
    "TEAM_GOALS_ORDER",
    "GoalCapabilities",
    "GoalSummary",
    "as_column",
    "assignable_people",
    "assignable_team_members",
    "assignable_teams",
    "goal_capabilities",
    "goal_detail",
    "goal_get",
    "goal_list",
    "goal_queryset",
    "goal_revisions",
    "goal_rows",
    "goal_update_list",
    "goal_updates_by",
    "goals_at_risk_for",
    "goals_needing_attention",
    "goals_of",
    "goals_set_for_others",
    "listed_goals",
    "my_goals",
    "needs_attention_filter",
    "owned_below",
    "parent_choices",
    "period_bounds",
    "team_goals",
    "visible_goals",
    "visible_goals_through",
    "whats_next_summary",
]

"""Reads of the goal tree: how goals align (company -> team -> person), a level at a time.

Only goals the reader may read are on the tree (`policies.visible_goals_filter`, the rule
every goal list applies), cancelled ones are left out, and a goal whose parent is not on
the tree for this reader starts a tree of its own. A page shows one page of top goals and
the first goals under each; deeper branches open on demand, one page at a time
(`perfmgmt.web.trees`). So the tree of 50,000 goals is as small as the tree of 500, and
every statement is the same whatever the number of goals.
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Case, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.http import Http404

from perfmgmt.ids import object_id
from perfmgmt.tenancy.policies import Actor
from perfmgmt.web.trees import Branch, Level, children_level, count_of, tree_level

from . import policies
from .models import Goal, GoalStatus, OwnerKind
from .selectors import GOAL_JOINS, as_column

PARENT = "parent_id"
MAX_CHAIN = 50
_KIND_ORDER = Case(
    When(owner_kind=OwnerKind.ORGANIZATION, then=Value(0)),
    When(owner_kind=OwnerKind.TEAM, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
ORDER = (_KIND_ORDER, F("due_date").asc(nulls_last=True), "pk")

# The goals above a goal, nearest first, at most MAX_CHAIN of them.
_CHAIN_SQL = """
WITH RECURSIVE chain(id, parent_id, depth) AS (
    SELECT id, parent_id, 0 FROM goals_goal WHERE id = %s AND organization_id = %s
    UNION ALL
    SELECT g.id, g.parent_id, c.depth + 1 FROM goals_goal g
    JOIN chain c ON g.id = c.parent_id WHERE g.organization_id = %s AND c.depth < %s
)
SELECT id FROM chain WHERE depth > 0
"""


def _on_tree(actor: Actor) -> Q:
    return policies.visible_goals_filter(actor) & ~Q(status=GoalStatus.CANCELLED)


def tree_goals(*, actor: Actor) -> QuerySet[Goal]:
    """The goals on this reader's tree."""
    return (
        Goal.objects.filter(_on_tree(actor))
        .select_related(*GOAL_JOINS)
        .annotate(reward_visible=as_column(policies.goal_reward_filter(actor)))
    )


def _child_count(actor: Actor) -> Any:
    """How many goals on the reader's tree are right under each goal."""
    return count_of(Goal.objects.filter(_on_tree(actor), parent=OuterRef("pk")))


def _prefixed(rule: Q, prefix: str) -> Q:
    """The same rule about the row's `prefix` relation (`parent__`): a filter on the joined
    parent, which the planner reads in the same pass, instead of a subquery per row."""
    prefixed = Q()
    prefixed.connector, prefixed.negated = rule.connector, rule.negated
    for child in rule.children:
        if isinstance(child, Q):
            prefixed.children.append(_prefixed(child, prefix))
        else:
            lookup, value = cast(tuple[str, Any], child)
            prefixed.children.append((f"{prefix}{lookup}", value))
    return prefixed


def _top(actor: Actor) -> Q:
    """Goals whose parent is not on the reader's tree: none, cancelled, or not readable."""
    top = Q(parent__isnull=True) | Q(parent__status=GoalStatus.CANCELLED)
    rule = policies.visible_goals_filter(actor)
    if rule:
        top |= ~_prefixed(rule, "parent__")
    return top


def goal_tree(*, actor: Actor, start: int = 0, nested: bool = True) -> Level[Goal]:
    """A page of the top goals, with the first goals under each (`nested`)."""
    return tree_level(
        nodes=tree_goals(actor=actor),
        child_count=_child_count(actor),
        top=_top(actor),
        parent_field=PARENT,
        order=ORDER,
        start=start,
        nested=nested,
    )


def tree_goal_get(*, actor: Actor, goal_id: object) -> Goal:
    """A goal on the reader's tree, or 404: one they may not read, a cancelled one, another
    organization's id and a missing one look the same on every part of the tree."""
    found = (
        tree_goals(actor=actor)
        .filter(pk=object_id(goal_id))
        .annotate(child_count=_child_count(actor))
        .first()
    )
    if found is None:
        raise Http404("No such goal.")
    return found


def goal_tree_children(*, actor: Actor, goal: Goal, start: int = 0) -> Level[Goal]:
    """One page of the goals under a goal, collapsed (what opening its branch loads)."""
    return children_level(
        nodes=tree_goals(actor=actor),
        child_count=_child_count(actor),
        parent=goal,
        parent_field=PARENT,
        order=ORDER,
        start=start,
    )


def goal_tree_from(*, actor: Actor, goal: Goal, start: int = 0) -> Level[Goal]:
    """The tree opened at one goal: it, and a page of the goals under it."""
    children = goal_tree_children(actor=actor, goal=goal, start=start)
    return Level([Branch(goal, getattr(goal, "child_count", 0), children)], 1, 0, False)


def goal_tree_chain(*, actor: Actor, goal: Goal) -> list[Goal]:
    """The goals above this one that the reader's tree shows, from the top down; the way
    up stops at the first one the reader may not read."""
    org_id = goal.organization_id
    above = RawSQL(_CHAIN_SQL, [goal.pk, org_id, org_id, MAX_CHAIN])  # noqa: S611 (constant SQL)
    goals = {found.pk: found for found in Goal.objects.filter(_on_tree(actor), pk__in=above)}
    chain: list[Goal] = []
    parent_id = goal.parent_id
    while parent_id in goals and parent_id not in {found.pk for found in chain}:
        chain.append(goals[parent_id])
        parent_id = chain[-1].parent_id
    return list(reversed(chain))

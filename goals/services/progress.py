"""Derived progress: computed here, cached on `Goal.progress`, never typed in.

- A measure: (current - start) / (target - start), clamped to 0..1 (works for targets
  below the start, e.g. "cut response time").
- Milestones: done / total.
- A goal with children: the weighted mean of its children's progress; cancelled children
  do not count, weights are relative to the siblings.
- A completed goal is at 100%.

`refresh_progress` recomputes a goal and every ancestor, locking the rows bottom-up, so a
list or the tree reads one column and never recurses.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, Q

from goals import locks
from goals.models import ONE, ZERO, Goal, GoalStatus

_PLACES = Decimal("0.0001")

_ANCESTORS_SQL = """
WITH RECURSIVE up(id, parent_id, depth, path) AS (
    SELECT id, parent_id, 0, ARRAY[id] FROM goals_goal WHERE id = %s AND organization_id = %s
    UNION ALL
    SELECT g.id, g.parent_id, up.depth + 1, up.path || g.id FROM goals_goal g
    JOIN up ON g.id = up.parent_id
    WHERE g.organization_id = %s AND NOT g.id = ANY(up.path)
)
SELECT id FROM up ORDER BY depth
"""


def _clamp(value: Decimal) -> Decimal:
    return min(ONE, max(ZERO, value)).quantize(_PLACES, rounding=ROUND_HALF_UP)


def measure_progress(
    *, start: Decimal | None, target: Decimal | None, current: Decimal | None
) -> Decimal:
    if start is None or target is None or target == start:
        return ZERO
    if current is None:
        return ZERO
    return _clamp((current - start) / (target - start))


def rolled_up_progress(children: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """Weighted mean of (weight, progress) pairs; zero when there are none."""
    pairs = list(children)
    total = sum((weight for weight, _ in pairs), ZERO)
    if total <= 0:
        return ZERO
    return _clamp(sum((weight * progress for weight, progress in pairs), ZERO) / total)


def compute_progress(goal: Goal) -> Decimal:
    """The goal's progress from its measure, milestones or children (two queries)."""
    if goal.status == GoalStatus.COMPLETED:
        return ONE
    children = list(
        Goal.objects.filter(parent_id=goal.pk)
        .exclude(status=GoalStatus.CANCELLED)
        .values_list("weight", "progress")
    )
    if children:
        return rolled_up_progress(children)
    if goal.has_measure:
        return measure_progress(
            start=goal.start_value, target=goal.target_value, current=goal.current_value
        )
    counts = goal.milestones.aggregate(total=Count("id"), done=Count("id", filter=Q(done=True)))
    if counts["total"]:
        return _clamp(Decimal(counts["done"]) / Decimal(counts["total"]))
    return ZERO


def ancestor_ids(goal_id: int, organization_id: int) -> list[int]:
    """The goal and every goal above it, nearest first, in one query.

    The path check stops at a repeated goal, so corrupted data cannot loop forever.
    """
    with connection.cursor() as cursor:
        cursor.execute(_ANCESTORS_SQL, [goal_id, organization_id, organization_id])
        return [row[0] for row in cursor.fetchall()]


def refresh_progress(goal_id: int | None) -> None:
    """Recompute the cached progress of this goal and all its ancestors, bottom-up.

    Call inside a transaction after any change to a measure, milestone, child, status or
    parent. Ancestors are locked in one statement so concurrent updates of siblings
    serialize on their common parent instead of overwriting each other's roll-up.
    """
    if goal_id is None:
        return
    from perfmgmt.tenancy.context import current_organization

    chain = ancestor_ids(goal_id, current_organization().pk)
    goals = locks.lock_goals(chain)
    for pk in chain:
        goal = goals[pk]
        progress = compute_progress(goal)
        if progress != goal.progress:
            goal.progress = progress
            goal.save(update_fields=["progress", "updated_at"])

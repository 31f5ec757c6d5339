"""Derived progress: one rule, computed here, cached on `Goal.progress`, never typed in.

The rule (docs/goal-progress.md; the goal page says it in a sentence for each goal):

1. A completed goal is at 100 %.
2. A goal with a measure of its own reports it: a number from start to target
   ((current - start) / (target - start), clamped to 0..1; works for targets below the
   start, e.g. "cut response time"), or else its milestones (done / total). The goals
   supporting it are shown beside it; they do not replace it.
3. A goal without a measure of its own rolls up the goals supporting it: the weighted mean
   of their progress, each at most 100 %, weights relative to the siblings. Goals below
   that were never agreed (proposals) and cancelled goals do not count; a goal changed
   after it was agreed still counts while it waits to be agreed again.
4. Otherwise it is at 0 %.

`refresh_progress` recomputes a goal and every ancestor, locking the rows bottom-up, so a
list, the tree, the API and the team page read one column and never recurse.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import Least

from goals import locks
from goals.models import ONE, ZERO, Goal, GoalRevision, GoalStatus

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


class Basis(StrEnum):
    """What a goal's progress was computed from."""

    COMPLETED = "completed"
    MEASURE = "measure"
    MILESTONES = "milestones"
    CHILDREN = "children"
    NOTHING = "nothing"


@dataclass(frozen=True)
class ProgressBreakdown:
    """A goal's progress and what it came from, with the goals below it counted by how the
    rule treats them (for the sentence on the goal page)."""

    progress: Decimal
    basis: Basis
    milestones_done: int = 0
    milestones_total: int = 0
    children_counted: int = 0
    children_not_agreed: int = 0
    children_cancelled: int = 0

    @property
    def children_total(self) -> int:
        return self.children_counted + self.children_not_agreed + self.children_cancelled


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
    """Weighted mean of (weight, progress) pairs, each progress at most 1; zero for none."""
    pairs = list(children)
    total = sum((weight for weight, _ in pairs), ZERO)
    if total <= 0:
        return ZERO
    return _clamp(sum((weight * min(progress, ONE) for weight, progress in pairs), ZERO) / total)


def _was_agreed() -> Q:
    """Agreed now, or agreed once and changed since (the agreed version is kept)."""
    return Q(agreed_at__isnull=False) | Q(
        Exists(GoalRevision.objects.filter(goal_id=OuterRef("pk")))
    )


def counts_in_roll_up() -> Q:
    """The goals below a goal that count in its roll-up (rule 3)."""
    return ~Q(status=GoalStatus.CANCELLED) & _was_agreed()


def _children_summary(goal: Goal) -> dict[str, Decimal | int | None]:
    """The goals below, counted by how the rule treats them, and the weighted sums of those
    that count, in one query."""
    counted = counts_in_roll_up()
    cancelled = Q(status=GoalStatus.CANCELLED)
    return Goal.objects.filter(parent_id=goal.pk).aggregate(
        counted=Count("pk", filter=counted),
        not_agreed=Count("pk", filter=~cancelled & ~_was_agreed()),
        cancelled=Count("pk", filter=cancelled),
        weights=Sum("weight", filter=counted),
        weighted=Sum(F("weight") * Least(F("progress"), Value(ONE)), filter=counted),
    )


def progress_breakdown(goal: Goal) -> ProgressBreakdown:
    """The goal's progress by the rule, and what it was computed from (two queries)."""
    children = _children_summary(goal)
    below = {
        "children_counted": int(children["counted"] or 0),
        "children_not_agreed": int(children["not_agreed"] or 0),
        "children_cancelled": int(children["cancelled"] or 0),
    }
    if goal.status == GoalStatus.COMPLETED:
        return ProgressBreakdown(ONE, Basis.COMPLETED, **below)
    if goal.has_measure:
        progress = measure_progress(
            start=goal.start_value, target=goal.target_value, current=goal.current_value
        )
        return ProgressBreakdown(progress, Basis.MEASURE, **below)
    milestones = goal.milestones.aggregate(total=Count("id"), done=Count("id", filter=Q(done=True)))
    if milestones["total"]:
        progress = _clamp(Decimal(milestones["done"]) / Decimal(milestones["total"]))
        return ProgressBreakdown(
            progress,
            Basis.MILESTONES,
            milestones_done=milestones["done"],
            milestones_total=milestones["total"],
            **below,
        )
    weights = Decimal(children["weights"] or 0)
    if below["children_counted"] and weights > 0:
        progress = _clamp(Decimal(children["weighted"] or 0) / weights)
        return ProgressBreakdown(progress, Basis.CHILDREN, **below)
    return ProgressBreakdown(ZERO, Basis.NOTHING, **below)


def compute_progress(goal: Goal) -> Decimal:
    """The goal's progress by the rule (see the module docstring)."""
    return progress_breakdown(goal).progress


def ancestor_ids(goal_id: int, organization_id: int) -> list[int]:
    """The goal and every goal above it, nearest first, in one query.

    The path check stops at a repeated goal, so corrupted data cannot loop forever.
    """
    with connection.cursor() as cursor:
        cursor.execute(_ANCESTORS_SQL, [goal_id, organization_id, organization_id])
        return [row[0] for row in cursor.fetchall()]


def refresh_progress(goal_id: int | None) -> None:
    """Recompute the cached progress of this goal and all its ancestors, bottom-up.

    Call inside a transaction after any change to a measure, milestone, child, status,
    agreement or parent. Ancestors are locked in one statement so concurrent updates of
    siblings serialize on their common parent instead of overwriting each other's roll-up.
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

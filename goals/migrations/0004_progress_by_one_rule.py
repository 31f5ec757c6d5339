"""Recompute every goal's cached progress by the rule in goals/services/progress.py.

Before, a goal with goals below it always reported their roll-up, even when it had a measure
of its own, and proposals that were never agreed counted in it. This computes the figure
once by the rule as it stands at this migration (kept here, so later changes of the service
do not change what this migration does): completed 100 %; else the goal's own measure;
else its milestones; else the weighted mean of the goals below it that were agreed (now or
before a change) and are not cancelled, each at most 100 %; else 0.
"""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations
from django.db.models import Count, Q

ZERO, ONE, PLACES = Decimal("0"), Decimal("1"), Decimal("0.0001")


def _clamp(value):
    return min(ONE, max(ZERO, value)).quantize(PLACES, rounding=ROUND_HALF_UP)


def _own(goal, milestones):
    """The goal's progress from itself alone, or None when it has no measure of its own."""
    if goal.status == "completed":
        return ONE
    if goal.start_value is not None and goal.target_value is not None:
        if goal.current_value is None or goal.target_value == goal.start_value:
            return ZERO
        return _clamp((goal.current_value - goal.start_value) / (goal.target_value - goal.start_value))
    total, done = milestones.get(goal.pk, (0, 0))
    if total:
        return _clamp(Decimal(done) / Decimal(total))
    return None


def recompute(apps, schema_editor):
    Goal = apps.get_model("goals", "Goal")
    Milestone = apps.get_model("goals", "Milestone")
    GoalRevision = apps.get_model("goals", "GoalRevision")
    revised = set(GoalRevision.objects.values_list("goal_id", flat=True))
    milestones = {
        row["goal_id"]: (row["total"], row["done"])
        for row in Milestone.objects.values("goal_id").annotate(
            total=Count("id"), done=Count("id", filter=Q(done=True))
        )
    }
    fields = ["id", "parent_id", "status", "start_value", "target_value", "current_value",
              "weight", "progress", "agreed_at"]
    goals = {goal.pk: goal for goal in Goal.objects.only(*fields)}
    children = defaultdict(list)
    for goal in goals.values():
        if goal.parent_id in goals:
            children[goal.parent_id].append(goal)
    computed = {}

    def counts(child):
        agreed = child.agreed_at is not None or child.pk in revised
        return agreed and child.status != "cancelled"

    for start in goals.values():
        # Depth first, children before their parent, without recursion; a cycle in the data
        # is broken where the walk meets a goal again.
        stack, entered = [start], set()
        while stack:
            goal = stack[-1]
            if goal.pk in computed:
                stack.pop()
                continue
            if goal.pk not in entered:
                entered.add(goal.pk)
                stack.extend(c for c in children[goal.pk] if c.pk not in computed and c.pk not in entered)
                continue
            stack.pop()
            own = _own(goal, milestones)
            if own is None:
                counted = [(c.weight, computed.get(c.pk, ZERO)) for c in children[goal.pk] if counts(c)]
                weights = sum((weight for weight, _ in counted), ZERO)
                own = _clamp(sum((w * min(p, ONE) for w, p in counted), ZERO) / weights) if weights > 0 else ZERO
            computed[goal.pk] = own
    changed = []
    for pk, progress in computed.items():
        goal = goals[pk]
        if goal.progress != progress:
            goal.progress = progress
            changed.append(goal)
    Goal.objects.bulk_update(changed, ["progress"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("goals", "0003_development_models_move_to_their_app"),
    ]

    operations = [
        migrations.RunPython(recompute, migrations.RunPython.noop),
    ]

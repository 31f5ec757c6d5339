"""Goal completion on the analytics page (see perfmgmt/analytics/registry.py)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from perfmgmt.analytics.figures import Table, count, month_row, share
from perfmgmt.analytics.registry import Metric, register
from perfmgmt.analytics.scope import Period, Scope

from .models import Goal, GoalStatus, OwnerKind

# A goal is completed when it was marked so, or when its progress reached its target and
# nobody marked it missed.
COMPLETED = Q(status=GoalStatus.COMPLETED) | (Q(progress__gte=1) & ~Q(status=GoalStatus.MISSED))


def goal_completion(scope: Scope, period: Period) -> list[Table]:
    """Per month: the goals of people in scope due that month (not drafts, not cancelled)
    and how many of them are completed. One statement."""
    found = (
        Goal.objects.filter(
            scope.people_q("owner_person"),
            owner_kind=OwnerKind.PERSON,
            due_date__gte=period.first,
            due_date__lt=period.end_day,
        )
        .exclude(status__in=(GoalStatus.DRAFT, GoalStatus.CANCELLED))
        .annotate(month=TruncMonth("due_date"))
        .order_by()
        .values("month")
        .annotate(due=Count("pk"), completed=Count("pk", filter=COMPLETED))
    )
    by_month = {row["month"]: row for row in found}
    rows = []
    for month in period.month_starts:
        row = by_month.get(month, {"due": 0, "completed": 0})
        figures = (count(row["due"]), count(row["completed"]), share(row["completed"], row["due"]))
        rows.append(month_row(month, figures))
    columns = (_("Goals due"), _("Completed"), _("Completion"))
    return [Table("goals", _("Goal completion"), _("Month"), columns, tuple(rows), chart_column=2)]


register(
    Metric(
        key="goals",
        title=gettext_lazy("Goal completion"),
        description=gettext_lazy(
            "The people's goals due each month (drafts and cancelled goals left out), and the "
            "share completed: marked completed, or at their target and not marked missed."
        ),
        compute=goal_completion,
        order=30,
    ),
)

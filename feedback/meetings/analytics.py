"""1:1 coverage on the analytics page (see perfmgmt/analytics/registry.py)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from perfmgmt.analytics import sql
from perfmgmt.analytics.figures import Table, coverage_row
from perfmgmt.analytics.registry import Metric, register
from perfmgmt.analytics.scope import Period, Scope

from .models import Meeting, MeetingStatus


def one_on_one_coverage(scope: Scope, period: Period) -> list[Table]:
    """Of the people in scope who have a manager and were members each month, how many
    had at least one 1:1 held that month as the report of its series (marked done, by the
    local day it was scheduled for): a manager's 1:1s with their own reports do not cover
    them."""
    held = Meeting.objects.filter(status=MeetingStatus.DONE)
    activities = [held.values_list("series__report_id", "scheduled_for")]
    months = sql.coverage(
        scope=scope, period=period, activities=activities, people_filter=Q(manager__isnull=False)
    )
    rows = tuple(coverage_row(found.month, found.people, found.counts[0]) for found in months)
    columns = (_("People with a manager"), _("Had a 1:1"), _("Coverage"))
    return [Table("one_on_ones", _("1:1 coverage"), _("Month"), columns, rows, chart_column=2)]


register(
    Metric(
        key="one_on_ones",
        title=gettext_lazy("1:1 coverage"),
        description=gettext_lazy(
            "Of the people who have a manager, the share who had at least one 1:1 held "
            "(marked done) that month as the report, with their manager or another."
        ),
        compute=one_on_one_coverage,
        order=20,
    ),
)

"""The monitor stage's figures on the analytics page (see perfmgmt/analytics/registry.py):
check-in coverage, and feedback given and received.

Both count rows and people; they never read a check-in's answers or a feedback's text,
giver or recipient beyond whether that person is in the reader's scope. Feedback is
counted only over the scope as a whole, and a month with fewer than `FEEDBACK_MINIMUM`
people in the scope shows no figure: a private note to one of a few people is not learnt
from a count.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from perfmgmt.analytics import sql
from perfmgmt.analytics.figures import Table, count, coverage_row, month_row, suppressed
from perfmgmt.analytics.registry import Metric, register
from perfmgmt.analytics.scope import Period, Scope

from .models import CheckIn, CheckInStatus, Feedback

FEEDBACK_MINIMUM = 5


def checkin_coverage(scope: Scope, period: Period) -> list[Table]:
    """Of the people in scope who were members each month, how many submitted at least
    one check-in that month (by the local day it was submitted)."""
    submitted = (
        CheckIn.objects.exclude(status=CheckInStatus.DRAFT)
        .filter(submitted_at__isnull=False)
        .values_list("person_id", "submitted_at")
    )
    months = sql.coverage(scope=scope, period=period, activities=[submitted])
    rows = tuple(coverage_row(found.month, found.people, found.counts[0]) for found in months)
    columns = (_("People"), _("Checked in"), _("Coverage"))
    return [Table("checkins", _("Check-in coverage"), _("Month"), columns, rows, chart_column=2)]


def feedback_counts(scope: Scope, period: Period) -> list[Table]:
    """Feedback written by and about the people in scope each month: counts only."""
    given = Feedback.objects.values_list("giver_id", "created_at")
    received = Feedback.objects.values_list("recipient_id", "created_at")
    months = sql.counts(scope=scope, period=period, events=[given, received])
    rows = []
    for found in months:
        if found.people < FEEDBACK_MINIMUM:
            figures = (count(found.people), suppressed(), suppressed())
        else:
            figures = (count(found.people), count(found.counts[0]), count(found.counts[1]))
        rows.append(month_row(found.month, figures))
    notes = (
        _("“-”: fewer than %(minimum)s people in the scope that month, so no count is shown.")
        % {"minimum": FEEDBACK_MINIMUM},
    )
    columns = (_("People"), _("Feedback given"), _("Feedback received"))
    table = Table(
        "feedback", _("Feedback given and received"), _("Month"), columns, tuple(rows), 1, notes
    )
    return [table]


register(
    Metric(
        key="checkins",
        title=gettext_lazy("Check-in coverage"),
        description=gettext_lazy(
            "Of the people who were members each month, the share who submitted at least one "
            "check-in that month."
        ),
        compute=checkin_coverage,
        order=10,
    ),
    Metric(
        key="feedback",
        title=gettext_lazy("Feedback given and received"),
        description=gettext_lazy(
            "How much feedback the people wrote and received each month: counts only, for the "
            "people as a whole, never who or what."
        ),
        compute=feedback_counts,
        order=40,
    ),
)

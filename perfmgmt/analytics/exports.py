"""The analytics page as a file: the same figures, one line each (see perfmgmt/exports.py).

Offered on the Exports page and linked from the analytics page with its choices; audited
as "export.analytics" like every export. The rows are the page's tables, read through the
same scope, so a figure held back on the page is held back in the file.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from perfmgmt.exports import Export, register
from perfmgmt.tenancy.models import Team
from perfmgmt.tenancy.policies import Actor

from .forms import AnalyticsForm
from .policies import can_view_analytics
from .selectors import analytics_scope, metric_figures, period_for

KEY = "analytics"


def analytics_rows(
    *, actor: Actor, months: int | None = None, team: Team | None = None
) -> Iterator[list[object]]:
    """Header, then one line per figure: metric, table, row, column, value."""
    scope = analytics_scope(actor=actor, team=team)
    period = period_for(scope, months)
    yield [_("Metric"), _("Table"), _("Row"), _("Column"), _("Value")]
    for found in metric_figures(scope=scope, period=period):
        for table in found.tables:
            for row in table.rows:
                for column, figure in zip(table.columns, row.figures, strict=True):
                    yield [str(found.metric.title), table.title, row.label, column, str(figure)]


register(
    Export(
        key=KEY,
        label=gettext_lazy("Analytics"),
        description=gettext_lazy(
            "The figures of the analytics page (coverage, completion, counts and ratings by "
            "month, cycle and team), one line per figure."
        ),
        form=AnalyticsForm,
        rows=analytics_rows,
        visible=can_view_analytics,
        order=90,
    )
)

"""A metric's chart: one bar per row of its table (server-side SVG, no JavaScript).

The same approach as the calibration charts (reviews): bars drawn from the figures the
table shows, a sentence for screen readers, and the table beside it always. A share is
drawn on 0..100 %, a count on 0..the largest count; a figure with no value has no bar.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from perfmgmt.web.bar_charts import BarChart, Frame

from .figures import Table

FRAME = Frame(width=360, height=150, left=34, bottom=22, top=8)  # left: room for "100%"
LABEL_CHARACTERS = 8
LABELS_SHOWN = 6  # more rows than this: every n-th row's label, so they do not overlap


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


def table_chart(table: Table) -> BarChart | None:
    """Bars of what the table says its chart draws; None for a table without a chart."""
    drawn = table.chart_figures()
    if not drawn:
        return None
    is_share = any(figure.unit == "%" for _short_label, _label, figure in drawn)
    values = [float(figure.value) for _s, _l, figure in drawn if figure.value is not None]
    scale = 100.0 if is_share else max([1.0, *values])
    every = -(-len(drawn) // LABELS_SHOWN)
    bars = [
        FRAME.bar(
            index,
            len(drawn),
            None if figure.value is None else float(figure.value),
            scale,
            label=_short(short) if index % every == 0 else "",
            title=f"{label}: {figure}",
        )
        for index, (short, label, figure) in enumerate(drawn)
    ]
    top = "100%" if is_share else str(int(scale))
    ticks = [(FRAME.y(0, scale), "0"), (FRAME.y(scale, scale), top)]
    summary = _("%(chart)s: %(parts)s.") % {
        "chart": table.chart_title,
        "parts": "; ".join(bar.title for bar in bars),
    }
    return FRAME.chart(bars, ticks, summary)

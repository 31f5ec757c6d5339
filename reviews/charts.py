"""Calibration's distribution charts, drawn as server-side SVG (no JavaScript library).

One bar per rating level: its share of the people (percent), a marker for HR's target
share when there is one. The chart is described in one sentence for screen readers and
the page gives the same figures as a table.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from perfmgmt.web.bar_charts import BarChart, Frame

from .selectors.calibration_figures import Distribution

FRAME = Frame(width=320, height=160, left=34, bottom=24, top=8)  # left: room for "100%"


def distribution_chart(found: Distribution) -> BarChart:
    """Bars of each level's share; the axis goes to the largest share or target, so small
    groups still read."""
    shares = [bar.percent for bar in found.bars] + [bar.target or 0 for bar in found.bars]
    scale = max(25, *shares) if shares else 100
    bars = []
    for index, bar in enumerate(found.bars):
        title = _("%(level)s: %(count)s people, %(percent)s%%") % {
            "level": bar.label,
            "count": bar.count,
            "percent": bar.percent,
        }
        if bar.target is not None:
            title += " " + _("(target %(target)s%%)") % {"target": bar.target}
        bars.append(
            FRAME.bar(
                index,
                len(found.bars),
                bar.percent,
                scale,
                label=bar.label,
                title=title,
                target=bar.target,
            )
        )
    ticks = [(FRAME.y(value, scale), f"{value}%") for value in (0, scale // 2, scale)]
    parts = [bar.title for bar in bars]
    summary = (
        _("Share of people by rating. %(parts)s.") % {"parts": "; ".join(parts)}
        if parts
        else _("No ratings yet.")
    )
    return FRAME.chart(bars, ticks, summary)

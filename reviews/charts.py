"""Calibration's distribution charts, drawn as server-side SVG (no JavaScript library).

One bar per rating level: its share of the people (percent), a marker for HR's target
share when there is one. The chart is described in one sentence for screen readers and
the page gives the same figures as a table.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .selectors.calibration_figures import Distribution

WIDTH = 320
HEIGHT = 160
LEFT = 34  # room for "100%"
BOTTOM = 24  # room for the level labels
TOP = 8


@dataclass(frozen=True)
class ChartBar:
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label: str
    title: str
    target_y: float | None


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    bottom: float
    right: int
    bars: list[ChartBar]
    ticks: list[tuple[float, str]]
    summary: str


def _y(percent: float, scale: float) -> float:
    plot = HEIGHT - BOTTOM - TOP
    return round(HEIGHT - BOTTOM - plot * percent / scale, 1)


def distribution_chart(found: Distribution) -> BarChart:
    """Bars of each level's share; the axis goes to the largest share or target, so small
    groups still read."""
    shares = [bar.percent for bar in found.bars] + [bar.target or 0 for bar in found.bars]
    scale = max(25, *shares) if shares else 100
    slot = (WIDTH - LEFT) / max(1, len(found.bars))
    bars = []
    for index, bar in enumerate(found.bars):
        x = LEFT + index * slot + slot * 0.15
        y = _y(bar.percent, scale)
        title = _("%(level)s: %(count)s people, %(percent)s%%") % {
            "level": bar.label,
            "count": bar.count,
            "percent": bar.percent,
        }
        if bar.target is not None:
            title += " " + _("(target %(target)s%%)") % {"target": bar.target}
        bars.append(
            ChartBar(
                x=round(x, 1),
                y=y,
                width=round(slot * 0.7, 1),
                height=round(HEIGHT - BOTTOM - y, 1),
                label_x=round(x + slot * 0.35, 1),
                label=bar.label,
                title=title,
                target_y=None if bar.target is None else _y(bar.target, scale),
            )
        )
    ticks = [(_y(value, scale), f"{value}%") for value in (0, scale // 2, scale)]
    parts = [bar.title for bar in bars]
    summary = (
        _("Share of people by rating. %(parts)s.") % {"parts": "; ".join(parts)}
        if parts
        else _("No ratings yet.")
    )
    return BarChart(WIDTH, HEIGHT, LEFT, HEIGHT - BOTTOM, WIDTH, bars, ticks, summary)

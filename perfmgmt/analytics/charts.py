"""A metric's chart: one bar per row of its table (server-side SVG, no JavaScript).

The same approach as the calibration charts (reviews): bars drawn from the figures the
table shows, a sentence for screen readers, and the table beside it always. A share is
drawn on 0..100 %, a count on 0..the largest count; a figure with no value has no bar.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .figures import Table

WIDTH = 360
HEIGHT = 150
LEFT = 34  # room for "100%"
BOTTOM = 22  # room for the row labels
TOP = 8
LABEL_CHARACTERS = 8
LABELS_SHOWN = 6  # more rows than this: every n-th row's label, so they do not overlap


@dataclass(frozen=True)
class ChartBar:
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label: str
    title: str


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


def _y(value: float, scale: float) -> float:
    plot = HEIGHT - BOTTOM - TOP
    return round(HEIGHT - BOTTOM - plot * value / scale, 1)


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
    slot = (WIDTH - LEFT) / len(drawn)
    every = -(-len(drawn) // LABELS_SHOWN)
    bars = []
    for index, (short, label, figure) in enumerate(drawn):
        x = LEFT + index * slot + slot * 0.15
        y = _y(float(figure.value or 0), scale)
        bars.append(
            ChartBar(
                x=round(x, 1),
                y=y,
                width=round(slot * 0.7, 1),
                height=round(HEIGHT - BOTTOM - y, 1) if figure.value is not None else 0,
                label_x=round(x + slot * 0.35, 1),
                label=_short(short) if index % every == 0 else "",
                title=f"{label}: {figure}",
            )
        )
    top = "100%" if is_share else str(int(scale))
    ticks = [(_y(0, scale), "0"), (_y(scale, scale), top)]
    summary = _("%(chart)s: %(parts)s.") % {
        "chart": table.chart_title,
        "parts": "; ".join(bar.title for bar in bars),
    }
    return BarChart(WIDTH, HEIGHT, LEFT, HEIGHT - BOTTOM, WIDTH, bars, ticks, summary)

"""Bar charts drawn as server-side SVG (no JavaScript library): the geometry every bar
chart of the product shares (calibration's distributions, the analytics page's metrics).

A chart is a frame (`Frame`: its size and the room left for the axis labels) and a bar per
slot, drawn against a scale (the value the top of the plot stands for). What a bar means,
its label and the sentence that describes the chart to a screen reader are the caller's;
the page always gives the same figures as a table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChartBar:
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label: str
    title: str
    target_y: float | None = None  # a marker across the bar (a target share), if any


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


@dataclass(frozen=True)
class Frame:
    width: int
    height: int
    left: int  # room for the axis' labels ("100%")
    bottom: int  # room for the bars' labels
    top: int

    def y(self, value: float, scale: float) -> float:
        """Where `value` is drawn when the top of the plot stands for `scale`."""
        plot = self.height - self.bottom - self.top
        return round(self.height - self.bottom - plot * value / scale, 1)

    def bar(
        self,
        index: int,
        slots: int,
        value: float | None,
        scale: float,
        *,
        label: str,
        title: str,
        target: float | None = None,
    ) -> ChartBar:
        """The bar of slot `index` of `slots`: 70% of its slot, centred; no height for a
        missing value (`None`)."""
        slot = (self.width - self.left) / max(1, slots)
        x = self.left + index * slot + slot * 0.15
        y = self.y(value or 0, scale)
        return ChartBar(
            x=round(x, 1),
            y=y,
            width=round(slot * 0.7, 1),
            height=round(self.height - self.bottom - y, 1) if value is not None else 0,
            label_x=round(x + slot * 0.35, 1),
            label=label,
            title=title,
            target_y=None if target is None else self.y(target, scale),
        )

    def chart(self, bars: list[ChartBar], ticks: list[tuple[float, str]], summary: str) -> BarChart:
        return BarChart(
            self.width,
            self.height,
            self.left,
            self.height - self.bottom,
            self.width,
            bars,
            ticks,
            summary,
        )

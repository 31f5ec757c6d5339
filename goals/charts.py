"""The goal page's history chart, drawn as server-side SVG (no JavaScript library).

Progress (0 to 100 %) over time: the x axis runs from the goal's start to its due date (or
its last update) with dated ticks, the target is a line at 100 % up to the due date, and
every update is a point. For a goal with a measure the line starts at its start value (0 %
by definition) on its start date. Every date is in the organization's time zone; the same
figures are given as a table for screen readers and for anyone who prefers reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from perfmgmt.localization import format_day

from .models import Goal, GoalUpdate

WIDTH = 480
HEIGHT = 210
LEFT = 44  # room for "100%"
RIGHT = 12
TOP = 22  # room for the target's label
BOTTOM = 36  # room for the dates
TICKS = 4  # dated ticks after the first


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    percent: int
    label: str  # date and figure, for the point's tooltip


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class TableRow:
    when: str
    percent: int
    value: str
    confidence: str
    author: str


@dataclass(frozen=True)
class GoalChart:
    points: list[ChartPoint]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    target_y: float
    target_end: float
    target_label: str
    summary: str
    rows: list[TableRow]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM

    @property
    def polyline(self) -> str:
        return " ".join(f"{point.x},{point.y}" for point in self.points)


def _local(moment: datetime, zone: tzinfo) -> datetime:
    return timezone.localtime(moment, zone)


def _day_label(day: date, with_year: bool) -> str:
    return format_day(day) if with_year else formats.date_format(day, "MONTH_DAY_FORMAT")


def _amount(value: str, unit: str) -> str:
    return f"{value} {unit}" if unit else value


class _Scale:
    """Days since the first day of the chart -> x; progress 0..1 -> y."""

    def __init__(self, first: date, last: date, zone: tzinfo) -> None:
        self.first = datetime.combine(first, time.min, tzinfo=zone)
        end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
        self.span = (end - self.first).total_seconds()
        self.inner_width = WIDTH - LEFT - RIGHT
        self.inner_height = HEIGHT - TOP - BOTTOM

    def x(self, moment: datetime) -> float:
        offset = (moment - self.first).total_seconds() / self.span
        return round(LEFT + min(1.0, max(0.0, offset)) * self.inner_width, 1)

    def y(self, share: float) -> float:
        return round(TOP + (1 - min(1.0, max(0.0, share))) * self.inner_height, 1)


def _x_ticks(scale: _Scale, first: date, last: date, zone: tzinfo) -> list[Tick]:
    days = (last - first).days
    with_year = first.year != last.year
    ticks: list[Tick] = []
    seen: set[date] = set()
    for step in range(TICKS + 1):
        day = first + timedelta(days=round(days * step / TICKS))
        if day in seen:
            continue
        seen.add(day)
        moment = datetime.combine(day, time(12), tzinfo=zone)
        position = LEFT if step == 0 else scale.x(moment)
        ticks.append(Tick(position, _day_label(day, with_year or step == 0)))
    return ticks


def _rows(goal: Goal, history: Sequence[GoalUpdate], zone: tzinfo) -> list[TableRow]:
    rows = [
        TableRow(
            when=formats.date_format(_local(update.created_at, zone), "DATETIME_FORMAT"),
            percent=update.progress_percent,
            value=_amount(update.value_display, goal.unit) if update.value is not None else "",
            confidence=update.get_confidence_display(),
            author=update.author.display_name if update.author else "",
        )
        for update in history
    ]
    return list(reversed(rows))  # newest first, like the history list


def goal_chart(goal: Goal, history: Sequence[GoalUpdate], *, zone: tzinfo) -> GoalChart | None:
    """The chart of a goal's updates (oldest first), or None before its first update."""
    if not history:
        return None
    moments = [_local(update.created_at, zone) for update in history]
    created = _local(goal.created_at, zone).date()
    first = min(goal.start_date or created, moments[0].date())
    last = max(goal.due_date or moments[-1].date(), moments[-1].date())
    scale = _Scale(first, last, zone)
    with_year = first.year != last.year
    points = []
    start = goal.start_date
    if goal.has_measure and start is not None and start <= moments[0].date():
        # On its start date a measure is at its start value: 0 % by definition.
        start_label = _("%(day)s: start, %(value)s (0%%)") % {
            "day": _day_label(start, True),
            "value": _amount(goal.start_display, goal.unit),
        }
        at = scale.x(datetime.combine(start, time.min, tzinfo=zone))
        points.append(ChartPoint(at, scale.y(0), 0, start_label))
    for update, moment in zip(history, moments, strict=True):
        day = _day_label(moment.date(), True)
        points.append(
            ChartPoint(
                scale.x(moment),
                scale.y(float(update.progress)),
                update.progress_percent,
                _("%(day)s: %(percent)s%%") % {"day": day, "percent": update.progress_percent},
            )
        )
    due_end = (
        scale.x(datetime.combine(goal.due_date, time.max, tzinfo=zone))
        if goal.due_date
        else float(WIDTH - RIGHT)
    )
    target = _amount(goal.target_display, goal.unit) if goal.has_measure else _("100%")
    if goal.due_date:
        target_label = _("Target: %(target)s by %(day)s") % {
            "target": target,
            "day": _day_label(goal.due_date, with_year),
        }
    else:
        target_label = _("Target: %(target)s") % {"target": target}
    latest = history[-1]
    summary = ngettext(
        "Progress over time, from %(first)s to %(last)s: %(count)s update, on "
        "%(latest_day)s, at %(latest)s%%. %(target)s.",
        "Progress over time, from %(first)s to %(last)s: %(count)s updates, the latest on "
        "%(latest_day)s at %(latest)s%%. %(target)s.",
        len(history),
    ) % {
        "first": _day_label(first, True),
        "last": _day_label(last, True),
        "count": len(history),
        "latest_day": _day_label(moments[-1].date(), True),
        "latest": latest.progress_percent,
        "target": target_label,
    }
    return GoalChart(
        points=points,
        x_ticks=_x_ticks(scale, first, last, zone),
        y_ticks=[Tick(scale.y(share), f"{round(share * 100)}%") for share in (0, 0.5, 1)],
        target_y=scale.y(1),
        target_end=due_end,
        target_label=target_label,
        summary=summary,
        rows=_rows(goal, history, zone),
    )

"""Check-in periods: pure date arithmetic, in the organization's time zone.

A cadence cuts time into periods (weekly: Monday to Sunday; every two weeks: fortnights
counted from BIWEEKLY_ANCHOR; monthly: calendar months). A check-in is due on the cadence's
weekday in the last week of its period (monthly: the last such weekday of the month).

The rule when the cadence changes mid-period: a check-in that exists keeps its dates. The
current check-in is the one whose stored period covers today; only when none does is a new
one started, and it begins the day after the person's latest check-in ended (never
overlapping it) and ends where the new cadence's period ends. So a change neither
duplicates the current check-in nor leaves a day uncovered.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from .models import BIWEEKLY_ANCHOR, Frequency, default_questions


class CadenceLike(Protocol):
    frequency: str
    due_weekday: int
    questions: list[str]
    remind_again_after_days: int


@dataclass(frozen=True)
class BuiltInCadence:
    """What applies when HR has not configured anything."""

    frequency: str = Frequency.WEEKLY
    due_weekday: int = 4
    remind_again_after_days: int = 2

    @property
    def questions(self) -> list[str]:
        """In the language of whoever reads or starts the check-in."""
        return default_questions()


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    due_on: date


def cadence_bounds(frequency: str, day: date) -> tuple[date, date]:
    """The first and last day of the cadence's period that contains `day`."""
    if frequency == Frequency.MONTHLY:
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    monday = day - timedelta(days=day.weekday())
    if frequency == Frequency.BIWEEKLY:
        fortnights = (monday - BIWEEKLY_ANCHOR).days // 14
        start = BIWEEKLY_ANCHOR + timedelta(days=14 * fortnights)
        return start, start + timedelta(days=13)
    return monday, monday + timedelta(days=6)


def due_date(start: date, end: date, due_weekday: int) -> date:
    """The last `due_weekday` on or before `end`; the end itself if the period is shorter."""
    due = end - timedelta(days=(end.weekday() - due_weekday) % 7)
    return due if due >= start else end


def period_for(cadence: CadenceLike, day: date, latest_end: date | None = None) -> Period:
    """The period a new check-in started on `day` covers (see the module docstring)."""
    start, end = cadence_bounds(cadence.frequency, day)
    if latest_end is not None and latest_end >= start:
        start = latest_end + timedelta(days=1)
    if start > day:  # cannot happen when the caller found no check-in covering `day`
        start = day
    return Period(start, end, due_date(start, end, cadence.due_weekday))

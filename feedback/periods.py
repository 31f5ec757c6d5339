"""Check-in periods: pure date arithmetic, in the organization's time zone.

A cadence cuts time into periods (weekly: Monday to Sunday; every two weeks: fortnights
counted from BIWEEKLY_ANCHOR; monthly: calendar months). A check-in is due on the cadence's
weekday in the last week of its period (monthly: the last such weekday of the month).

The rule when the cadence changes mid-period: a check-in that exists keeps its dates. The
current check-in is the one whose stored period covers today; only when none does is a new
one started, and it begins the day after the person's latest check-in ended (never
overlapping it) and ends where the new cadence's period ends. So a change neither
duplicates the current check-in nor leaves a day uncovered.

A change of the frequency or the weekday takes effect at the next period boundary: until the
period that contains the day of the change ends, the periods (and due dates) stay those of
the cadence that applied before (`CadenceOnDay.ends_on`); the new periods begin the day
after (`CadenceOnDay.starts_on`). So a change never creates a due date in the past.

A person's periods begin no earlier than their first day (`first_day`: the later of their
start date and the day they joined). They are reminded from their first whole period on
(`first_reminded_day`): a period that began before they joined or started is not theirs.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
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
class CadenceOnDay:
    """The cadence that applies on one day, with the limits of its periods.

    `configured`: HR has set it up, so people are reminded. `starts_on` / `ends_on`: the
    first and last day this cadence's periods may cover (a change of cadence before or
    after); None when unbounded.
    """

    frequency: str
    due_weekday: int
    questions: tuple[str, ...]
    remind_again_after_days: int
    configured: bool
    starts_on: date | None = None
    ends_on: date | None = None


class CadenceRow(Protocol):
    """What the resolution below reads of a `CheckInCadence` row."""

    frequency: str
    due_weekday: int
    questions: list[str]
    remind_again_after_days: int
    applies_from: date | None
    previous_frequency: str
    previous_due_weekday: int | None
    follows_organization: bool


def unconfigured(built_in: BuiltInCadence) -> CadenceOnDay:
    return CadenceOnDay(
        frequency=built_in.frequency,
        due_weekday=built_in.due_weekday,
        questions=tuple(built_in.questions),
        remind_again_after_days=built_in.remind_again_after_days,
        configured=False,
    )


def cadence_on(row: CadenceRow | None, day: date, fallback: CadenceOnDay) -> CadenceOnDay:
    """What `row` says applies on `day`; `fallback` is what applies without it (the
    organization's cadence for a team's row, the built-in one for the organization's)."""
    if row is None:
        return fallback
    starts = row.applies_from
    follows = row.follows_organization
    questions = fallback.questions if follows else tuple(row.questions)
    remind = fallback.remind_again_after_days if follows else row.remind_again_after_days
    if starts is not None and day < starts:
        return CadenceOnDay(
            frequency=row.previous_frequency or fallback.frequency,
            due_weekday=(
                row.previous_due_weekday
                if row.previous_frequency and row.previous_due_weekday is not None
                else fallback.due_weekday
            ),
            questions=questions,
            remind_again_after_days=remind,
            configured=bool(row.previous_frequency),
            ends_on=starts - timedelta(days=1),
        )
    if follows:
        assert starts is not None  # a row following the organization has a start
        return replace(fallback, starts_on=max(fallback.starts_on or starts, starts))
    return CadenceOnDay(
        frequency=row.frequency,
        due_weekday=row.due_weekday,
        questions=questions,
        remind_again_after_days=remind,
        configured=True,
        starts_on=starts,
    )


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


def cadence_period(cadence: CadenceLike | CadenceOnDay, day: date) -> tuple[date, date]:
    """The cadence's period containing `day`, cut at a change of cadence on either side."""
    start, end = cadence_bounds(cadence.frequency, day)
    starts_on = getattr(cadence, "starts_on", None)
    ends_on = getattr(cadence, "ends_on", None)
    if starts_on is not None and start < starts_on <= day:
        start = starts_on
    if ends_on is not None and end > ends_on >= day:
        end = ends_on
    return start, end


def period_for(
    cadence: CadenceLike | CadenceOnDay,
    day: date,
    latest_end: date | None = None,
    first_day: date | None = None,
) -> Period:
    """The period a new check-in started on `day` covers (see the module docstring).

    A person's first check-in (no `latest_end`) begins no earlier than their `first_day`.
    """
    start, end = cadence_period(cadence, day)
    if latest_end is None and first_day is not None and start < first_day <= day:
        start = first_day
    if latest_end is not None and latest_end >= start:
        start = latest_end + timedelta(days=1)
    if start > day:  # cannot happen when the caller found no check-in covering `day`
        start = day
    return Period(start, end, due_date(start, end, cadence.due_weekday))


def first_reminded_day(cadence_then: CadenceOnDay, first_day: date) -> date:
    """The first day of the person's first whole period: their first day when a period
    begins on it, else the day after the period they joined in ends."""
    start, end = cadence_period(cadence_then, first_day)
    return first_day if start == first_day else end + timedelta(days=1)

"""Cycles that have ended, their retrospectives and answers, for the retrospective tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.utils import timezone

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from reviews.models import PhaseKind, Retrospective, ReviewCycle
from reviews.retrospective_questions import QUESTION_KEYS
from reviews.services.retrospectives import retrospective_answer, retrospective_open
from tests.conftest import OrgPeople
from tests.reviews.factories import running_cycle

DAY = timedelta(days=1)


def ended_phases(now: datetime | None = None) -> dict[str, tuple[datetime, datetime]]:
    """Every phase over; the last (acknowledgement) closed an hour before `now`."""
    now = now or timezone.now()
    return {
        PhaseKind.SELF: (now - 60 * DAY, now - 45 * DAY),
        PhaseKind.MANAGER: (now - 50 * DAY, now - 30 * DAY),
        PhaseKind.RELEASE: (now - 30 * DAY, now - 20 * DAY),
        PhaseKind.ACKNOWLEDGEMENT: (now - 30 * DAY, now - timedelta(hours=1)),
    }


def ended_cycle(
    org: OrgPeople, people: Sequence[Membership], *, name: str = "2026 mid-year"
) -> ReviewCycle:
    return running_cycle(org, people, name=name, phases=ended_phases())


def open_retrospective(org: OrgPeople, cycle: ReviewCycle, days: int = 14) -> Retrospective:
    with organization_scope(org.organization):
        return retrospective_open(actor=org.hr, cycle=cycle, days=days)


def scores(*values: int) -> dict[str, int]:
    values = values or (4, 4, 4, 4)
    return dict(zip(QUESTION_KEYS, values, strict=True))


def answer(
    org: OrgPeople,
    person: Membership,
    retrospective: Retrospective,
    values: Sequence[int] = (4, 4, 4, 4),
    comment: str = "",
) -> None:
    with organization_scope(org.organization):
        retrospective_answer(
            actor=person, retrospective=retrospective, scores=scores(*values), comment=comment
        )


def team_cycle(org: OrgPeople, *, name: str = "2026 mid-year") -> ReviewCycle:
    """An ended cycle of the manager's two reports and the colleague: with the manager (who
    writes two manager reviews) and the owner (the colleague's manager), five are asked."""
    return ended_cycle(org, [org.report, org.report2, org.colleague], name=name)

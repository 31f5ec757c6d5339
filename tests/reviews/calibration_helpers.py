"""Cycles in their calibration phase, with written reviews, for the calibration tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from reviews.models import (
    CalibrationSession,
    PhaseKind,
    ReviewAnswer,
    ReviewCycle,
    ReviewerKind,
    SessionGroup,
)
from reviews.selectors.calibration import potential_choices
from reviews.services.calibration import SessionInput, session_open
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory
from tests.reviews.release_helpers import questions, written_cycle

DAY = timedelta(days=1)
OVERALL = "How did the period go overall?"


def calibration_phases(now: datetime | None = None) -> dict[str, tuple[datetime, datetime]]:
    """Self and manager phases over; calibration, release and acknowledgement open."""
    now = now or timezone.now()
    return {
        PhaseKind.SELF: (now - 40 * DAY, now - 20 * DAY),
        PhaseKind.MANAGER: (now - 30 * DAY, now - 2 * DAY),
        PhaseKind.CALIBRATION: (now - 2 * DAY, now + 5 * DAY),
        PhaseKind.RELEASE: (now - DAY, now + 10 * DAY),
        PhaseKind.ACKNOWLEDGEMENT: (now - DAY, now + 20 * DAY),
    }


def calibration_cycle(
    org: OrgPeople, people: Sequence[Membership], *, name: str = "2026 annual"
) -> ReviewCycle:
    """Self and manager overall 4, potential 5 for everyone (change with `set_rating`)."""
    return written_cycle(org, people, phases=calibration_phases(), name=name)


def set_rating(
    cycle: ReviewCycle, person: Membership, kind: str, value: str, prompt: str = OVERALL
):
    with organization_scope(cycle.organization):
        participant = cycle.participants.get(reviewee=person)
        question = questions(participant)[prompt]
        ReviewAnswer.objects.filter(
            review__participant=participant,
            review__kind=kind,
            question_id=question["id"],
        ).update(rating=Decimal(value))


def second_team(org: OrgPeople, size: int = 1) -> tuple[Membership, list[Membership]]:
    """Another manager (reporting to the owner) with `size` reports."""
    manager = MembershipFactory.create(
        organization=org.organization, manager=org.owner, team=org.manager.team
    )
    reports = [
        MembershipFactory.create(organization=org.organization, manager=manager, team=None)
        for _ in range(size)
    ]
    return manager, reports


def open_session(
    org: OrgPeople,
    cycle: ReviewCycle,
    *,
    managers: Sequence[Membership] = (),
    name: str = "Engineering calibration",
    group: str = SessionGroup.ORGANIZATION,
    **extra,
) -> CalibrationSession:
    with organization_scope(org.organization):
        potential = potential_choices(cycle=cycle)
        return session_open(
            actor=org.hr,
            cycle=cycle,
            data=SessionInput(
                name=name,
                group=group,
                managers=list(managers),
                potential_question_id=potential[0][0] if potential else None,
                **extra,
            ),
        )


__all__ = ["ReviewerKind", "calibration_cycle", "open_session", "second_team", "set_rating"]

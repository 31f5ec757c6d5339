"""A small organization in UTC+2 with known check-ins, 1:1s, goals, feedback and reviews
across months (and rows of another organization in the same months), whose figures the
tests compute by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from goals.models import Goal, GoalStatus, OwnerKind
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, MembershipStatus, Team
from reviews.models import Participant, ReviewCycle, ReviewerKind
from tests.analytics.factories import (
    checkin_at,
    feedback_at,
    goal_due,
    meeting_at,
)
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory, TeamFactory
from tests.reviews.factories import running_cycle
from tests.reviews.release_helpers import submit

# Mid-June 2026: the last twelve months are July 2025 to June 2026.
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)
LONG_AGO = datetime(2025, 1, 1, tzinfo=UTC)
OVERALL = "How did the period go overall?"


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@dataclass
class World:
    org: OrgPeople
    platform: Team
    sales: Team
    engineering: Team
    newcomer: Membership
    leaver: Membership
    cycle: ReviewCycle


def _people(org: OrgPeople) -> tuple[Team, Team, Team, Membership, Membership]:
    """Engineering (everyone) with Platform below it (Ravi), Sales apart (Cora); a newcomer
    who starts in May and someone who left in March, both below the manager."""
    organization = org.organization
    organization.time_zone = "Africa/Johannesburg"  # UTC+2 all year
    organization.save()
    with organization_scope(organization):
        engineering = Team.objects.get(name="Engineering")
    platform = TeamFactory.create(organization=organization, name="Platform", parent=engineering)
    sales = TeamFactory.create(organization=organization, name="Sales")
    newcomer = MembershipFactory.create(
        organization=organization,
        manager=org.manager,
        team=engineering,
        start_date=date(2026, 5, 1),
    )
    leaver = MembershipFactory.create(
        organization=organization,
        manager=org.manager,
        team=engineering,
        status=MembershipStatus.LEFT,
        deactivated_at=utc(2026, 3, 15, 10),
    )
    with organization_scope(organization):
        Membership.objects.filter(pk=org.report2.pk).update(team=platform)
        Membership.objects.filter(pk=org.colleague.pk).update(team=sales)
        Membership.objects.update(created_at=LONG_AGO)
    for person in (org.report2, org.colleague):
        person.refresh_from_db()
    return engineering, platform, sales, newcomer, leaver


def _activity(org: OrgPeople, newcomer: Membership, leaver: Membership) -> None:
    checkin_at(org.report, utc(2026, 4, 30, 23, 30))  # 1 May, 01:30 local: May
    checkin_at(org.report, utc(2026, 5, 20, 9))  # a second one in May counts once
    checkin_at(org.report2, utc(2026, 4, 30, 21, 30))  # 30 April, 23:30 local: April
    checkin_at(org.manager, utc(2026, 5, 10, 8))
    checkin_at(leaver, utc(2026, 3, 10, 8))
    checkin_at(org.report, utc(2026, 3, 3, 8), draft=True)
    meeting_at(org.manager, org.report, utc(2026, 5, 31, 22, 30))  # 1 June local
    meeting_at(org.manager, org.report2, utc(2026, 5, 12, 9), done=False)
    meeting_at(org.owner, org.manager, utc(2026, 5, 15, 9))
    goal_due(org.report, date(2026, 5, 31), GoalStatus.COMPLETED)
    goal_due(org.report, date(2026, 5, 10), progress="1")
    goal_due(org.report2, date(2026, 5, 20), progress="0.5")
    goal_due(org.report, date(2026, 5, 5), GoalStatus.CANCELLED)
    goal_due(org.colleague, date(2026, 5, 15), GoalStatus.MISSED, progress="1")
    goal_due(org.report, date(2026, 5, 12), GoalStatus.DRAFT)
    goal_due(org.report, date(2026, 6, 1))
    with organization_scope(org.organization):
        Goal.objects.create(
            owner_kind=OwnerKind.TEAM,
            owner_team=org.report.team,
            title="The team's",
            due_date=date(2026, 5, 20),
            status=GoalStatus.COMPLETED,
        )
    feedback_at(org.colleague, org.report, utc(2026, 5, 3, 9))
    feedback_at(org.report, org.report2, utc(2026, 5, 4, 9))
    feedback_at(org.report, org.colleague, utc(2026, 4, 30, 23, 30))  # May local
    feedback_at(org.hr, org.manager, utc(2026, 4, 10, 9))


# (self, manager) overall ratings; None: not submitted.
RATINGS = {
    "report": ("3", "4"),
    "report2": ("4", "4"),
    "manager": ("5", "3"),
    "newcomer": ("2", None),
    "hr": ("3", "5"),
    "colleague": (None, "2"),
    "seller1": ("2", "2"),
    "seller2": ("4", "3"),
}


def _cycle(org: OrgPeople, people: dict[str, Membership]) -> ReviewCycle:
    cycle = running_cycle(org, list(people.values()))
    with organization_scope(org.organization):
        for key, person in people.items():
            participant = Participant.objects.get(cycle=cycle, reviewee=person)
            kinds = (ReviewerKind.SELF, ReviewerKind.MANAGER)
            for kind, rating in zip(kinds, RATINGS[key], strict=True):
                if rating is not None:
                    submit(participant.reviews.get(kind=kind), {OVERALL: rating})
    return cycle


def _other_organization(other: OrgPeople) -> None:
    """Rows of another organization in the same months: never counted."""
    with organization_scope(other.organization):
        Membership.objects.update(created_at=LONG_AGO)
    checkin_at(other.report, utc(2026, 5, 10, 8))
    meeting_at(other.manager, other.report, utc(2026, 5, 10, 8))
    goal_due(other.report, date(2026, 5, 10), GoalStatus.COMPLETED)
    feedback_at(other.report, other.colleague, utc(2026, 5, 10, 8))
    _cycle(other, {"report": other.report})


@pytest.fixture
def world(org: OrgPeople, other_org: OrgPeople, clock: None) -> World:
    engineering, platform, sales, newcomer, leaver = _people(org)
    _activity(org, newcomer, leaver)
    # Two people of Sales who joined this month (June only), reviewed with the others.
    sellers = [
        MembershipFactory.create(organization=org.organization, manager=org.colleague, team=sales)
        for _ in range(2)
    ]
    reviewed = {
        "report": org.report,
        "report2": org.report2,
        "manager": org.manager,
        "newcomer": newcomer,
        "hr": org.hr,
        "colleague": org.colleague,
        "seller1": sellers[0],
        "seller2": sellers[1],
    }
    cycle = _cycle(org, reviewed)
    _other_organization(other_org)
    return World(org, platform, sales, engineering, newcomer, leaver, cycle)

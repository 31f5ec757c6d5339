"""The analytics figures, computed by hand for a small organization in UTC+2 and compared
with what the page's metrics give: months on the organization's clock, members counted in
the months they were members, a manager's line only, HR's team filter, small groups held
back, and another organization's rows never counted."""

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
    figures_for,
    goal_due,
    meeting_at,
)
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory, TeamFactory
from tests.reviews.factories import running_cycle
from tests.reviews.release_helpers import submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

LONG_AGO = datetime(2025, 1, 1, tzinfo=UTC)
OVERALL = "How did the period go overall?"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


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
            for kind, rating in zip((ReviewerKind.SELF, ReviewerKind.MANAGER), RATINGS[key]):
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


def _month(figures: dict, table: str, month: str) -> tuple[str, ...]:
    return tuple(value for (key, row, _c), value in figures.items() if key == table and row == month)


def test_check_in_coverage_counts_members_of_each_month_by_the_local_day(world: World) -> None:
    figures = figures_for(world.org.hr)

    assert _month(figures, "checkins", "March 2026") == ("7", "1", "14%")
    assert _month(figures, "checkins", "April 2026") == ("6", "1", "17%")
    assert _month(figures, "checkins", "May 2026") == ("7", "2", "29%")
    assert _month(figures, "checkins", "June 2026") == ("9", "0", "0%")
    assert _month(figures, "checkins", "July 2025") == ("7", "0", "0%")  # with the leaver
    assert len([key for key in figures if key[0] == "checkins" and key[2] == "People"]) == 12


def test_a_manager_reads_only_the_figures_of_their_line(world: World) -> None:
    figures = figures_for(world.org.manager)

    assert _month(figures, "checkins", "March 2026") == ("3", "1", "33%")
    assert _month(figures, "checkins", "April 2026") == ("2", "1", "50%")
    assert _month(figures, "checkins", "May 2026") == ("3", "1", "33%")
    assert _month(figures, "one_on_ones", "May 2026") == ("3", "0", "0%")
    assert _month(figures, "one_on_ones", "June 2026") == ("3", "1", "33%")
    assert _month(figures, "goals", "May 2026") == ("3", "2", "67%")
    assert _month(figures, "reviews", "2026 annual") == ("3", "3", "100%", "3", "2", "67%")


def test_one_on_one_coverage_counts_held_meetings_of_people_with_a_manager(world: World) -> None:
    figures = figures_for(world.org.hr)

    assert _month(figures, "one_on_ones", "May 2026") == ("6", "1", "17%")
    assert _month(figures, "one_on_ones", "June 2026") == ("8", "2", "25%")
    assert _month(figures, "one_on_ones", "April 2026") == ("5", "0", "0%")


def test_goal_completion_counts_goals_due_each_month_and_those_completed(world: World) -> None:
    figures = figures_for(world.org.hr)

    assert _month(figures, "goals", "May 2026") == ("4", "2", "50%")
    assert _month(figures, "goals", "June 2026") == ("1", "0", "0%")
    assert _month(figures, "goals", "April 2026") == ("0", "0", "-")


def test_feedback_is_counted_for_the_scope_and_held_back_below_five_people(world: World) -> None:
    hr = figures_for(world.org.hr)
    manager = figures_for(world.org.manager)
    platform = figures_for(world.org.hr, team=world.platform)

    assert _month(hr, "feedback", "May 2026") == ("7", "3", "3")
    assert _month(hr, "feedback", "April 2026") == ("6", "1", "1")
    assert _month(manager, "feedback", "May 2026") == ("3", "-", "-")
    assert _month(platform, "feedback", "May 2026") == ("1", "-", "-")


def test_hr_narrows_to_a_team_and_every_team_below_it(world: World) -> None:
    engineering = figures_for(world.org.hr, team=world.engineering)
    platform = figures_for(world.org.hr, team=world.platform)

    assert _month(platform, "checkins", "April 2026") == ("1", "1", "100%")
    assert _month(platform, "checkins", "May 2026") == ("1", "0", "0%")
    assert _month(engineering, "checkins", "April 2026") == ("5", "1", "20%")
    assert _month(engineering, "checkins", "May 2026") == ("6", "2", "33%")
    # Cora (Sales) gave one to Rita and received one from her: neither side is counted.
    assert _month(engineering, "feedback", "May 2026") == ("6", "2", "2")


def test_review_completion_counts_invited_and_submitted_reviews(world: World) -> None:
    figures = figures_for(world.org.hr)

    assert _month(figures, "reviews", "2026 annual") == ("8", "7", "88%", "8", "7", "88%")
    assert len([key for key in figures if key[0] == "reviews"]) == 6  # not the other org's


def test_ratings_by_team_with_the_mean_gap_and_small_teams_held_back(world: World) -> None:
    figures = figures_for(world.org.hr)
    table = f"ratings-{world.cycle.pk}"

    # Engineering: 3, 4, 4, 5; gaps +1, 0, -2, +2 on a 1..5 scale: 1/4 / 4 people = 6.25.
    assert _month(figures, table, "Engineering") == ("4", "0%", "0%", "25%", "50%", "25%", "6.3")
    # Sales: 2, 2, 3; only two of them rated themselves: no mean gap.
    assert _month(figures, table, "Sales") == ("3", "0%", "67%", "33%", "0%", "0%", "-")
    assert _month(figures, table, "Everyone") == ("7", "0%", "29%", "29%", "29%", "14%", "0.0")

    below = figures_for(world.org.hr, team=world.engineering)
    # Directly in Engineering: Rita 4, Max 3, Hana 5; Platform holds Ravi alone.
    assert _month(below, table, "Engineering (directly)") == (
        "3", "0%", "0%", "33%", "33%", "33%", "8.3",
    )
    assert _month(below, table, "Platform") == ("-",) * 7
    # The total would give Ravi's rating away by subtraction.
    assert _month(below, table, "Everyone") == ("-",) * 7


def test_a_manager_reads_ratings_of_released_reviews_of_their_line_only(world: World) -> None:
    table = f"ratings-{world.cycle.pk}"
    assert not [key for key in figures_for(world.org.manager) if key[0] == table]

    with organization_scope(world.org.organization):
        Participant.objects.filter(cycle=world.cycle).update(released_at=utc(2026, 6, 1))
    figures = figures_for(world.org.manager)

    # Rita and Ravi (the newcomer was not rated): too few to show, and nobody else's.
    assert {key[1] for key in figures if key[0] == table} == {"Everyone", "Engineering"}
    assert set(_month(figures, table, "Engineering")) == {"-"}


def test_another_organization_reads_only_its_own_figures(world: World, other_org: OrgPeople) -> None:
    figures = figures_for(other_org.hr)

    assert _month(figures, "checkins", "May 2026") == ("6", "1", "17%")
    assert _month(figures, "goals", "May 2026") == ("1", "1", "100%")
    assert _month(figures, "feedback", "May 2026") == ("6", "1", "1")

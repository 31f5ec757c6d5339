"""The analytics figures, computed by hand for a small organization in UTC+2 (see
world.py) and compared with what the page's metrics give: months on the organization's
clock, members counted in the months they were members, a manager's line only, HR's team
filter, small groups held back, and another organization's rows never counted."""

from __future__ import annotations

import pytest

from perfmgmt.tenancy.context import organization_scope
from reviews.models import Participant
from tests.analytics.factories import figures_for
from tests.analytics.world import World, utc
from tests.conftest import OrgPeople

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def _month(figures: dict, table: str, month: str) -> tuple[str, ...]:
    return tuple(
        value for (key, row, _c), value in figures.items() if key == table and row == month
    )


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
    # Only as the report: the manager's 1:1 with their report on 1 June covers the report,
    # not the manager.
    assert _month(figures, "one_on_ones", "June 2026") == ("8", "1", "13%")
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
        "3",
        "0%",
        "0%",
        "33%",
        "33%",
        "33%",
        "8.3",
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


def test_another_organization_reads_only_its_own_figures(
    world: World, other_org: OrgPeople
) -> None:
    figures = figures_for(other_org.hr)

    assert _month(figures, "checkins", "May 2026") == ("6", "1", "17%")
    assert _month(figures, "goals", "May 2026") == ("1", "1", "100%")
    assert _month(figures, "feedback", "May 2026") == ("6", "1", "1")

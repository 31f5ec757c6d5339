"""Selectors other apps call (check-ins, 1:1s, reviews), and learning goals in lists."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from goals import selectors
from goals.models import GoalType
from perfmgmt.tenancy.context import organization_scope
from tests.conftest import OrgPeople

from .factories import GoalFactory, create_goal, post_update

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=ZoneInfo("UTC"))


def test_goals_at_risk_for_a_set_of_people(org: OrgPeople) -> None:
    risky = GoalFactory.create(
        organization=org.organization,
        owner_person=org.report,
        last_confidence="at_risk",
        last_update_at=NOW,
    )
    stale = GoalFactory.create(
        organization=org.organization,
        owner_person=org.report2,
        last_update_at=NOW - timedelta(days=20),
    )
    GoalFactory.create(
        organization=org.organization,
        owner_person=org.report,
        last_confidence="on_track",
        last_update_at=NOW,
    )
    GoalFactory.create(organization=org.organization, owner_person=org.colleague,
                       last_confidence="off_track", last_update_at=NOW)  # fmt: skip
    with organization_scope(org.organization):
        found = selectors.goals_at_risk_for(people=[org.report, org.report2.pk], now=NOW)
        assert {goal.pk for goal in found} == {risky.pk, stale.pk}


def test_goal_updates_a_person_posted_in_a_period(org: OrgPeople) -> None:
    goal = create_goal(org.report)
    with time_machine.travel(NOW - timedelta(days=10), tick=False):
        post_update(org.report, goal, value=Decimal("10"), comment="old")
    with time_machine.travel(NOW - timedelta(days=2), tick=False):
        post_update(org.report, goal, value=Decimal("20"), comment="recent")
        post_update(org.manager, goal, value=Decimal("25"), comment="by the manager")
    with organization_scope(org.organization):
        updates = selectors.goal_updates_by(person=org.report, since=NOW - timedelta(days=7))
        assert [u.comment for u in updates] == ["recent"]
        assert updates[0].goal.title == goal.title


def test_a_persons_goals_in_a_period_include_learning_goals(org: OrgPeople) -> None:
    learning = create_goal(
        org.report,
        goal_type=GoalType.LEARNING,
        milestones=["Course"],
        start_date=date(2026, 4, 1),
        due_date=date(2026, 6, 30),
    )
    create_goal(org.report, start_date=date(2026, 9, 1), due_date=date(2026, 12, 31))
    with organization_scope(org.organization):
        q2 = selectors.goals_of(person=org.report, period=selectors.period_bounds("2026-Q2"))
        assert [goal.pk for goal in q2] == [learning.pk]
        mine = selectors.my_goals(actor=org.report)
        assert learning.pk in {goal.pk for goal in mine}


@pytest.mark.parametrize(
    ("period", "bounds"),
    [
        ("2026", (date(2026, 1, 1), date(2026, 12, 31))),
        ("2026-Q4", (date(2026, 10, 1), date(2026, 12, 31))),
        ("2026-02", (date(2026, 2, 1), date(2026, 2, 28))),
    ],
)
def test_a_period_is_a_year_a_quarter_or_a_month(period: str, bounds: tuple[date, date]) -> None:
    assert selectors.period_bounds(period) == bounds


def test_the_home_page_summary_counts_goals_due_soon_stale_and_to_agree(org: OrgPeople) -> None:
    with time_machine.travel(NOW - timedelta(days=30), tick=False):
        create_goal(org.report, due_date=date(2026, 5, 10))
        proposed_by_manager = create_goal(org.manager, owner_person=org.report)
    with organization_scope(org.organization):
        report_view = selectors.whats_next_summary(actor=org.report, now=NOW)
        manager_view = selectors.whats_next_summary(actor=org.manager, now=NOW)
    assert report_view.due_soon == 1
    assert report_view.to_agree == 1  # the manager's proposal waits for the report
    assert manager_view.to_agree == 1  # the report's own proposal waits for the manager
    assert proposed_by_manager.proposed_by == org.manager

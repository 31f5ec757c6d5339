"""The goal-not-updated reminder: one per goal per period of N days without an update."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from goals import services
from goals.models import GoalStatus
from goals.reminders import goal_not_updated
from perfmgmt.notifications.models import Notification
from perfmgmt.notifications.sweep import run_sweep
from perfmgmt.tenancy.context import organization_scope
from tests.conftest import OrgPeople

from .factories import create_goal, post_update

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("UTC"))


def reminders(org: OrgPeople) -> list[Notification]:
    with organization_scope(org.organization):
        return list(Notification.objects.filter(kind="goal-not-updated").order_by("id"))


@pytest.fixture
def active_goal(org: OrgPeople):
    with time_machine.travel(START, tick=False):
        goal = create_goal(org.report)
        with organization_scope(org.organization):
            goal = services.goal_agree(actor=org.manager, goal=goal)
        return post_update(org.report, goal, value=Decimal("10"))


def test_the_owner_is_reminded_once_after_n_days_without_an_update(
    org: OrgPeople, active_goal
) -> None:
    with organization_scope(org.organization):
        assert goal_not_updated(org.organization, START + timedelta(days=13)) == 0
        assert goal_not_updated(org.organization, START + timedelta(days=14, hours=1)) == 1
        assert goal_not_updated(org.organization, START + timedelta(days=15)) == 0
    sent = reminders(org)
    assert [n.recipient_id for n in sent] == [org.report.pk]
    assert active_goal.title in sent[0].title
    assert f"/goals/{active_goal.pk}/" in sent[0].url


def test_another_period_without_an_update_sends_one_more(org: OrgPeople, active_goal) -> None:
    with organization_scope(org.organization):
        goal_not_updated(org.organization, START + timedelta(days=14, hours=1))
        assert goal_not_updated(org.organization, START + timedelta(days=28, hours=1)) == 1
    assert len(reminders(org)) == 2


def test_an_update_resets_the_clock(org: OrgPeople, active_goal) -> None:
    with time_machine.travel(START + timedelta(days=10), tick=False):
        post_update(org.report, active_goal, value=Decimal("20"))
    with organization_scope(org.organization):
        assert goal_not_updated(org.organization, START + timedelta(days=15)) == 0
        assert goal_not_updated(org.organization, START + timedelta(days=24, hours=1)) == 1


def test_the_organization_sets_n(org: OrgPeople, active_goal) -> None:
    with organization_scope(org.organization):
        services.goal_settings_update(
            actor=org.hr, organization=org.organization, stale_after_days=3
        )
    org.organization.refresh_from_db()
    with organization_scope(org.organization):
        assert goal_not_updated(org.organization, START + timedelta(days=3, hours=1)) == 1


def test_goals_that_are_not_active_are_not_reminded(org: OrgPeople, active_goal) -> None:
    with organization_scope(org.organization):
        services.goal_update(actor=org.report, goal=active_goal, status=GoalStatus.COMPLETED)
        assert goal_not_updated(org.organization, START + timedelta(days=30)) == 0


def test_the_sweep_runs_the_reminder_once_even_when_run_twice(org: OrgPeople, active_goal) -> None:
    later = START + timedelta(days=20)
    first = run_sweep(organization=org.organization, now=later)
    second = run_sweep(organization=org.organization, now=later)
    assert first["goal-not-updated"] == 1
    assert second["goal-not-updated"] == 0

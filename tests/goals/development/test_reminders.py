"""Development reminders: overdue actions and plans waiting for agreement, each sent once."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from goals.development import reminders, services
from goals.development.models import ActionStatus
from perfmgmt.notifications.models import Notification
from tests.conftest import OrgPeople

from .factories import make_plan

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T09:00").replace(tzinfo=BERLIN)


def test_an_overdue_action_reminds_its_owner_once(org: OrgPeople, scope: object) -> None:
    plan = make_plan(org)
    action = services.action_create(
        actor=org.report,
        plan=plan,
        kind="mentoring",
        title="Pair with Max",
        owner=org.manager,
        due_date=at("2026-03-01").date(),
    )
    services.action_create(
        actor=org.report,
        plan=plan,
        kind="reading",
        title="Finished book",
        due_date=at("2026-03-01").date(),
        status=ActionStatus.DONE,
    )
    organization = org.organization
    assert reminders.development_action_overdue(organization, at("2026-03-01")) == 0
    assert reminders.development_action_overdue(organization, at("2026-03-02")) == 1
    assert reminders.development_action_overdue(organization, at("2026-03-05")) == 0
    sent = Notification.objects.get(kind="development-action-overdue")
    assert sent.recipient == org.manager
    assert "Pair with Max" in sent.title

    services.action_update(actor=org.report, action=action, due_date=at("2026-04-01").date())
    assert reminders.development_action_overdue(organization, at("2026-04-02")) == 1


def test_a_plan_waiting_a_week_reminds_the_manager_once(org: OrgPeople, scope: object) -> None:
    plan = make_plan(org)
    with time_machine.travel(at("2026-02-01"), tick=False):
        services.plan_submit(actor=org.report, plan=plan)
    organization = org.organization
    assert reminders.development_plan_waiting(organization, at("2026-02-07")) == 0
    assert (
        reminders.development_plan_waiting(organization, at("2026-02-08") + timedelta(hours=1)) == 1
    )
    assert reminders.development_plan_waiting(organization, at("2026-02-20")) == 0
    assert Notification.objects.get(kind="development-plan-waiting").recipient == org.manager


def test_an_agreed_plan_sends_no_waiting_reminder(org: OrgPeople, scope: object) -> None:
    plan = make_plan(org)
    with time_machine.travel(at("2026-02-01"), tick=False):
        services.plan_submit(actor=org.report, plan=plan)
        services.plan_agree(actor=org.manager, plan=plan)
    assert reminders.development_plan_waiting(org.organization, at("2026-03-01")) == 0

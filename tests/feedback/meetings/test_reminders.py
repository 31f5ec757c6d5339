"""1:1 reminders: the day before a meeting, and overdue action items. Exactly once each."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine

from feedback.meetings import services
from perfmgmt.notifications.models import Notification
from perfmgmt.notifications.sweep import registered_reminders, run_sweep
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import MembershipStatus
from tests.conftest import OrgPeople

from .factories import make_action_item, make_meeting, make_series

pytestmark = pytest.mark.django_db


def local(org: OrgPeople, year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=org.organization.zone)


def sent(org: OrgPeople, kind: str) -> list[tuple[int, str]]:
    with organization_scope(org.organization):
        rows = Notification.objects.filter(kind=kind).order_by("recipient_id", "key")
        return list(rows.values_list("recipient_id", "key"))


def test_the_reminders_are_registered_with_the_sweep() -> None:
    assert {"one-on-one-prepare", "action-item-overdue"} <= set(registered_reminders())


def test_both_sides_hear_about_tomorrows_meeting_once(org: OrgPeople, other_org: OrgPeople) -> None:
    meeting = make_meeting(make_series(org.manager, org.report), when=local(org, 2026, 11, 24, 9))
    make_meeting(make_series(org.manager, org.report2), when=local(org, 2026, 11, 25, 9))

    evening = local(org, 2026, 11, 23, 23, 30)
    run_sweep(organization=org.organization, now=evening)
    run_sweep(organization=org.organization, now=evening + timedelta(minutes=15))

    key = f"one-on-one-prepare:{meeting.pk}:2026-11-24"
    assert sent(org, "one-on-one-prepare") == sorted([(org.manager.pk, key), (org.report.pk, key)])
    with organization_scope(other_org.organization):
        assert not Notification.objects.exists()


def test_a_meeting_moved_to_another_day_is_announced_again(org: OrgPeople) -> None:
    meeting = make_meeting(make_series(org.manager, org.report), when=local(org, 2026, 11, 24, 9))
    run_sweep(organization=org.organization, now=local(org, 2026, 11, 23, 8))
    # Moved on the 23rd (a meeting cannot be moved into a day that has passed).
    with organization_scope(org.organization), time_machine.travel(local(org, 2026, 11, 23, 8)):
        services.meeting_reschedule(
            actor=org.report, meeting=meeting, scheduled_for=local(org, 2026, 11, 26, 9)
        )
    run_sweep(organization=org.organization, now=local(org, 2026, 11, 25, 8))
    assert len(sent(org, "one-on-one-prepare")) == 4


def test_a_cancelled_meeting_sends_no_reminder(org: OrgPeople) -> None:
    meeting = make_meeting(make_series(org.manager, org.report), when=local(org, 2026, 11, 24, 9))
    with organization_scope(org.organization):
        services.meeting_cancel(actor=org.manager, meeting=meeting)
    run_sweep(organization=org.organization, now=local(org, 2026, 11, 23, 8))
    assert sent(org, "one-on-one-prepare") == []


def test_the_owner_of_an_overdue_action_item_is_told_once(org: OrgPeople) -> None:
    meeting = make_meeting(make_series(org.manager, org.report), when=local(org, 2026, 11, 2, 9))
    overdue = make_action_item(meeting, org.report, "Overdue", due_date=date(2026, 11, 20))
    make_action_item(meeting, org.report, "Due later", due_date=date(2026, 11, 30))
    done = make_action_item(meeting, org.manager, "Done", due_date=date(2026, 11, 10))
    with organization_scope(org.organization):
        services.action_item_update(actor=org.manager, item=done, done=True)

    for day in (21, 22, 23):
        run_sweep(organization=org.organization, now=local(org, 2026, 11, day, 9))

    assert sent(org, "action-item-overdue") == [
        (org.report.pk, f"action-item-overdue:{overdue.pk}:2026-11-20")
    ]


def test_someone_who_left_gets_no_reminder(org: OrgPeople) -> None:
    make_meeting(make_series(org.manager, org.report), when=local(org, 2026, 11, 24, 9))
    with organization_scope(org.organization):
        org.report.status = MembershipStatus.LEFT
        org.report.save(update_fields=["status"])
    run_sweep(organization=org.organization, now=local(org, 2026, 11, 23, 8))
    assert [recipient for recipient, _ in sent(org, "one-on-one-prepare")] == [org.manager.pk]

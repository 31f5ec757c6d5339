"""Calibration's notifications: the managers taking part are told when a session opens;
HR is reminded once a local day, while calibration closes soon, of sessions not locked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from perfmgmt.notifications.models import Notification
from perfmgmt.notifications.sweep import local_now, run_sweep
from perfmgmt.tenancy.models import MembershipStatus
from reviews.calibration_reminders import OPENED, UNLOCKED
from reviews.models import CyclePhase, PhaseKind, ReviewCycle, SessionGroup
from reviews.services import calibration as services
from tests.conftest import OrgPeople
from tests.reviews.calibration_helpers import calibration_cycle, open_session, second_team

pytestmark = pytest.mark.django_db

MANAGERS = ["Marta Nowak", "Sofia Russo"]  # the demo calibration session's managers


def _recipients(kind: str) -> list[int]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def test_the_managers_taking_part_are_told_once_when_a_session_opens(
    scope, org: OrgPeople, client_for
) -> None:
    other, (theirs,) = second_team(org)
    gone, _reports = second_team(org, size=0)
    gone.status = MembershipStatus.LEFT
    gone.save()
    cycle = calibration_cycle(org, [org.report, org.report2, theirs])
    session = open_session(
        org,
        cycle,
        name="Max's org",
        group=SessionGroup.MANAGER_ORG,
        leader=org.manager,
        managers=[org.manager, org.manager, gone],
    )
    assert _recipients(OPENED) == [org.manager.pk]  # not the other manager, HR nor who left
    note = Notification.objects.get(kind=OPENED)
    assert session.name in note.title
    assert cycle.name in note.body
    assert "reason" in note.body
    assert note.email_state == Notification.EmailState.PENDING
    assert client_for(org.manager).get(note.url).status_code == 200
    assert client_for(other).get(note.url).status_code == 404
    # Another session is another event; the same one is never announced twice.
    open_session(org, cycle, name="The rest", managers=[other])
    assert _recipients(OPENED) == sorted([org.manager.pk, other.pk])


def _unlocked_at(org: OrgPeople, moment: datetime) -> int | None:
    with time_machine.travel(moment, tick=False):
        return run_sweep(organization=org.organization, now=moment)[UNLOCKED]


def _next_local_midnight(org: OrgPeople, moment: datetime) -> datetime:
    local = local_now(org.organization, moment)
    return (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


def test_hr_is_reminded_once_a_local_day_of_sessions_not_locked_while_calibration_closes(
    scope, org: OrgPeople
) -> None:
    org.organization.time_zone = "Pacific/Auckland"  # local midnight is 11:00 UTC
    org.organization.save()
    cycle = calibration_cycle(org, [org.report, org.report2])
    first = open_session(
        org,
        cycle,
        name="Max's org",
        group=SessionGroup.MANAGER_ORG,
        leader=org.manager,
        managers=[org.manager],
    )
    closes = CyclePhase.objects.get(cycle=cycle, kind=PhaseKind.CALIBRATION).closes_at
    assert _unlocked_at(org, timezone.now()) == 0  # closes in five days; reminder days: 3
    midnight = _next_local_midnight(org, closes - timedelta(days=2))
    before, after = midnight - timedelta(hours=1), midnight + timedelta(hours=1)
    assert before.astimezone(UTC).date() == after.astimezone(UTC).date()
    assert _unlocked_at(org, before) == 2  # HR and the owner
    assert _unlocked_at(org, before + timedelta(minutes=30)) == 0
    assert _unlocked_at(org, after) == 2  # a new day in Auckland, the same one in UTC
    assert _unlocked_at(org, after + timedelta(hours=5)) == 0
    assert _recipients(UNLOCKED) == sorted([org.hr.pk, org.hr.pk, org.owner.pk, org.owner.pk])
    assert org.manager.pk not in _recipients(UNLOCKED)
    note = Notification.objects.filter(kind=UNLOCKED).first()
    assert note is not None
    assert first.name in note.body
    assert "1 calibration session" in note.title
    services.session_lock(actor=org.hr, session=first)
    assert not Notification.objects.filter(kind=UNLOCKED, resolved_at=None).exists()
    assert Notification.objects.get(kind=OPENED).resolved_by == org.hr
    assert _unlocked_at(org, after + timedelta(days=1)) == 0


def test_no_reminder_without_reminder_days_or_once_the_phase_has_closed(
    scope, org: OrgPeople
) -> None:
    cycle = calibration_cycle(org, [org.report])
    open_session(org, cycle, managers=[org.manager])
    closes = CyclePhase.objects.get(cycle=cycle, kind=PhaseKind.CALIBRATION).closes_at
    assert _unlocked_at(org, closes + timedelta(hours=1)) == 0
    ReviewCycle.objects.filter(pk=cycle.pk).update(remind_days_before_close=0)
    assert _unlocked_at(org, closes - timedelta(days=1)) == 0
    assert not Notification.objects.filter(kind=UNLOCKED).exists()


def test_the_demo_managers_are_told_of_their_calibration_session() -> None:
    from django.core.management import call_command

    from perfmgmt.tenancy.context import organization_scope
    from perfmgmt.tenancy.models import Organization

    call_command("seed_demo")
    call_command("seed_demo")
    demo = Organization.objects.get(slug="demo")
    with organization_scope(demo):
        notes = Notification.objects.filter(kind=OPENED).select_related("recipient")
        told = sorted(note.recipient.display_name for note in notes)
    assert told == sorted(MANAGERS)

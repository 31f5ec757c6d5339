from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from perfmgmt.notifications import sweep
from perfmgmt.notifications.models import Notification
from perfmgmt.notifications.tasks import sweep_all_organizations, sweep_organization
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Invitation, Organization
from perfmgmt.tenancy.services import invitation_accept, invitation_resend

from .conftest import days_ago, invite

pytestmark = pytest.mark.django_db


def notifications_of(organization: Organization) -> list[Notification]:
    with organization_scope(organization):
        return list(Notification.objects.select_related("recipient").order_by("pk"))


def test_the_sweep_tells_each_organization_only_about_its_own_invitations(org, other_org):
    acme_invitation = invite(org.hr, "new.acme@example.com", sent_at=days_ago(4))
    globex_invitation = invite(other_org.owner, "new.globex@example.com", sent_at=days_ago(5))

    sweep_organization.delay(org.organization.pk)

    acme = notifications_of(org.organization)
    assert [(n.recipient, n.key) for n in acme] == [
        (org.hr, f"invitation-pending:{acme_invitation.pk}")
    ]
    assert "new.acme@example.com" in acme[0].body
    assert notifications_of(other_org.organization) == []

    sweep_organization.delay(other_org.organization.pk)

    globex = notifications_of(other_org.organization)
    assert [(n.recipient, n.key) for n in globex] == [
        (other_org.owner, f"invitation-pending:{globex_invitation.pk}")
    ]
    assert len(notifications_of(org.organization)) == 1


def test_running_the_sweep_twice_creates_nothing_new(org, django_capture_on_commit_callbacks):
    invite(org.hr, "slow.joiner@example.com", sent_at=days_ago(4))

    with django_capture_on_commit_callbacks(execute=True):
        first = sweep_organization.delay(org.organization.pk).get()
    with django_capture_on_commit_callbacks(execute=True):
        second = sweep_organization.delay(org.organization.pk).get()

    assert first["invitation-pending"] == 1
    assert second["invitation-pending"] == 0
    assert len(notifications_of(org.organization)) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [org.hr.user.email]


def test_an_invitation_sent_less_than_three_days_ago_is_not_reminded_about(org):
    invite(org.hr, "fresh@example.com", sent_at=days_ago(2.9))

    sweep_organization.delay(org.organization.pk)

    assert notifications_of(org.organization) == []


def test_an_accepted_or_expired_invitation_is_not_reminded_about(org):
    accepted = invite(org.hr, "joined@example.com", sent_at=days_ago(5))
    invite(org.hr, "too.late@example.com", sent_at=days_ago(15))
    with organization_scope(org.organization):
        invitation_accept(invitation=accepted, user=accepted.membership.user, password="x" * 12)

    sweep_organization.delay(org.organization.pk)

    assert [n.kind for n in notifications_of(org.organization)] == ["welcome"]


def test_a_resent_invitation_restarts_the_three_days(org):
    old = invite(org.hr, "resent@example.com", sent_at=days_ago(6))
    with organization_scope(org.organization):
        fresh = invitation_resend(actor=org.owner, member=old.membership)

    sweep_organization.delay(org.organization.pk)
    assert notifications_of(org.organization) == []

    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=1)):
        sweep_organization.delay(org.organization.pk)

    assert [(n.recipient, n.key) for n in notifications_of(org.organization)] == [
        (org.owner, f"invitation-pending:{fresh.pk}")
    ]


def test_without_a_sender_every_hr_admin_and_owner_is_told(org):
    invitation = invite(org.hr, "from.the.hris@example.com", sent_at=days_ago(4), api=True)

    sweep_organization.delay(org.organization.pk)

    notified = {n.recipient for n in notifications_of(org.organization)}
    assert notified == {org.hr, org.owner}
    assert {n.key for n in notifications_of(org.organization)} == {
        f"invitation-pending:{invitation.pk}"
    }


def test_a_sender_who_has_left_is_replaced_by_hr(org):
    invite(org.hr, "orphan@example.com", sent_at=days_ago(4))
    org.hr.status = "left"
    org.hr.save()

    sweep_organization.delay(org.organization.pk)

    assert {n.recipient for n in notifications_of(org.organization)} == {org.owner}


def test_the_reminder_dates_are_in_the_organizations_time_zone(org, other_org):
    late_evening_utc = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # already 2 March in Berlin
    other_org.organization.time_zone = "America/New_York"
    other_org.organization.save()
    invite(org.hr, "berlin@example.com", sent_at=late_evening_utc)
    invite(other_org.owner, "newyork@example.com", sent_at=late_evening_utc)

    with time_machine.travel(late_evening_utc + timedelta(days=4)):
        sweep_organization.delay(org.organization.pk)
        sweep_organization.delay(other_org.organization.pk)

    assert "on 2 Mar 2026" in notifications_of(org.organization)[0].body
    assert "on 1 Mar 2026" in notifications_of(other_org.organization)[0].body


def test_someone_who_joined_this_week_is_welcomed_once(org):
    invitation = invite(org.hr, "welcome.me@example.com", sent_at=days_ago(1))
    with organization_scope(org.organization):
        member = invitation_accept(
            invitation=invitation, user=invitation.membership.user, password="x" * 12
        )

    sweep_organization.delay(org.organization.pk)
    sweep_organization.delay(org.organization.pk)

    welcomes = [n for n in notifications_of(org.organization) if n.kind == "welcome"]
    assert [(n.recipient, n.key) for n in welcomes] == [(member, f"welcome:{member.pk}")]
    assert welcomes[0].title == "Welcome to Acme"
    assert "Your manager is" not in welcomes[0].body
    assert welcomes[0].email_state == Notification.EmailState.NOT_SENT


def test_someone_who_joined_more_than_a_week_ago_is_not_welcomed(org):
    invitation = invite(org.hr, "old.hand@example.com", sent_at=days_ago(10))
    with time_machine.travel(days_ago(8)), organization_scope(org.organization):
        invitation_accept(invitation=invitation, user=invitation.membership.user, password="x" * 12)

    sweep_organization.delay(org.organization.pk)

    assert notifications_of(org.organization) == []


@pytest.fixture
def recorded_reminder():
    calls: list[tuple[Organization, datetime]] = []

    @sweep.reminder("test-recorder")
    def record(organization: Organization, now: datetime) -> int:
        calls.append((organization, now))
        return 0

    yield calls
    sweep.unregister("test-recorder")


def test_producers_get_now_in_the_organizations_time_zone(org, other_org, recorded_reminder):
    other_org.organization.time_zone = "Asia/Tokyo"
    other_org.organization.save()
    moment = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)  # Sunday night in UTC

    with time_machine.travel(moment, tick=False):
        sweep_organization.delay(org.organization.pk)
        sweep_organization.delay(other_org.organization.pk)

    (acme, acme_now), (globex, globex_now) = recorded_reminder
    assert (acme, globex) == (org.organization, other_org.organization)
    assert acme_now == moment
    assert globex_now == moment
    assert acme_now.tzinfo == zoneinfo.ZoneInfo("Europe/Berlin")
    assert globex_now.tzinfo == zoneinfo.ZoneInfo("Asia/Tokyo")
    # The same instant falls in another day and week on Berlin's calendar.
    assert sweep.local_date_key(acme_now) == "2026-11-23"
    assert sweep.iso_week_key(acme_now) == "2026-W48"
    assert sweep.local_date_key(moment) == "2026-11-22"
    assert sweep.iso_week_key(moment) == "2026-W47"


def test_a_failing_reminder_does_not_stop_the_others(org, caplog):
    invite(org.hr, "still.reminded@example.com", sent_at=days_ago(4))

    @sweep.reminder("aaa-broken")
    def broken(organization: Organization, now: datetime) -> int:
        raise RuntimeError("bug in a producer")

    try:
        result = sweep_organization.delay(org.organization.pk).get()
    finally:
        sweep.unregister("aaa-broken")

    assert result["aaa-broken"] is None
    assert result["invitation-pending"] == 1
    assert "Reminder 'aaa-broken' failed" in caplog.text


def test_two_reminders_cannot_share_a_name():
    with pytest.raises(ValueError, match="already registered"):
        sweep.reminder("welcome")(lambda organization, now: 0)


def test_sweeping_all_organizations_sweeps_each_one(org, other_org):
    invite(org.hr, "a@example.com", sent_at=days_ago(4))
    invite(other_org.hr, "b@example.com", sent_at=days_ago(4))

    swept = sweep_all_organizations.delay().result

    assert swept == Organization.objects.count()
    assert [n.recipient for n in notifications_of(org.organization)] == [org.hr]
    assert [n.recipient for n in notifications_of(other_org.organization)] == [other_org.hr]
    with organization_scope(org.organization):
        assert Invitation.objects.count() == 1

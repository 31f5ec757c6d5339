"""Two senders at the same moment, each in its own thread and database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.core import mail
from django.db import connection

from perfmgmt.notifications import sweep
from perfmgmt.notifications.models import Notification
from perfmgmt.notifications.services import notify
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Organization

from .conftest import days_ago, invite

ROUNDS = 6


def run_at_the_same_moment(
    organization: Organization, action: Callable[[], object]
) -> list[BaseException]:
    """Run `action` in two threads released together by a barrier; return their errors."""
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def sender() -> None:
        try:
            with organization_scope(organization):
                barrier.wait(timeout=10)
                action()
        except BaseException as error:  # reported to the test, not swallowed
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return errors


@pytest.mark.django_db(transaction=True)
def test_two_senders_notifying_the_same_reminder_at_once_create_one_row_and_one_email(org):
    for round_number in range(ROUNDS):
        key = f"checkin-due:{org.report.pk}:round-{round_number}"
        created: list[bool] = []

        def send(key: str = key, created: list[bool] = created) -> None:
            _, was_created = notify(
                recipient=org.report, kind="checkin-due", key=key, title="Check-in due"
            )
            created.append(was_created)

        errors = run_at_the_same_moment(org.organization, send)

        assert errors == []
        assert sorted(created) == [False, True]
        with organization_scope(org.organization):
            assert Notification.objects.filter(key=key).count() == 1
            assert Notification.objects.get(key=key).email_state == Notification.EmailState.SENT
        assert len(mail.outbox) == round_number + 1


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_of_one_organization_at_once_send_the_invitation_reminder_once(org):
    for round_number in range(ROUNDS):
        invitation = invite(org.hr, f"racer{round_number}@example.com", sent_at=days_ago(4))

        errors = run_at_the_same_moment(
            org.organization, lambda: sweep.run_sweep(organization=org.organization)
        )

        assert errors == []
        with organization_scope(org.organization):
            rows = Notification.objects.filter(key=f"invitation-pending:{invitation.pk}")
            assert [row.recipient_id for row in rows] == [org.hr.pk]
        assert len(mail.outbox) == round_number + 1
        assert mail.outbox[-1].to == [org.hr.user.email]

from __future__ import annotations

import pytest
import time_machine
from django.core import mail

from perfmgmt.notifications import outbox, services
from perfmgmt.notifications.models import Notification

pytestmark = pytest.mark.django_db

State = Notification.EmailState


def quiet_reminders(recipients, kind="batch-test"):
    """Notifications waiting to be emailed, created without queueing their email."""
    created = []
    for number, recipient in enumerate(recipients):
        notification, _ = services.notify(
            recipient=recipient, kind=kind, key=f"{kind}:{number}", title="Due", email=False
        )
        created.append(notification)
    Notification.objects.filter(pk__in=[n.pk for n in created]).update(email_state=State.PENDING)
    return created


def test_a_batch_of_emails_is_one_broker_message_per_batch_size(
    scope, org, settings, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(outbox, "EMAIL_BATCH", 2)
    notifications = quiet_reminders([org.report, org.report2, org.manager])
    ids = [n.pk for n in notifications]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        messages = services.emails_queue(organization_id=org.organization.pk, notification_ids=ids)

    assert messages == 2
    assert len(callbacks) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        n.recipient.user.email for n in notifications
    )
    assert set(Notification.objects.filter(pk__in=ids).values_list("email_state", flat=True)) == {
        State.SENT
    }


def test_a_batch_sent_twice_sends_each_email_once(scope, org, django_capture_on_commit_callbacks):
    ids = [n.pk for n in quiet_reminders([org.report, org.report2])]

    with django_capture_on_commit_callbacks(execute=True):
        services.emails_queue(organization_id=org.organization.pk, notification_ids=ids)
        services.emails_queue(organization_id=org.organization.pk, notification_ids=ids)

    assert len(mail.outbox) == 2


def test_a_failed_send_in_a_batch_waits_for_its_retry_and_the_sweep_sends_it(
    scope, org, flaky_email, django_capture_on_commit_callbacks
):
    ids = [n.pk for n in quiet_reminders([org.report, org.report2])]
    flaky_email.fail_next(1)

    with django_capture_on_commit_callbacks(execute=True):
        services.emails_queue(organization_id=org.organization.pk, notification_ids=ids)
    # Behaviour change: the batch no longer queues its failures again itself; the failed row
    # carries its next attempt's time and the sweep queues it when due.
    assert len(mail.outbox) == 1
    retrying = Notification.objects.get(pk__in=ids, email_state=State.PENDING)
    assert retrying.email_next_attempt_at is not None

    with (
        time_machine.travel(retrying.email_next_attempt_at),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.email_requeue_stalled() == [retrying.pk]

    assert len(mail.outbox) == 2
    assert sorted(
        Notification.objects.filter(pk__in=ids).values_list("email_attempts", flat=True)
    ) == [1, 2]

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from perfmgmt.errors import DomainError
from perfmgmt.notifications import services
from perfmgmt.notifications.models import Notification
from perfmgmt.notifications.services import notify
from perfmgmt.notifications.tasks import send_notification_email
from perfmgmt.tenancy.context import organization_scope

pytestmark = pytest.mark.django_db

State = Notification.EmailState


def remind(recipient, key="checkin-due:2026-W47", **kwargs):
    values = {"kind": "checkin-due", "title": "Your check-in is due", "body": "Write it today."}
    return notify(recipient=recipient, key=key, **{**values, **kwargs})


def test_notifying_twice_with_the_same_key_creates_one_notification_and_one_email(
    scope, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first, first_created = remind(org.report)
        second, second_created = remind(org.report)

    assert (first_created, second_created) == (True, False)
    assert first.pk == second.pk
    assert Notification.objects.filter(recipient=org.report).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [org.report.user.email]
    first.refresh_from_db()
    assert first.email_state == State.SENT


def test_a_new_period_in_the_key_is_a_new_notification(scope, org):
    remind(org.report, key="checkin-due:2026-W47")
    remind(org.report, key="checkin-due:2026-W48")

    assert Notification.objects.filter(recipient=org.report).count() == 2


def test_the_same_key_for_two_people_notifies_both(scope, org):
    remind(org.report)
    remind(org.report2)

    assert Notification.objects.filter(key="checkin-due:2026-W47").count() == 2


def test_a_recipient_of_another_organization_is_refused(scope, other_org):
    with pytest.raises(DomainError):
        remind(other_org.report)
    with organization_scope(other_org.organization):
        assert not Notification.objects.exists()


def test_a_notification_without_email_queues_nothing(
    scope, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification, _ = remind(org.report, email=False)

    assert notification.email_state == State.NOT_SENT
    assert mail.outbox == []


def test_the_email_names_the_organization_the_title_the_body_and_a_link(
    scope, org, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://perf.example.com/"
    with django_capture_on_commit_callbacks(execute=True):
        remind(org.report, title="Rita's check-in <is> due", url="/o/acme/checkins/")

    message = mail.outbox[0]
    assert message.subject == "Acme: Rita's check-in <is> due"
    assert "Write it today." in message.body
    assert "https://perf.example.com/o/acme/checkins/" in message.body
    assert "Acme" in message.body
    html = message.alternatives[0][0]  # type: ignore[attr-defined]
    assert "Rita&#x27;s check-in &lt;is&gt; due" in html
    assert 'href="https://perf.example.com/o/acme/checkins/"' in html


def test_an_email_without_a_page_links_to_the_inbox(
    scope, org, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://perf.example.com"
    with django_capture_on_commit_callbacks(execute=True):
        remind(org.report, url="")

    assert "https://perf.example.com/o/acme/notifications/" in mail.outbox[0].body


def test_the_email_task_delivered_twice_sends_one_email(scope, org):
    notification, _ = remind(org.report)  # on_commit not run: we play the broker ourselves

    send_notification_email.delay(org.organization.pk, notification.pk)
    send_notification_email.delay(org.organization.pk, notification.pk)

    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.email_state == State.SENT
    assert notification.emailed_at is not None
    assert notification.email_attempts == 1


def due_time(notification: Notification):
    notification.refresh_from_db()
    assert notification.email_next_attempt_at is not None
    return notification.email_next_attempt_at


def test_a_failed_send_stays_pending_until_its_retry_is_due_and_then_sends_once(
    scope, org, flaky_email
):
    notification, _ = remind(org.report)
    flaky_email.fail_next(1)

    assert services.email_send(notification_id=notification.pk) == "retry"
    notification.refresh_from_db()
    assert notification.email_state == State.PENDING
    assert "Connection refused" in notification.email_last_error
    assert services.email_send(notification_id=notification.pk) == "skipped"  # not due yet
    assert mail.outbox == []

    with time_machine.travel(due_time(notification)):
        assert services.email_send(notification_id=notification.pk) == "sent"
        assert services.email_send(notification_id=notification.pk) == "skipped"
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert (notification.email_state, notification.email_attempts) == (State.SENT, 2)
    assert notification.email_last_error == ""


def test_the_email_task_leaves_a_failed_send_to_the_sweep_which_sends_it_once_when_due(
    scope, org, flaky_email, django_capture_on_commit_callbacks
):
    notification, _ = remind(org.report)
    flaky_email.fail_next(1)

    # No countdown retry per email any more (behaviour change): the row carries its due time.
    result = send_notification_email.apply(args=(org.organization.pk, notification.pk), throw=False)
    assert result.result == "retry"

    with (
        time_machine.travel(due_time(notification)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.email_requeue_stalled() == [notification.pk]

    assert flaky_email.calls == 2
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.email_state == State.SENT


def test_a_send_that_keeps_failing_is_marked_failed_after_the_last_attempt(scope, org, flaky_email):
    notification, _ = remind(org.report)
    flaky_email.fail_next(services.MAX_EMAIL_ATTEMPTS + 3)

    outcomes = [services.email_send(notification_id=notification.pk)]
    for _ in range(services.MAX_EMAIL_ATTEMPTS):
        notification.refresh_from_db()
        moment = notification.email_next_attempt_at or timezone.now()
        with time_machine.travel(moment):
            outcomes.append(services.email_send(notification_id=notification.pk))

    assert outcomes == ["retry"] * (services.MAX_EMAIL_ATTEMPTS - 1) + ["failed", "skipped"]
    notification.refresh_from_db()
    assert notification.email_state == State.FAILED
    assert mail.outbox == []


def test_an_email_to_someone_who_has_left_is_not_sent(scope, org):
    notification, _ = remind(org.report)
    org.report.status = "left"
    org.report.save()

    assert services.email_send(notification_id=notification.pk) == "skipped"
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.email_state == State.NOT_SENT


def crash_mid_send(notification: Notification) -> None:
    """A worker claims the row and dies before recording anything."""
    assert services.email_claim(notification_id=notification.pk) is not None


def test_an_email_stuck_sending_after_a_worker_crash_is_sent_by_a_later_sweep(
    scope, org, django_capture_on_commit_callbacks
):
    notification, _ = remind(org.report)
    crash_mid_send(notification)
    later = timezone.now() + services.EMAIL_STALL_AFTER + timedelta(minutes=1)

    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        requeued = services.email_requeue_stalled()

    assert requeued == [notification.pk]
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert (notification.email_state, notification.email_attempts) == (State.SENT, 2)


def test_an_email_claimed_a_moment_ago_is_left_to_its_worker(
    scope, org, django_capture_on_commit_callbacks
):
    notification, _ = remind(org.report)
    crash_mid_send(notification)

    with django_capture_on_commit_callbacks(execute=True):
        requeued = services.email_requeue_stalled(
            now=timezone.now() + services.EMAIL_STALL_AFTER - timedelta(minutes=1)
        )

    assert requeued == []
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.email_state == State.SENDING


def test_a_pending_email_whose_task_was_lost_is_queued_again_by_the_sweep(
    scope, org, django_capture_on_commit_callbacks
):
    notification, _ = remind(org.report)  # its on_commit enqueue never ran: the task is lost

    with django_capture_on_commit_callbacks(execute=True):
        # A message is presumed lost after EMAIL_REQUEUE_AFTER (was EMAIL_STALL_AFTER: the
        # sweep no longer re-queues what a lagging worker has not reached yet).
        requeued = services.email_requeue_stalled(
            now=timezone.now() + services.EMAIL_REQUEUE_AFTER + timedelta(seconds=1)
        )

    assert requeued == [notification.pk]
    assert len(mail.outbox) == 1


def test_a_worker_presumed_dead_cannot_overwrite_the_state_of_a_row_handed_on(scope, org):
    notification, _ = remind(org.report)
    slow = services.email_claim(notification_id=notification.pk)
    assert slow is not None
    later = timezone.now() + services.EMAIL_STALL_AFTER + timedelta(minutes=1)
    with time_machine.travel(later):
        services.email_requeue_stalled()
        assert services.email_send(notification_id=notification.pk) == "sent"

    services.email_finished(notification=slow, sent=False)

    notification.refresh_from_db()
    assert notification.email_state == State.SENT


def test_marking_read_twice_keeps_the_first_time(scope, org):
    notification, _ = remind(org.report, email=False)
    services.notification_mark_read(actor=org.report, notification=notification)
    first_read_at = notification.read_at

    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        services.notification_mark_read(actor=org.report, notification=notification)

    assert first_read_at is not None
    notification.refresh_from_db()
    assert notification.read_at == first_read_at

"""Email delivery against real faults: a local SMTP server that is stopped and started
again, and a database that cannot be reached.

The throwaway servers (tests/faults.py) are started by the tests, never the shared ones.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from celery.signals import task_retry
from django.core import mail
from django.utils import timezone

from perfmgmt.celery import app as celery_app
from perfmgmt.notifications import outbox, services
from perfmgmt.notifications.models import Notification
from perfmgmt.notifications.tasks import send_notification_emails
from perfmgmt.tenancy.context import organization_scope
from tests.faults import (
    LocalSmtpServer,
    UnreachableDatabase,
    forget_broker_connections,
    free_port,
)

State = Notification.EmailState
SWEEP = timedelta(minutes=15)


@pytest.fixture
def smtp_server(settings) -> Iterator[LocalSmtpServer]:
    server = LocalSmtpServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    server.start()
    yield server
    server.stop()


def waiting_emails(recipients, kind: str) -> list[Notification]:
    created = []
    for number, recipient in enumerate(recipients):
        notification, _ = services.notify(
            recipient=recipient, kind=kind, key=f"{kind}:{number}", title=f"Due {number}"
        )
        created.append(notification)
    return created


def sweep_at(moment: datetime, capture) -> None:
    with time_machine.travel(moment, tick=False), capture(execute=True):
        services.email_requeue_stalled()


def attempt_times(notification: Notification, seen: list[datetime]) -> None:
    notification.refresh_from_db()
    if notification.email_claimed_at and notification.email_claimed_at not in seen:
        seen.append(notification.email_claimed_at)


@pytest.mark.django_db
def test_a_mail_server_down_for_a_day_gets_retries_spread_over_hours_then_failed(
    scope, org, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.stop()
    start = timezone.now()
    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=True):
        (notification,) = waiting_emails([org.report], "down")
    attempts = [start]

    for number in range(1, 4 * 27):
        sweep_at(start + SWEEP * number, django_capture_on_commit_callbacks)
        attempt_times(notification, attempts)

    notification.refresh_from_db()
    assert notification.email_state == State.FAILED
    assert notification.email_attempts == outbox.MAX_EMAIL_ATTEMPTS
    assert "Connection refused" in notification.email_last_error
    gaps = [later - earlier for earlier, later in itertools.pairwise(attempts)]
    assert len(attempts) == outbox.MAX_EMAIL_ATTEMPTS
    assert max(gaps) <= timedelta(hours=1, minutes=15)  # never more than an hour (+ a sweep)
    assert sum(gap >= timedelta(hours=1) for gap in gaps) >= 20  # most of the day, hourly
    assert timedelta(hours=23) <= attempts[-1] - attempts[0] <= timedelta(hours=27)
    assert smtp_server.received == []


@pytest.mark.django_db
def test_when_the_mail_server_is_back_the_waiting_emails_go_out_once_with_their_message_id(
    scope, org, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.stop()
    start = timezone.now()
    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=True):
        notifications = waiting_emails([org.report, org.report2, org.manager], "back")
    for number in range(1, 12):  # down for almost three hours
        sweep_at(start + SWEEP * number, django_capture_on_commit_callbacks)
    assert smtp_server.received == []

    smtp_server.start()
    for number in range(12, 20):
        sweep_at(start + SWEEP * number, django_capture_on_commit_callbacks)

    received = sorted(message["Message-ID"] for message in smtp_server.received)
    assert received == sorted(outbox.email_message_id(n) for n in notifications)
    for notification in notifications:
        notification.refresh_from_db()
        assert notification.email_state == State.SENT
        assert notification.email_attempts > 3
        assert notification.email_last_error == ""


# --- The database goes away ---------------------------------------------------------------


@pytest.fixture
def retries() -> Iterator[list[float]]:
    """The countdowns of the task retries asked for while the fixture is active."""
    asked: list[float] = []

    def record(**signal: Any) -> None:
        asked.append(float(signal["reason"].when))  # the Retry the task raised

    task_retry.connect(record, weak=False)
    yield asked
    task_retry.disconnect(record)


@pytest.mark.django_db(transaction=True)
def test_an_email_task_that_cannot_reach_the_database_retries_with_growing_backoff(
    org, retries, monkeypatch
):
    # Eager retries run nested inside apply(); only without propagation do they all report.
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)
    with organization_scope(org.organization):
        notification, _ = services.notify(
            recipient=org.report, kind="db", key="db:1", title="Due", email=False
        )
        Notification.objects.filter(pk=notification.pk).update(email_state=State.PENDING)

    with UnreachableDatabase() as database:

        def back_after_three(**kwargs: Any) -> None:
            if len(retries) == 3:
                database.restore()

        task_retry.connect(back_after_three, weak=False)
        try:
            result = send_notification_emails.apply(
                args=(org.organization.pk, [notification.pk]), throw=False
            )
        finally:
            task_retry.disconnect(back_after_three)

    assert result.result == {"sent": 1}
    assert len(retries) == 3
    for number, countdown in enumerate(retries):
        ceiling = 5 * 2**number
        assert ceiling / 2 <= countdown <= ceiling  # doubling, jittered in its upper half
    assert len(mail.outbox) == 1
    with organization_scope(org.organization):
        assert Notification.objects.get(pk=notification.pk).email_state == State.SENT


# --- The broker goes away -----------------------------------------------------------------


def _forget_connections() -> None:
    # Celery keeps its connection and producer pools once made; drop them so the next
    # publish connects to the broker configured now.
    forget_broker_connections(celery_app)


@pytest.fixture
def unreachable_broker() -> Iterator[None]:
    """Celery really publishes (not eagerly) to a port where no Redis listens."""
    conf = celery_app.conf
    names = ("task_always_eager", "task_publish_retry", "broker_url")
    saved = {name: conf[name] for name in names}
    conf.update(
        task_always_eager=False,
        task_publish_retry=False,
        broker_url=f"redis://127.0.0.1:{free_port()}/0",
    )
    _forget_connections()
    yield
    conf.update(saved)
    _forget_connections()


@pytest.mark.django_db
def test_an_email_the_broker_refused_is_queued_by_the_next_sweep_and_not_an_error(
    scope, org, unreachable_broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification, created = services.notify(
            recipient=org.report, kind="broker", key="broker:1", title="Due"
        )

    assert created
    notification.refresh_from_db()
    assert notification.email_state == State.PENDING
    assert notification.email_queued_at is None  # known not to be queued
    with django_capture_on_commit_callbacks(execute=False):  # the broker is still away
        assert services.email_requeue_stalled() == [notification.pk]  # the next sweep

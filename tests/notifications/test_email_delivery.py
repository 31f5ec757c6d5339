"""The email outbox under lagging workers and long retries, and HR's delivery page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import ClassVar

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from perfmgmt.notifications import outbox, services
from perfmgmt.notifications.models import Notification
from perfmgmt.tenancy.context import organization_scope

pytestmark = pytest.mark.django_db

State = Notification.EmailState
SWEEP = timedelta(minutes=15)


def lost_emails(recipients, count: int, kind: str = "lost") -> list[int]:
    """`count` emails waiting to be sent whose broker message never existed (a broker outage
    at commit time): PENDING, nothing queued."""
    ids = []
    for number in range(count):
        recipient = recipients[number % len(recipients)]
        notification, _ = services.notify(
            recipient=recipient, kind=kind, key=f"{kind}:{number}", title="Due", email=False
        )
        ids.append(notification.pk)
    Notification.objects.filter(pk__in=ids).update(email_state=State.PENDING)
    return ids


def queued_batches(callbacks) -> list[list[int]]:
    """The id batches of the broker messages captured (not run: no worker is listening)."""
    return [list(callback.args[1]) for callback in callbacks]


def sweep_without_worker(moment: datetime, capture) -> list[list[int]]:
    with time_machine.travel(moment, tick=False), capture(execute=False) as callbacks:
        services.email_requeue_stalled()
    return queued_batches(callbacks)


def test_three_sweeps_with_no_worker_queue_each_lost_email_once_in_capped_batches(
    scope, org, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(outbox, "EMAIL_BATCH", 4)
    monkeypatch.setattr(outbox, "EMAIL_REQUEUE_BATCHES", 5)
    ids = lost_emails([org.report, org.report2, org.manager], 30)
    start = timezone.now()

    sweeps = [
        sweep_without_worker(start + SWEEP * number, django_capture_on_commit_callbacks)
        for number in range(3)
    ]

    assert [len(batches) for batches in sweeps] == [5, 3, 0]  # 20 per sweep at most
    assert all(len(batch) <= 4 for batches in sweeps for batch in batches)
    queued = [pk for batches in sweeps for batch in batches for pk in batch]
    assert sorted(queued) == sorted(ids)  # each once, none twice


def test_emails_queued_at_creation_are_left_to_a_lagging_worker_until_presumed_lost(
    scope, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as created:
        for number in range(3):
            services.notify(recipient=org.report, kind="lag", key=f"lag:{number}", title="Due")
    assert len(created) == 3  # queued once each, by notify
    start = timezone.now()

    early = [
        sweep_without_worker(start + SWEEP * number, django_capture_on_commit_callbacks)
        for number in range(1, 4)
    ]
    late = sweep_without_worker(
        start + outbox.EMAIL_REQUEUE_AFTER + timedelta(seconds=1),
        django_capture_on_commit_callbacks,
    )
    again = sweep_without_worker(
        start + outbox.EMAIL_REQUEUE_AFTER + SWEEP, django_capture_on_commit_callbacks
    )

    assert early == [[], [], []]
    assert len(late) == 1  # one message replaces the lost ones
    assert len(late[0]) == 3
    assert again == []


def test_the_retry_delay_doubles_from_a_minute_to_an_hour_and_the_attempts_span_a_day():
    delays = [outbox.email_retry_delay(attempts) for attempts in range(1, 9)]
    assert [delay.total_seconds() / 60 for delay in delays] == [1, 2, 4, 8, 16, 32, 60, 60]
    total = sum(
        (outbox.email_retry_delay(n) for n in range(1, outbox.MAX_EMAIL_ATTEMPTS)), timedelta()
    )
    assert timedelta(hours=23) < total < timedelta(hours=25)


def test_the_message_id_names_the_notification_and_the_sending_domain(scope, org, settings):
    settings.DEFAULT_FROM_EMAIL = "Perf <no-reply@mail.example.com>"
    notification, _ = services.notify(recipient=org.report, kind="k", key="k:1", title="T")
    expected = f"<notification-{org.organization.pk}-{notification.pk}@mail.example.com>"
    assert outbox.email_message_id(notification) == expected
    settings.DEFAULT_FROM_EMAIL = "perfmgmt"
    settings.SITE_URL = "https://perf.example.org/"
    assert outbox.email_message_id(notification).endswith("@perf.example.org>")


class KilledAfterAcceptBackend(EmailBackend):
    """Delivers, then the worker dies before the outcome is recorded (once)."""

    kills_left: ClassVar[int] = 0

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        sent = super().send_messages(messages)
        if type(self).kills_left:
            type(self).kills_left -= 1
            raise SystemExit("worker killed")  # not an Exception: nothing records the send
        return sent


def test_a_worker_killed_after_the_mail_server_accepted_repeats_it_with_the_same_message_id(
    scope, org, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.KilledAfterAcceptBackend"
    KilledAfterAcceptBackend.kills_left = 1
    notification, _ = services.notify(
        recipient=org.report, kind="k", key="k:2", title="T", email=False
    )
    Notification.objects.filter(pk=notification.pk).update(email_state=State.PENDING)
    with pytest.raises(SystemExit):
        services.email_send(notification_id=notification.pk)

    later = timezone.now() + outbox.EMAIL_STALL_AFTER + timedelta(minutes=1)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.email_requeue_stalled()

    assert len(mail.outbox) == 2  # the documented at-least-once window
    ids = {message.message()["Message-ID"] for message in mail.outbox}
    assert ids == {outbox.email_message_id(notification)}
    notification.refresh_from_db()
    assert notification.email_state == State.SENT


# --- The delivery page --------------------------------------------------------------------


def failed_emails(recipients, count: int, error: str = "OSError: Connection refused") -> list:
    ids = lost_emails(recipients, count, kind="failed")
    Notification.objects.filter(pk__in=ids).update(
        email_state=State.FAILED,
        email_attempts=outbox.MAX_EMAIL_ATTEMPTS,
        email_last_error=error,
        email_claimed_at=timezone.now(),
    )
    return ids


def deliveries_url(org, name: str = "deliveries", **kwargs) -> str:
    return reverse(f"notifications:{name}", kwargs={"org_slug": org.organization.slug, **kwargs})


@pytest.mark.parametrize("who", ["hr", "owner"])
def test_hr_and_owners_see_counts_failed_addresses_and_the_last_error(
    who, org, other_org, client_for
):
    with organization_scope(org.organization):
        failed_emails([org.report], 1, error="SMTPRecipientsRefused: mailbox unavailable")
        lost_emails([org.report2], 2)
    with organization_scope(other_org.organization):
        failed_emails([other_org.report2], 1, error="theirs went wrong")

    response = client_for(getattr(org, who)).get(deliveries_url(org))

    assert response.status_code == 200
    page = response.content.decode()
    assert org.report.user.email in page
    assert "SMTPRecipientsRefused: mailbox unavailable" in page
    assert other_org.report2.user.email not in page
    assert "theirs went wrong" not in page
    assert response.context["counts"]["failed"].count == 1
    assert response.context["counts"]["pending"].count == 2


@pytest.mark.parametrize("who", ["manager", "report", "colleague"])
def test_nobody_else_sees_the_delivery_page_or_can_resend(who, org, client_for):
    with organization_scope(org.organization):
        (failed,) = failed_emails([org.report], 1)
    client = client_for(getattr(org, who))

    assert client.get(deliveries_url(org)).status_code == 403
    resend = deliveries_url(org, "deliveries_resend", notification_id=failed)
    assert client.post(resend).status_code == 403
    assert client.post(deliveries_url(org, "deliveries_resend_failed")).status_code == 403
    with organization_scope(org.organization):
        assert Notification.objects.get(pk=failed).email_state == State.FAILED
    assert mail.outbox == []


def test_resending_a_failed_email_sends_it_once_however_often_it_is_asked(
    org, client_for, django_capture_on_commit_callbacks
):
    with organization_scope(org.organization):
        (failed,) = failed_emails([org.report], 1)
    client = client_for(org.hr)
    url = deliveries_url(org, "deliveries_resend", notification_id=failed)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(url)

    assert first.status_code == second.status_code == 302
    assert [message.to for message in mail.outbox] == [[org.report.user.email]]
    with organization_scope(org.organization):
        row = Notification.objects.get(pk=failed)
    assert (row.email_state, row.email_attempts, row.email_last_error) == (State.SENT, 1, "")


def test_resend_all_queues_every_failed_email_of_the_organization_only(
    org, other_org, client_for, django_capture_on_commit_callbacks
):
    with organization_scope(org.organization):
        ours = failed_emails([org.report, org.report2], 3)
    with organization_scope(other_org.organization):
        theirs = failed_emails([other_org.report], 1)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(org.owner).post(deliveries_url(org, "deliveries_resend_failed"))

    assert response.status_code == 302
    assert len(mail.outbox) == len(ours)
    with organization_scope(other_org.organization):
        assert Notification.objects.get(pk=theirs[0]).email_state == State.FAILED


def test_the_failed_list_pages_by_keyset_newest_first(org, client_for, monkeypatch):
    from perfmgmt.notifications import deliveries

    monkeypatch.setattr(deliveries, "DELIVERY_PAGE_SIZE", 2)
    with organization_scope(org.organization):
        ids = failed_emails([org.report], 5)
    client = client_for(org.hr)

    seen, before = [], None
    for _ in range(5):
        query = {"list": "failed", **({"before": before} if before else {})}
        response = client.get(deliveries_url(org), query)
        seen += [row.pk for row in response.context["rows"]]
        before = response.context["next_before"]
        if before is None:
            break

    assert seen == sorted(ids, reverse=True)


def test_the_counts_stop_at_the_cap_and_say_there_are_more(org, other_org, client_for, monkeypatch):
    from perfmgmt.notifications import deliveries

    monkeypatch.setattr(deliveries, "COUNT_CAP", 3)
    with organization_scope(org.organization):
        failed_emails([org.report], 4)
        failed_emails([org.report2], 3, error="")  # reaches the cap without passing it
        Notification.objects.filter(email_last_error="").update(email_state=State.SENT)
        lost_emails([org.report], 2)
    with organization_scope(other_org.organization):
        failed_emails([other_org.report], 5)

    response = client_for(org.hr).get(deliveries_url(org))

    counts = response.context["counts"]
    assert (counts["failed"].count, counts["failed"].more) == (3, True)
    assert (counts["sent"].count, counts["sent"].more) == (3, False)
    assert (counts["pending"].count, counts["pending"].more) == (2, False)
    page = response.content.decode()
    assert '<td data-state="failed">3+</td>' in page
    assert '<td data-state="sent">3</td>' in page


def test_nonsense_in_the_query_string_shows_the_first_page_of_failures(org, client_for):
    response = client_for(org.hr).get(deliveries_url(org), {"list": "x", "before": "abc"})
    assert response.status_code == 200
    assert response.context["which"] == "failed"


def test_the_delivery_page_runs_as_many_queries_for_50_failures_as_for_5(org, client_for):
    client = client_for(org.hr)

    def queries_with(count: int) -> int:
        with organization_scope(org.organization):
            Notification.objects.filter(email_state=State.FAILED).delete()
            failed_emails([org.report, org.report2, org.manager], count)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(deliveries_url(org)).status_code == 200
        return len(captured)

    assert queries_with(5) == queries_with(50)

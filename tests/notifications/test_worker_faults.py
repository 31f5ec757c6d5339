"""A real Celery worker process killed with SIGKILL (its main process, so nothing is
acknowledged or handed back) loses nothing and duplicates nothing.

Each test starts its own Redis (the broker), SMTP server and worker processes
(tests/faults.py, tests/fault_worker.py) against the test database. The workers' broker
visibility timeout is shortened to a few seconds, so what a dead worker held comes back in
seconds instead of production's minutes, and the first worker's sweep writes small batches
with a pause after each, so it can be killed in the middle; everything else is the
production configuration (late acknowledgement, prefetch of one, prefork pool). What
arrives is counted against an expected set computed from the seeded rows, not from the
code under test.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from perfmgmt.notifications import outbox, services
from perfmgmt.notifications.models import Notification
from perfmgmt.notifications.tasks import send_notification_emails, sweep_organization
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Organization
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory
from tests.fault_worker import CeleryWorkerProcess, database_url, eventually
from tests.faults import LocalSmtpServer, ThrowawayRedis, broker, throwaway_redis
from tests.goals.factories import GoalFactory

pytestmark = pytest.mark.django_db(transaction=True)

State = Notification.EmailState
PEOPLE, GOALS_EACH = 40, 8  # 320 "goal not updated" reminders, each with an email
# 16 batches (and email tasks of 20 emails, a few seconds each, well within the workers'
# 10-second visibility timeout); the first worker pauses after each: a sweep of 5 seconds.
LEDGER_BATCH, BATCH_PAUSE = 20, 0.3
WAIT = 120  # seconds; a loaded 2-core machine is slow, a hang still ends the test


class Workers:
    """Starts worker processes on the test's broker and SMTP server; stops them all."""

    def __init__(self, redis: ThrowawayRedis, smtp: LocalSmtpServer, folder: Path) -> None:
        self.redis, self.smtp, self.folder = redis, smtp, folder
        self.started: list[CeleryWorkerProcess] = []

    def start(
        self,
        name: str,
        *,
        concurrency: int = 1,
        ledger_batch: int | None = None,
        batch_pause: float | None = None,
    ) -> CeleryWorkerProcess:
        worker = CeleryWorkerProcess(
            name=name,
            broker_url=self.redis.url,
            database=database_url(connection.settings_dict),
            smtp_port=self.smtp.port,
            log_folder=self.folder,
            concurrency=concurrency,
            ledger_batch=ledger_batch,
            batch_pause=batch_pause,
        )
        self.started.append(worker)
        worker.start()
        return worker

    def logs(self) -> str:
        return "\n".join(f"--- {w.name}\n{w.log_tail()}" for w in self.started)


@pytest.fixture
def smtp() -> Iterator[LocalSmtpServer]:
    server = LocalSmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def workers(smtp: LocalSmtpServer, tmp_path: Path) -> Iterator[Workers]:
    with throwaway_redis() as redis, broker(redis.url):
        started = Workers(redis, smtp, tmp_path)
        try:
            yield started
        finally:
            for worker in started.started:
                worker.stop()
            print(started.logs())  # pytest shows it when the test failed


def goal_reminders(organization: Organization) -> list[Notification]:
    with organization_scope(organization):
        return list(Notification.objects.filter(kind="goal-not-updated"))


def emailed(organization: Organization) -> list[Notification]:
    with organization_scope(organization):
        return list(Notification.objects.exclude(email_state=State.NOT_SENT))


def in_state(organization: Organization, state: str) -> set[int]:
    with organization_scope(organization):
        rows = Notification.objects.filter(email_state=state)
        return set(rows.values_list("pk", flat=True))


def received_message_ids(smtp: LocalSmtpServer) -> Counter[str]:
    return Counter(str(message["Message-ID"]) for message in list(smtp.received))


def drained(redis: ThrowawayRedis) -> bool:
    """No message waits in the queue or is held (unacknowledged) by a worker."""
    return redis.queue_length() == 0 and redis.client().hlen("unacked") == 0


def seed_stale_goals(org: OrgPeople) -> set[tuple[int, int]]:
    """PEOPLE new people with GOALS_EACH goals untouched for 30 days; the expected reminders
    as (recipient, goal) pairs."""
    expected = set()
    created_at = timezone.now() - timedelta(days=30)
    for person in MembershipFactory.create_batch(PEOPLE, organization=org.organization):
        for _ in range(GOALS_EACH):
            goal = GoalFactory.create(
                organization=org.organization, owner_person=person, created_at=created_at
            )
            expected.add((person.pk, goal.pk))
    return expected


def test_a_worker_killed_mid_sweep_leaves_every_reminder_once_and_every_email_sent_once(
    org: OrgPeople, smtp: LocalSmtpServer, workers: Workers
) -> None:
    organization = org.organization
    expected = seed_stale_goals(org)
    first = workers.start(
        "first", concurrency=2, ledger_batch=LEDGER_BATCH, batch_pause=BATCH_PAUSE
    )
    sweep_organization.delay(organization.pk)

    # Killed after some batches committed (their emails queued, some being sent by the
    # second pool process) and before the sweep finished.
    eventually(
        lambda: 3 * LEDGER_BATCH <= len(goal_reminders(organization)) < len(expected),
        timeout=WAIT,
        what="the sweep has created three batches of reminders",
        every=0.05,
    )
    # With late acknowledgement and a prefetch of one, the worker holds (unacknowledged)
    # only what its two pool processes run; the other email batches wait in the broker.
    assert workers.redis.client().hlen("unacked") <= 2
    first.kill()
    created_by_the_dead = {row.pk for row in goal_reminders(organization)}
    assert 0 < len(created_by_the_dead) < len(expected), workers.logs()
    # A claimed email may or may not have reached the mail server when its worker died:
    # the only ones allowed to arrive twice.
    claimed_by_the_dead = in_state(organization, State.SENDING)

    workers.start("second", concurrency=2, ledger_batch=LEDGER_BATCH)
    eventually(
        lambda: (
            len(goal_reminders(organization)) == len(expected)
            and drained(workers.redis)
            and in_state(organization, State.SENDING) <= claimed_by_the_dead
        ),
        timeout=WAIT,
        what="the redelivered sweep finished and every queued message was handled",
    )
    # What is left was the dead worker's: emails it had claimed, and emails whose broker
    # message it never published (killed between a batch's commit and its publish) or had
    # taken from the broker without recording it. The sweep queues them again once their
    # claim is stale and their message overdue.
    left = in_state(organization, State.PENDING) | in_state(organization, State.SENDING)
    assert left <= created_by_the_dead
    with organization_scope(organization):
        later = timezone.now() + outbox.EMAIL_REQUEUE_AFTER + timedelta(minutes=1)
        assert set(services.email_requeue_stalled(now=later)) == left
    eventually(
        lambda: {row.email_state for row in emailed(organization)} == {State.SENT},
        timeout=WAIT,
        what="every email is marked sent",
    )

    reminders = goal_reminders(organization)
    pairs = [(row.recipient_id, int(row.key.split(":")[1])) for row in reminders]
    assert len(pairs) == len(expected)
    assert set(pairs) == expected
    message_ids = {outbox.email_message_id(row): row.pk for row in emailed(organization)}
    eventually(
        lambda: set(received_message_ids(smtp)) == set(message_ids),
        timeout=WAIT,
        what="the mail server received every email",
    )
    for message_id, copies in received_message_ids(smtp).items():
        if message_ids[message_id] in claimed_by_the_dead:
            assert copies in (1, 2), message_id
        else:
            assert copies == 1, message_id


COUNTDOWN = 15  # seconds: longer than it takes to kill the worker holding the messages


def test_messages_a_killed_worker_had_reserved_but_not_started_are_delivered_again(
    org: OrgPeople, smtp: LocalSmtpServer, workers: Workers
) -> None:
    organization = org.organization
    people = MembershipFactory.create_batch(6, organization=organization)
    with organization_scope(organization):
        for number in range(60):
            services.notify(
                recipient=people[number % 6],
                kind="retry",
                key=f"retry:{number}",
                title=f"Due {number}",
                email=False,
            )
        waiting = Notification.objects.filter(kind="retry")
        waiting.update(email_state=State.PENDING)
        ids = sorted(waiting.values_list("pk", flat=True))

    first = workers.start("first")
    redis = workers.redis
    eventually(consuming(redis), timeout=WAIT, what="the first worker is consuming")
    # Email batches retried with a countdown (as a retry after a database error is): the
    # worker takes each message from the broker at once and holds it until it is due.
    for start in range(0, len(ids), 10):
        send_notification_emails.apply_async(
            (organization.pk, ids[start : start + 10]), countdown=COUNTDOWN
        )
    eventually(
        lambda: redis.queue_length() == 0 and redis.client().hlen("unacked") == 6,
        timeout=WAIT,
        what="the worker has reserved all six messages",
    )
    first.kill()
    assert smtp.received == [], "the worker ran a message before it was due"
    assert in_state(organization, State.PENDING) == set(ids)

    workers.start("second")
    eventually(
        lambda: in_state(organization, State.SENT) == set(ids),
        timeout=WAIT,
        what="the second worker sent the emails the first one held",
    )
    with organization_scope(organization):
        expected = {
            outbox.email_message_id(row) for row in Notification.objects.filter(kind="retry")
        }
    eventually(
        lambda: set(received_message_ids(smtp)) == expected,
        timeout=WAIT,
        what="the mail server received every email",
    )
    assert max(received_message_ids(smtp).values()) == 1


def consuming(redis: ThrowawayRedis) -> Callable[[], bool]:
    """True once some client of the broker waits on the task queue (a worker's BRPOP)."""

    def check() -> bool:
        return any(
            client.get("cmd") in ("brpop", "blpop") for client in redis.client().client_list()
        )

    return check

"""The sweep against a real broker that goes away mid-sweep (a throwaway Redis the test
starts, see tests/faults.py): the reminders are all created once, the emails the broker
refused are marked not queued (the outbox, not the sweep, recovers them), and once the
broker is back every reminder's email is queued again."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine

from perfmgmt.notifications import ledger, outbox, sweep
from perfmgmt.notifications.models import Notification
from perfmgmt.tenancy.context import organization_scope
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory
from tests.faults import broker, throwaway_redis
from tests.goals.factories import GoalFactory

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def queued_notification_ids(messages: list[bytes]) -> set[int]:
    """The notification ids the email tasks in the queue carry."""
    ids: set[int] = set()
    for raw in messages:
        message = json.loads(raw)
        args = json.loads(base64.b64decode(message["body"]))[0]
        ids.update(args[1] if isinstance(args[1], list) else [args[1]])
    return ids


@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_mid_sweep_loses_no_reminder_and_no_email(
    org: OrgPeople, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = MembershipFactory.create_batch(12, organization=org.organization)
    for person in people:
        GoalFactory.create(
            organization=org.organization, owner_person=person, created_at=NOW - timedelta(30)
        )
    monkeypatch.setattr(ledger, "BATCH", 5)
    real_insert, calls = ledger._insert, []

    with throwaway_redis() as redis, broker(redis.url), time_machine.travel(NOW, tick=False):

        def insert_while_the_broker_dies(*args: Any) -> Any:
            calls.append(1)
            if len(calls) == 2:
                redis.stop()  # batch 2 commits, then its emails cannot be queued
            return real_insert(*args)

        monkeypatch.setattr(ledger, "_insert", insert_while_the_broker_dies)
        sweep.run_sweep(organization=org.organization, now=NOW)
        monkeypatch.setattr(ledger, "_insert", real_insert)
        with organization_scope(org.organization):
            reminded = Notification.objects.filter(kind="goal-not-updated")
            assert reminded.count() == 12
            # Batches 2 and 3 committed; their emails are waiting for the next sweep.
            assert reminded.filter(email_queued_at=None).count() == 7

        redis.start()  # back, empty: what was queued before the outage is gone with it
        sweep.run_sweep(organization=org.organization, now=NOW)
        later = NOW + outbox.EMAIL_REQUEUE_AFTER + timedelta(minutes=1)
        with time_machine.travel(later, tick=False):
            # The outbox re-queues what was queued before the outage and lost with it.
            sweep.run_sweep(organization=org.organization, now=later)
        queued = queued_notification_ids(redis.messages())

    with organization_scope(org.organization):
        rows = list(Notification.objects.filter(kind="goal-not-updated"))
    assert len(rows) == 12
    assert len({(row.recipient_id, row.key) for row in rows}) == 12
    assert {row.pk for row in rows} <= queued

"""Deliveries reach the broker in batches: a people sync of N people with a listening
endpoint is about N / batch messages on a real Redis broker (a throwaway one), every delivery
still arrives once, a failed one is retried alone, and a batch bounded by time hands the
rest to one new message."""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from perfmgmt.integrations.webhooks import delivery as deliveries
from perfmgmt.integrations.webhooks import queueing, ssrf, tasks
from perfmgmt.integrations.webhooks.models import DeliveryStatus, WebhookDelivery
from perfmgmt.integrations.webhooks.sweep import webhook_deliveries_due
from perfmgmt.tenancy.context import organization_scope
from tests.conftest import OrgPeople
from tests.faults import ThrowawayRedis, broker, throwaway_redis
from tests.integrations.conftest import chain

from .conftest import Receiver, register
from .test_member_events import MEMBER_EVENTS, sync

pytestmark = pytest.mark.django_db
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BATCH_TASK = "perfmgmt.integrations.webhooks.tasks.webhook_deliver_batch"


@dataclass(frozen=True)
class Message:
    task: str
    args: list[Any]
    eta: datetime | None


@pytest.fixture
def redis() -> Iterator[ThrowawayRedis]:
    """A private Redis the Celery app really publishes to (not eagerly) during the test."""
    with throwaway_redis() as server, broker(server.url):
        yield server


def take_messages(redis: ThrowawayRedis) -> list[Message]:
    """The messages waiting on the broker (removed from it), in the order they were sent."""
    client = redis.client()
    raw = client.lrange("celery", 0, -1)
    client.delete("celery")
    messages = []
    for item in reversed(raw):  # kombu pushes to the head of the list
        envelope = json.loads(item)
        args, _kwargs, _embed = json.loads(base64.b64decode(envelope["body"]))
        eta = envelope["headers"].get("eta")
        messages.append(
            Message(envelope["headers"]["task"], args, datetime.fromisoformat(eta) if eta else None)
        )
    return messages


def run(messages: list[Message], callbacks: Any) -> None:
    """Run each message as a worker would (the tasks' own after-commit work included)."""
    for message in messages:
        assert message.task == BATCH_TASK
        with callbacks(execute=True):
            tasks.webhook_deliver_batch(*message.args)


def delivery_ids(org: OrgPeople) -> list[int]:
    with organization_scope(org.organization):
        return list(WebhookDelivery.objects.order_by("id").values_list("pk", flat=True))


@pytest.mark.parametrize("people", [23, 61])
def test_a_sync_queues_one_broker_message_per_batch_and_every_delivery_arrives_once(
    org: OrgPeople,
    receiver: Receiver,
    redis: ThrowawayRedis,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
    people: int,
) -> None:
    monkeypatch.setattr(queueing, "DELIVERY_BATCH", 10)
    register(org, receiver.url(), MEMBER_EVENTS)

    with django_capture_on_commit_callbacks(execute=True):
        sync(org, chain(people))

    messages = take_messages(redis)
    assert [message.task for message in messages] == [BATCH_TASK] * math.ceil(people / 10)
    written = delivery_ids(org)
    assert len(written) == people
    assert [id for message in messages for id in message.args[1]] == written
    assert all(len(message.args[1]) <= 10 for message in messages)

    run(messages, django_capture_on_commit_callbacks)

    assert take_messages(redis) == []  # nothing failed: nothing more queued
    sent = [request.headers["webhook-id"] for request in receiver.received]
    with organization_scope(org.organization):
        rows = WebhookDelivery.objects.all()
        assert sorted(sent) == sorted(rows.values_list("message_id", flat=True))
        assert {row.status for row in rows} == {DeliveryStatus.SUCCEEDED}
    assert len(sent) == len(set(sent)) == people


def test_a_failed_delivery_in_a_batch_is_retried_alone(
    org: OrgPeople,
    receiver: Receiver,
    redis: ThrowawayRedis,
    django_capture_on_commit_callbacks: Any,
) -> None:
    register(org, receiver.url(), MEMBER_EVENTS)
    receiver.failing = lambda body: b'"external_id":"E2"' in body
    with time_machine.travel(START, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            sync(org, chain(5))
        [batch] = take_messages(redis)
        run([batch], django_capture_on_commit_callbacks)
        assert len(receiver.received) == 5

        [retry] = take_messages(redis)
        with organization_scope(org.organization):
            failed = WebhookDelivery.objects.get(event__payload__data__external_id="E2")
        assert retry.task == BATCH_TASK
        assert retry.args == [org.organization.pk, [failed.pk]]
        assert retry.eta == failed.next_attempt_at
        assert retry.eta is not None
        assert 47 <= (retry.eta - START).total_seconds() <= 73

        receiver.failing = None
        clock.move_to(retry.eta)
        run([retry], django_capture_on_commit_callbacks)

    assert len(receiver.received) == 6
    assert b'"external_id":"E2"' in receiver.received[-1].body
    with organization_scope(org.organization):
        attempts = dict(WebhookDelivery.objects.values_list("pk", "attempt_count"))
        assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"succeeded"}
    assert attempts.pop(failed.pk) == 2
    assert set(attempts.values()) == {1}
    assert take_messages(redis) == []


def test_the_retries_of_a_batch_share_messages_none_early_none_much_late() -> None:
    retries = [(number, START + timedelta(seconds=number * 7)) for number in range(10)]

    groups = queueing.retry_groups(list(reversed(retries)))

    assert [ids for ids, _when in groups] == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]
    for ids, when in groups:
        due = [dict(retries)[id] for id in ids]
        assert when == max(due)
        assert when - min(due) <= queueing.RETRY_GROUPING


def test_a_batch_out_of_time_hands_the_rest_to_one_new_message(
    org: OrgPeople,
    receiver: Receiver,
    redis: ThrowawayRedis,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    register(org, receiver.url(), MEMBER_EVENTS)
    with django_capture_on_commit_callbacks(execute=True):
        sync(org, chain(4))
    [batch] = take_messages(redis)
    monkeypatch.setattr(tasks, "BATCH_SECONDS", 0)  # the budget is gone after one attempt

    run([batch], django_capture_on_commit_callbacks)

    assert len(receiver.received) == 1
    [rest] = take_messages(redis)
    assert rest.args == [org.organization.pk, batch.args[1][1:]]
    assert rest.eta is None


def test_a_batch_stopped_by_the_soft_time_limit_queues_the_rest_and_the_sweep_sends_the_cut_one(
    org: OrgPeople,
    receiver: Receiver,
    redis: ThrowawayRedis,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    register(org, receiver.url(), MEMBER_EVENTS)
    real_post, posts = ssrf.post, []

    def cut_on_the_second(url: str, **options: Any) -> ssrf.Answer:
        posts.append(url)
        if len(posts) == 2:  # a receiver trickling its answer until the soft limit
            raise SoftTimeLimitExceeded()
        return real_post(url, **options)

    monkeypatch.setattr(ssrf, "post", cut_on_the_second)
    with time_machine.travel(START, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            sync(org, chain(4))
        [batch] = take_messages(redis)
        run([batch], django_capture_on_commit_callbacks)

        [rest] = take_messages(redis)
        assert rest.args == [org.organization.pk, batch.args[1][2:]]
        run([rest], django_capture_on_commit_callbacks)
        assert len(receiver.received) == 3

        clock.shift(deliveries.CLAIM_LEASE)  # the cut attempt's claim lapses
        with organization_scope(org.organization):
            webhook_deliveries_due(org.organization, timezone.now())
        run(take_messages(redis), django_capture_on_commit_callbacks)

    assert len(receiver.received) == 4
    with organization_scope(org.organization):
        cut = WebhookDelivery.objects.get(pk=batch.args[1][1])
        assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"succeeded"}
    assert cut.attempt_count == 2  # the cut attempt counts, though nothing was recorded

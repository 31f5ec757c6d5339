"""The sweep in batches: statements and broker messages per batch are bounded, a repeat run
creates nothing for a constant cost per batch, a stopped sweep resumes without duplicates,
an infrastructure error makes the task retry, and a missed "1:1 tomorrow" is caught up."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from celery.exceptions import Retry, SoftTimeLimitExceeded
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from goals.models import Goal
from perfmgmt.notifications import ledger, sweep
from perfmgmt.notifications.ledger import Due
from perfmgmt.notifications.models import Notification
from perfmgmt.notifications.tasks import sweep_organization
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, Organization
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory
from tests.feedback.meetings.factories import make_meeting, make_series
from tests.goals.factories import GoalFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def statements(context: CaptureQueriesContext) -> list[str]:
    """The statements that did work (savepoints are the test's transaction showing)."""
    return [q["sql"] for q in context.captured_queries if "SAVEPOINT" not in q["sql"]]


def dues(people: list[Membership], count: int, prefix: str = "test") -> list[Due]:
    return [
        Due(
            recipient=people[number % len(people)],
            kind="test",
            key=f"{prefix}:{number}",
            texts=lambda: ("A title", "A body"),
        )
        for number in range(count)
    ]


def stale_goals(org: OrgPeople, people: int) -> list[Membership]:
    """`people` new people, each owning one goal last touched 30 days before NOW."""
    members = MembershipFactory.create_batch(people, organization=org.organization)
    for member in members:
        GoalFactory.create(
            organization=org.organization, owner_person=member, created_at=NOW - timedelta(30)
        )
    return members


def keys(organization: Organization, kind: str | None = None) -> Counter[tuple[int, str]]:
    with organization_scope(organization):
        rows = Notification.objects.all()
        if kind:
            rows = rows.filter(kind=kind)
        return Counter(rows.values_list("recipient_id", "key"))


def test_500_reminders_take_three_statements_and_one_broker_message(
    org: OrgPeople, django_capture_on_commit_callbacks: Any
) -> None:
    people = [org.report, org.report2, org.manager]
    with (
        organization_scope(org.organization),
        CaptureQueriesContext(connection) as context,
        django_capture_on_commit_callbacks() as callbacks,
    ):
        created = ledger.deliver(dues(people, 500))

    assert created == 500
    # One look-up of the batch's keys, one INSERT ... ON CONFLICT DO NOTHING RETURNING, and
    # the outbox marking the created rows queued (one UPDATE ... = ANY(array)).
    assert len(statements(context)) == 3
    assert len(callbacks) == 1  # emails_queue: one broker message per 500 emails
    assert sum(keys(org.organization).values()) == 500


def test_a_repeat_run_costs_one_statement_per_batch_and_queues_nothing(
    org: OrgPeople, django_capture_on_commit_callbacks: Any
) -> None:
    people = [org.report, org.report2]
    with organization_scope(org.organization):
        ledger.deliver(dues(people, 300))
        with (
            CaptureQueriesContext(connection) as context,
            django_capture_on_commit_callbacks() as callbacks,
        ):
            again = ledger.deliver(dues(people, 300), size=100)

    assert again == 0
    assert len(statements(context)) == 3  # three batches, one look-up each, no insert
    assert callbacks == []


def test_a_recipient_of_another_organization_is_left_out(org: OrgPeople, other_org: OrgPeople):
    with organization_scope(org.organization):
        created = ledger.deliver(dues([org.report, other_org.report], 4))
    assert created == 2
    assert keys(other_org.organization) == Counter()


def goal_sweep_statements(org: OrgPeople) -> tuple[int, int]:
    """(statements, notifications created) of one goal-not-updated run at NOW."""
    producer = sweep.registered_reminders()["goal-not-updated"]
    with organization_scope(org.organization), CaptureQueriesContext(connection) as context:
        created = producer(org.organization, sweep.local_now(org.organization, NOW))
    return len(statements(context)), created or 0


@pytest.mark.parametrize("people", [20, 200])
def test_a_repeat_sweep_costs_the_same_at_20_and_200_people(org: OrgPeople, people: int) -> None:
    stale_goals(org, people)
    first_statements, first = goal_sweep_statements(org)
    again_statements, again = goal_sweep_statements(org)

    assert first == people
    assert again == 0
    # Reading the organization's setting, one keyset page of goals, one look-up of their
    # keys and the insert: the same at 20 and at 200 people. Again, the page of goals leaves
    # out in SQL the ones reminded this period: it is empty, and nothing else runs.
    assert first_statements <= 4
    assert again_statements <= 2


def test_a_sweep_stopped_by_its_time_limit_resumes_without_duplicates(
    org: OrgPeople, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale_goals(org, 12)
    invited = MembershipFactory.create(organization=org.organization)
    monkeypatch.setattr(ledger, "BATCH", 5)
    real_insert, calls = ledger._insert, []

    def insert_then_run_out_of_time(*args: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:  # the second batch of goal reminders
            raise SoftTimeLimitExceeded()
        return real_insert(*args)

    monkeypatch.setattr(ledger, "_insert", insert_then_run_out_of_time)
    with pytest.raises(sweep.SweepInterrupted) as stopped:
        sweep.run_sweep(organization=org.organization, now=NOW)

    assert stopped.value.producer == "goal-not-updated"
    assert sum(keys(org.organization, "goal-not-updated").values()) == 5  # batch 1 committed

    sweep.run_sweep(organization=org.organization, now=NOW, resume_from="goal-not-updated")
    sweep.run_sweep(organization=org.organization, now=NOW)

    goal_keys = keys(org.organization, "goal-not-updated")
    with organization_scope(org.organization):
        assert sum(goal_keys.values()) == Goal.objects.count() == 12
    assert max(goal_keys.values()) == 1
    assert invited.pk not in {recipient for recipient, _ in goal_keys}


def test_the_task_continues_after_its_time_limit_so_later_producers_still_run(
    org: OrgPeople, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[str] = []

    @sweep.reminder("aaa-slow")
    def slow(organization: Organization, now: datetime) -> int:
        ran.append("aaa-slow")
        if ran.count("aaa-slow") == 1:
            raise SoftTimeLimitExceeded()
        return 0

    @sweep.reminder("zzz-later")
    def later(organization: Organization, now: datetime) -> int:
        ran.append("zzz-later")
        return 0

    try:
        # Eager: the continuation the task queues runs right away.
        result = sweep_organization.delay(org.organization.pk).get()
    finally:
        sweep.unregister("aaa-slow")
        sweep.unregister("zzz-later")

    assert ran == ["aaa-slow", "aaa-slow", "zzz-later"]
    assert result == {}  # the first task stopped before any producer finished


def test_a_database_error_makes_the_sweep_retry_instead_of_succeeding(
    org: OrgPeople, caplog: pytest.LogCaptureFixture
) -> None:
    attempts: list[int] = []

    @sweep.reminder("aaa-database-down")
    def database_down(organization: Organization, now: datetime) -> int:
        attempts.append(1)
        raise OperationalError("connection refused")

    try:
        # Run in-process, the retry surfaces as Retry (a worker queues the task again after
        # the backoff); either way the task does not report success.
        with caplog.at_level(logging.ERROR), pytest.raises(Retry) as retry:
            sweep_organization.apply((org.organization.pk,))
    finally:
        sweep.unregister("aaa-database-down")

    assert isinstance(retry.value.exc, OperationalError)
    assert attempts == [1]
    failures = [r for r in caplog.records if "sweep_producer_failures=1" in r.getMessage()]
    assert failures
    assert all(r.levelno == logging.ERROR for r in failures)
    assert "producer=aaa-database-down" in failures[0].getMessage()


def test_the_other_producers_still_run_before_the_retry(org: OrgPeople) -> None:
    stale_goals(org, 3)

    @sweep.reminder("aaa-database-down")
    def database_down(organization: Organization, now: datetime) -> int:
        raise OperationalError("connection refused")

    try:
        with pytest.raises(OperationalError):
            sweep.run_sweep(organization=org.organization, now=NOW)
    finally:
        sweep.unregister("aaa-database-down")

    assert sum(keys(org.organization, "goal-not-updated").values()) == 3


def local(org: OrgPeople, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=org.organization.zone)


def prepare_titles(org: OrgPeople) -> list[tuple[int, str, str]]:
    with organization_scope(org.organization):
        rows = Notification.objects.filter(kind="one-on-one-prepare").order_by("recipient_id")
        return list(rows.values_list("recipient_id", "key", "title"))


def test_a_1_1_whose_day_before_was_missed_is_announced_on_the_day(org: OrgPeople) -> None:
    meeting = make_meeting(make_series(org.manager, org.report), when=local(org, 24, 15))
    make_meeting(make_series(org.manager, org.report2), when=local(org, 24, 9, 30))

    # Every sweep of the 23rd failed; the first one that works runs at 09:00 on the 24th.
    with time_machine.travel(local(org, 24, 9), tick=False):
        sweep.run_sweep(organization=org.organization, now=local(org, 24, 9))

    key = f"one-on-one-prepare:{meeting.pk}:2026-11-24"
    assert prepare_titles(org) == sorted(
        [
            (org.manager.pk, key, f"1:1 with {org.report.display_name} today at 15:00"),
            (org.report.pk, key, f"1:1 with {org.manager.display_name} today at 15:00"),
        ]
    )  # the 09:30 meeting is too close to prepare for: nothing


def test_a_1_1_announced_the_day_before_is_not_announced_again_on_the_day(org: OrgPeople):
    make_meeting(make_series(org.manager, org.report), when=local(org, 24, 15))

    sweep.run_sweep(organization=org.organization, now=local(org, 23, 18))
    sweep.run_sweep(organization=org.organization, now=local(org, 24, 9))

    titles = prepare_titles(org)
    assert len(titles) == 2
    assert all("tomorrow" in title for _, _, title in titles)


def test_the_broker_redelivers_no_task_that_is_still_running_and_strands_none_past_a_tick(
    settings: Any,
) -> None:
    from perfmgmt.celery import app
    from perfmgmt.notifications.schedules import SCHEDULES

    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    visibility = options["visibility_timeout"]
    # How often a live worker looks for a dead one's messages (kombu: interval x throttle).
    scan = options["unacked_restore_interval"] * options["unacked_restore_throttle"]
    ours = {
        name: task
        for name, task in app.tasks.items()
        if name.startswith(("perfmgmt.", "goals.", "feedback.", "reviews.", "rewards."))
    }
    # Every task has a hard limit: one that could outlive the visibility timeout would be
    # handed to a second worker while it still runs.
    assert [name for name, task in ours.items() if not task.time_limit] == []
    limits = [task.time_limit for task in ours.values() if task.time_limit]
    sweep_interval = {s.task: s.every_minutes * 60 for s in SCHEDULES}[
        "perfmgmt.notifications.tasks.sweep_all_organizations"
    ]
    assert limits
    assert max(limits) < visibility
    assert visibility + scan <= sweep_interval  # a dead worker's messages are back in a tick
    assert settings.CELERY_TASK_ACKS_LATE
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    soft, hard = sweep_organization.soft_time_limit, sweep_organization.time_limit
    assert soft is not None
    assert hard is not None
    assert soft < hard < sweep_interval

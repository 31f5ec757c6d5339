"""The reminder sweep at 100,000 people, run the way the worker runs it: an optional long
benchmark, not part of `make bench` (it takes several minutes and about a gigabyte of
database writes).

    python -m bench.sweep_huge                          # 100,000 people, the task's own limits
    python -m bench.sweep_huge --people 10000 --soft-limit 10 --hard-limit 15

Seeds the `sweep` profile (bench/seed_sweep.py: about 2.1 reminders due a person, from
three producers) and commits it, because the sweep commits batch by batch as it does in
production. Then it calls the `sweep_organization` task in this process, with Celery's
soft and hard time limits simulated the way the prefork pool delivers them (a signal that
raises `SoftTimeLimitExceeded` wherever the task is, even inside a SQL statement; a second
one at the hard limit, which here stops the benchmark where a worker would kill the
process). Every continuation the task queues is run the same way, in order, until none is
left; broker messages are counted (and their notification ids collected), not sent. Time
runs from `seed_sweep.MOMENT`, so the same reminders are due whatever the day.

It prints each task (where it resumed: the producer and the keyset position it starts
after; what it created, the rows the producers read through the ledger's keyset pages,
statements, broker messages, time, how it ended), the reminders created per producer
against what the profile makes due, whether every created email was queued exactly once,
and a repeat run (a fresh task) that must create nothing at a constant number of
statements per batch of 500 people. At the end the organization and its people are
deleted again (one transaction), so nothing stays.
Run it only against a database of your own.
"""

from __future__ import annotations

import argparse
import os
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

MESSAGES_PER_100000_TARGET = 200
BATCH_OF_PEOPLE = 500


class HardTimeLimit(BaseException):
    """Where a worker would kill the process: nothing of the task runs after it."""


@dataclass
class TaskRun:
    resume_from: str | None
    continuation: int
    after: dict[str, int] = field(default_factory=dict)
    created: int = 0
    rows: int = 0
    statements: int = 0
    messages: int = 0
    seconds: float = 0.0
    ended: str = "returned"


@dataclass
class Broker:
    """Stands in for the broker: counts the messages the sweep sends."""

    emails: list[list[int]] = field(default_factory=list)
    sweeps: list[dict[str, Any]] = field(default_factory=list)

    def send_emails(self, organization_id: int, notification_ids: list[int]) -> None:
        self.emails.append(list(notification_ids))

    def send_sweep(self, args: tuple[Any, ...], kwargs: dict[str, Any], **options: Any) -> None:
        self.sweeps.append({"args": args, "kwargs": kwargs})


@contextmanager
def time_limits(soft: float, hard: float) -> Iterator[None]:
    """Celery's limits as the prefork pool applies them: `SoftTimeLimitExceeded` raised in
    the task at `soft` seconds, and the task ended at `hard` seconds."""
    from celery.exceptions import SoftTimeLimitExceeded

    fired = False

    def on_alarm(signum: int, frame: Any) -> None:
        nonlocal fired
        if not fired:
            fired = True
            signal.setitimer(signal.ITIMER_REAL, max(hard - soft, 0.001))
            raise SoftTimeLimitExceeded()
        raise HardTimeLimit()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, soft)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def counted_statements() -> Iterator[Callable[[], int]]:
    """Statements sent on the default connection (savepoints left out), counted as they go:
    Django's own query log keeps only the last 9,000."""
    from django.db import connection

    count = 0

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal count
        if "SAVEPOINT" not in sql:
            count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        yield lambda: count


@contextmanager
def counted_rows() -> Iterator[Callable[[], int]]:
    """Rows the producers read through the ledger's keyset pages (`ledger.pages`)."""
    from perfmgmt.notifications import ledger

    count, real_pages = 0, ledger.pages

    def counting(queryset: Any, **options: Any) -> Iterator[list[Any]]:
        nonlocal count
        for page in real_pages(queryset, **options):
            count += len(page)
            yield page

    with mock.patch.object(ledger, "pages", counting):
        yield lambda: count


def notifications_count(organization_id: int) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM notifications_notification WHERE organization_id = %s",
            [organization_id],
        )
        return int(cursor.fetchone()[0])


def run_task(
    organization_id: int, kwargs: dict[str, Any], broker: Broker, soft: float, hard: float
) -> TaskRun:
    """One `sweep_organization` task, as a worker runs it, under its time limits."""
    from django.db import connection

    from perfmgmt.notifications.tasks import sweep_organization

    run = TaskRun(
        resume_from=kwargs.get("resume_from"),
        continuation=kwargs.get("continuation", 0),
        after=(kwargs.get("position") or {}).get("after", {}),
    )
    before, messages = notifications_count(organization_id), len(broker.emails)
    sweeps = len(broker.sweeps)
    started = time.perf_counter()
    with counted_statements() as statements, counted_rows() as rows:
        try:
            with time_limits(soft, hard):
                sweep_organization(organization_id, **kwargs)
        except HardTimeLimit:
            run.ended = "killed at the hard limit"
            connection.close()  # the worker's process, and its connection, would be gone
        run.statements = statements()
        run.rows = rows()
    run.seconds = time.perf_counter() - started
    run.created = notifications_count(organization_id) - before
    run.messages = len(broker.emails) - messages
    if len(broker.sweeps) > sweeps:
        run.ended = "continued"
    return run


def sweep_until_done(
    organization_id: int, broker: Broker, soft: float, hard: float
) -> list[TaskRun]:
    """The task, then every continuation it queues, each under the limits."""
    from perfmgmt.notifications.tasks import send_notification_emails, sweep_organization

    pending: list[dict[str, Any]] = [{}]
    runs: list[TaskRun] = []
    with (
        mock.patch.object(send_notification_emails, "delay", broker.send_emails),
        mock.patch.object(sweep_organization, "apply_async", broker.send_sweep),
    ):
        while pending:
            kwargs = pending.pop(0)
            queued = len(broker.sweeps)
            run = run_task(organization_id, kwargs, broker, soft, hard)
            runs.append(run)
            if run.ended.startswith("killed"):
                break
            pending += [message["kwargs"] for message in broker.sweeps[queued:]]
    return runs


def created_by_kind(organization_id: int) -> dict[str, tuple[int, int]]:
    """Per kind: (rows, distinct recipient and key pairs)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind, count(*), count(DISTINCT (recipient_id, key)) "
            "FROM notifications_notification WHERE organization_id = %s GROUP BY kind",
            [organization_id],
        )
        return {kind: (rows, pairs) for kind, rows, pairs in cursor.fetchall()}


def pending_email_ids(organization_id: int) -> set[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM notifications_notification "
            "WHERE organization_id = %s AND email_state = 'pending'",
            [organization_id],
        )
        return {row[0] for row in cursor.fetchall()}


def delete_organization(organization_id: int) -> None:
    """Every row of the organization and its people's logins, in one transaction (the
    foreign keys are checked at its end)."""
    from django.apps import apps
    from django.db import connection, transaction

    from perfmgmt.tenancy.models import Organization

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM accounts_user WHERE id IN "
            "(SELECT user_id FROM tenancy_membership WHERE organization_id = %s)",
            [organization_id],
        )
        for model in apps.get_models():
            for column in model._meta.concrete_fields:
                if column.many_to_one and column.related_model is Organization:
                    cursor.execute(
                        f"DELETE FROM {model._meta.db_table} "  # noqa: S608 (model metadata)
                        f"WHERE {column.column} = %s",
                        [organization_id],
                    )
        cursor.execute("DELETE FROM tenancy_organization WHERE id = %s", [organization_id])


TASK_HEADER = (
    f"{'task':>4} {'resumes at':<22} {'after':>12} {'created':>8} {'rows read':>9} "
    f"{'stmts':>6} {'msgs':>5} {'time':>8}  ended"
)


def task_line(number: int, run: TaskRun) -> str:
    after = ",".join(f"{scan} {pk}" for scan, pk in run.after.items()) or "-"
    return (
        f"{number:>4} {run.resume_from or '-':<22} {after:>12} {run.created:>8} {run.rows:>9} "
        f"{run.statements:>6} {run.messages:>5} {run.seconds:>7.1f}s  {run.ended}"
    )


def report(
    profile: Any, runs: list[TaskRun], repeat: list[TaskRun], broker: Broker, organization_id: int
) -> list[str]:
    """The verdict lines: per producer, then the totals against the targets."""
    from perfmgmt.notifications.tasks import MAX_CONTINUATIONS

    lines = [f"{'producer':<22} {'expected':>9} {'created':>9} {'once':>5}"]
    by_kind, expected = created_by_kind(organization_id), profile.expected()
    complete = True
    for kind in sorted(set(expected) | set(by_kind)):
        rows, pairs = by_kind.get(kind, (0, 0))
        ok = rows == expected.get(kind, 0) and rows == pairs
        complete = complete and ok
        lines.append(f"{kind:<22} {expected.get(kind, 0):>9} {rows:>9} {'yes' if ok else 'NO':>5}")
    total = sum(rows for rows, _ in by_kind.values())
    queued = [pk for batch in broker.emails for pk in batch]
    once = Counter(queued)
    emails_once = set(once) == pending_email_ids(organization_id) and max(once.values()) == 1
    per_100000 = 100_000 * len(broker.emails) / max(total, 1)
    continuations = len(runs) - 1
    killed = any(run.ended.startswith("killed") for run in runs + repeat)
    again = TaskRun(None, 0)
    again.created = sum(task.created for task in repeat)
    again.messages = sum(task.messages for task in repeat)
    again.statements = sum(task.statements for task in repeat)
    again.seconds = sum(task.seconds for task in repeat)
    batches = max(profile.people / BATCH_OF_PEOPLE, 1)
    one_pass = 3 * profile.people + min(profile.series, max(profile.people - 1, 0))

    def verdict(ok: bool) -> str:
        return "pass" if ok else "FAIL"

    lines += [
        f"all {sum(expected.values())} due reminders created, each once: "
        f"{total}  {verdict(complete)}",
        f"every created email queued exactly once ({len(queued)} ids in {len(broker.emails)} "
        f"messages)  {verdict(emails_once)}",
        f"broker messages per 100,000 reminders: {per_100000:.1f} "
        f"(<= {MESSAGES_PER_100000_TARGET})  {verdict(per_100000 <= MESSAGES_PER_100000_TARGET)}",
        f"continuations: {continuations} (<= {MAX_CONTINUATIONS}), "
        f"{sum(run.seconds for run in runs):.0f} s in all  "
        f"{verdict(continuations <= MAX_CONTINUATIONS)}",
        f"no task reached its hard time limit  {verdict(not killed)}",
        f"rows read by the tasks: {sum(run.rows for run in runs)}; one pass over the "
        f"candidates (people twice, goals, meetings): {one_pass}; a re-read page per cut "
        f"at most: {one_pass + continuations * BATCH_OF_PEOPLE}  "
        f"{verdict(sum(run.rows for run in runs) <= one_pass + continuations * BATCH_OF_PEOPLE)}",
        f"repeat run: created {again.created}, queued {again.messages}, {again.statements} "
        f"statements ({again.statements / batches:.2f} per batch of {BATCH_OF_PEOPLE} people), "
        f"{len(repeat)} task(s), {again.seconds:.1f} s  "
        f"{verdict(again.created == 0 and again.messages == 0)}",
    ]
    return lines


def run(
    people: int, soft: float | None = None, hard: float | None = None, out: Any = print
) -> list[str]:
    """Seed, sweep until done, sweep again, delete; print as it goes; the verdict lines."""
    import time_machine
    from django.db import connection, transaction

    from bench.seed_sweep import MOMENT, SweepProfile, seed_sweep
    from perfmgmt.notifications import tasks

    soft = soft or tasks.SWEEP_SOFT_TIME_LIMIT
    hard = hard or tasks.SWEEP_TIME_LIMIT
    profile = SweepProfile(people=people)
    started = time.perf_counter()
    with transaction.atomic():
        organization_id = seed_sweep(profile).organization.pk
    out(
        f"Reminder sweep at {profile.people} people (database {connection.settings_dict['NAME']}"
        f"), seeded in {time.perf_counter() - started:.1f} s; through sweep_organization with "
        f"its limits (soft {soft:.0f} s, hard {hard:.0f} s), at {MOMENT:%a %d %b %Y %H:%M} UTC; "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    broker = Broker()
    try:
        with time_machine.travel(MOMENT, tick=True):
            runs = sweep_until_done(organization_id, broker, soft, hard)
            out(TASK_HEADER)
            for number, task in enumerate(runs, 1):
                out(task_line(number, task))
            repeat = sweep_until_done(organization_id, Broker(), soft, hard)
            out("repeat run:")
            for number, task in enumerate(repeat, 1):
                out(task_line(number, task))
        verdicts = report(profile, runs, repeat, broker, organization_id)
        for line in verdicts:
            out(line)
    finally:
        delete_organization(organization_id)
        out(f"Deleted the organization; load average {os.getloadavg()[0]:.1f}")
    return verdicts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--soft-limit", type=float, help="seconds (default: the task's own)")
    parser.add_argument("--hard-limit", type=float, help="seconds (default: the task's own)")
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfmgmt.settings.dev")
    import django

    django.setup()
    run(
        arguments.people,
        arguments.soft_limit,
        arguments.hard_limit,
        out=lambda line: print(line, flush=True),
    )


if __name__ == "__main__":
    main()

"""Reminder sweep benchmark: statements and broker messages per 1,000 reminders, and what a
repeat run costs, at two organization sizes side by side.

    python -m bench.sweep                        # 1,000 and 10,000 people
    python -m bench.sweep --small 200 --large 2000
    python -m bench.sweep --huge                 # 100,000 people, the task's limits (sweep_huge.py)

Builds two throwaway organizations in one transaction (bulk inserts, deterministic): people
in a flat list, each owning two goals not updated for 30 days, so the goal-not-updated
reminder is due twice a person. Then it runs the whole sweep of each organization (every
registered producer, as `sweep_organization` does) twice: the first run creates the
reminders, the repeat run must create none. It counts the SQL statements each run sends
(Django's CaptureQueriesContext, savepoints left out) and the broker messages it queues
(the after-commit callbacks it registers: `services.emails_queue` queues one message per
100 emails after commit; everything here is rolled back, so they are counted, not sent).
Everything is rolled back at the end: nothing stays in the database. A benchmark, not a
test (tests/notifications/test_sweep_batches.py holds the bounded counts in `make test`).
"""

from __future__ import annotations

import argparse
import os
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

GOALS_PER_PERSON = 2
# Issue 13's targets: <= 200 broker messages per 100,000 reminders; a repeat run O(1)
# statements per batch, i.e. per 1,000 people about the same at both sizes.
MESSAGES_PER_1000_TARGET = 2.0
REPEAT_GROWTH_TARGET = 1.5


@dataclass(frozen=True)
class Run:
    people: int
    created: int
    statements: int
    messages: int
    seconds: float

    def per_1000(self, count: int, of: int) -> float:
        return 1000 * count / of if of else 0.0


@dataclass(frozen=True)
class SizeResult:
    people: int
    first: Run
    repeat: Run

    def line(self) -> str:
        first, repeat = self.first, self.repeat
        return (
            f"{self.people:>7} {first.created:>9} {first.statements:>6} "
            f"{first.per_1000(first.statements, first.created):>9.1f} {first.messages:>6} "
            f"{first.per_1000(first.messages, first.created):>8.1f} {first.seconds:>7.2f} s | "
            f"{repeat.created:>7} {repeat.statements:>6} "
            f"{repeat.per_1000(repeat.statements, self.people):>10.1f} {repeat.messages:>6} "
            f"{repeat.seconds:>7.2f} s"
        )


HEADER = (
    f"{'people':>7} {'reminders':>9} {'stmts':>6} {'per 1000':>9} {'msgs':>6} {'per 1000':>8}"
    f" {'time':>9} | {'repeat':>7} {'stmts':>6} {'per 1000 p.':>10} {'msgs':>6} {'time':>9}"
)


class _RollBack(Exception):
    pass


def _organization(people: int, now: Any) -> Any:
    """An organization of `people`, each with GOALS_PER_PERSON goals silent for 30 days."""
    from goals.models import Goal, GoalStatus, OwnerKind
    from perfmgmt.accounts.models import User
    from perfmgmt.tenancy.context import organization_scope
    from perfmgmt.tenancy.models import Membership, Organization

    tag = uuid.uuid4().hex[:8]
    organization = Organization.objects.create(name=f"Bench {people}", slug=f"bench-{tag}")
    with organization_scope(organization):
        users = User.objects.bulk_create(
            [
                User(email=f"bench-{tag}-{n}@example.invalid", full_name=f"Person {n:06d}")
                for n in range(people)
            ],
            batch_size=2000,
        )
        members = Membership.objects.bulk_create(
            [
                Membership(organization=organization, user=user, full_name=user.full_name)
                for user in users
            ],
            batch_size=2000,
        )
        Goal.objects.bulk_create(
            [
                Goal(
                    organization=organization,
                    owner_kind=OwnerKind.PERSON,
                    owner_person=member,
                    title=f"Goal {n} of {member.full_name}",
                    status=GoalStatus.ACTIVE,
                    created_at=now - timedelta(days=30),
                )
                for member in members
                for n in range(GOALS_PER_PERSON)
            ],
            batch_size=5000,
        )
    return organization


def _sweep(organization: Any, people: int, now: Any) -> Run:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from perfmgmt.notifications.models import Notification
    from perfmgmt.notifications.sweep import run_sweep
    from perfmgmt.tenancy.context import organization_scope

    with organization_scope(organization):
        before = Notification.objects.count()
    callbacks = len(connection.run_on_commit)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as context:
        run_sweep(organization=organization, now=now)
    seconds = time.perf_counter() - started
    with organization_scope(organization):
        created = Notification.objects.count() - before
    statements = [q for q in context.captured_queries if "SAVEPOINT" not in q["sql"]]
    return Run(
        people=people,
        created=created,
        statements=len(statements),
        messages=len(connection.run_on_commit) - callbacks,
        seconds=seconds,
    )


def run(small_people: int = 1000, large_people: int = 10_000) -> list[SizeResult]:
    """Build both organizations, sweep each twice, roll back."""
    from django.db import connection, transaction
    from django.utils import timezone

    now = timezone.now()
    results: list[SizeResult] = []
    try:
        with transaction.atomic():
            sizes = (small_people, large_people)
            built = [(people, _organization(people, now)) for people in sizes]
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE tenancy_membership")
                cursor.execute("ANALYZE goals_goal")
            for people, organization in built:
                first = _sweep(organization, people, now)
                repeat = _sweep(organization, people, now)
                results.append(SizeResult(people=people, first=first, repeat=repeat))
            raise _RollBack
    except _RollBack:
        pass
    return results


def verdicts(results: list[SizeResult]) -> list[str]:
    small, large = results[0], results[-1]
    messages = max(r.first.per_1000(r.first.messages, r.first.created) for r in results)
    growth = large.repeat.per_1000(large.repeat.statements, large.people) / max(
        small.repeat.per_1000(small.repeat.statements, small.people), 1e-9
    )
    created_none = all(r.repeat.created == 0 and r.repeat.messages == 0 for r in results)
    return [
        f"broker messages per 1,000 reminders: {messages:.1f} "
        f"(<= {MESSAGES_PER_1000_TARGET:.0f})  {'pass' if messages <= 2.0 else 'FAIL'}",
        f"repeat run statements per 1,000 people, large / small: {growth:.2f}x "
        f"(<= {REPEAT_GROWTH_TARGET}x)  {'pass' if growth <= REPEAT_GROWTH_TARGET else 'FAIL'}",
        f"repeat run creates nothing and queues nothing  {'pass' if created_none else 'FAIL'}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1000, help="people in the small organization")
    parser.add_argument("--large", type=int, default=10_000, help="people in the large one")
    parser.add_argument(
        "--huge",
        action="store_true",
        help="instead: 100,000 people through the task under its time limits (long; commits "
        "and deletes its data, so only against a database of your own)",
    )
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfmgmt.settings.dev")
    import django

    django.setup()
    if arguments.huge:
        from bench.sweep_huge import run as run_huge

        run_huge(100_000, out=lambda line: print(line, flush=True))
        return
    results = run(arguments.small, arguments.large)
    print(
        f"Reminder sweep: {arguments.small} vs {arguments.large} people "
        f"({GOALS_PER_PERSON} due reminders a person), first run | repeat run"
    )
    print(HEADER)
    for result in results:
        print(result.line(), flush=True)
    for verdict in verdicts(results):
        print(verdict)


if __name__ == "__main__":
    main()

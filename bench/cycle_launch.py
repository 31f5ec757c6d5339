"""Cycle-launch benchmark: launch a review cycle for N people, beside a COPY of as many rows.

    python -m bench.cycle_launch                 # 1,000 and 10,000 people
    python -m bench.cycle_launch --people 2000   # one size

Builds a throwaway organization (N people in a reporting tree, a template, a cycle with a
self-assessment and a manager phase), runs the launch job as the worker would, and prints
its time and statement count beside PostgreSQL COPY writing the same rows (one participant
and up to two reviews a person) into tables shaped like the real ones, with their indexes
and unique constraints (not their foreign keys: those are timed apart, for the launch).
Everything is rolled back at the end: nothing stays in the database. A benchmark, not a
test (tests/reviews/test_cycles_bench.py runs it small so it cannot rot).
"""

from __future__ import annotations

import argparse
import os
import time
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from datetime import time as clock
from typing import Any


@dataclass(frozen=True)
class Result:
    people: int
    participants: int
    reviews: int
    launch_seconds: float
    launch_statements: int
    copy_seconds: float
    # The launch's foreign-key checks: Django's are deferred to commit, which the benchmark
    # never reaches, so they are run on their own (SET CONSTRAINTS ALL IMMEDIATE) and timed.
    foreign_key_seconds: float = 0.0

    @property
    def ratio(self) -> float:
        return self.launch_seconds / self.copy_seconds if self.copy_seconds else float("inf")

    def line(self) -> str:
        return (
            f"{self.people:>7} people: launch {self.launch_seconds:7.3f} s in "
            f"{self.launch_statements:>4} statements "
            f"({self.participants} participants, {self.reviews} reviews); "
            f"COPY of the same rows {self.copy_seconds:7.3f} s; launch/COPY {self.ratio:4.1f}x; "
            f"the launch's foreign-key checks at commit {self.foreign_key_seconds:6.3f} s"
        )


class _RollBack(Exception):
    pass


def _people(organization: Any, count: int) -> list[Any]:
    """`count` people in a reporting tree: person n reports to person (n - 1) // 10."""
    from django.db import connection

    from perfmgmt.accounts.models import User
    from perfmgmt.tenancy.models import Membership

    tag = uuid.uuid4().hex[:8]
    users = User.objects.bulk_create(
        [
            User(email=f"bench-{tag}-{n}@example.invalid", full_name=f"Person {n}")
            for n in range(count)
        ],
        batch_size=2000,
    )
    people = Membership.objects.bulk_create(
        [
            Membership(organization=organization, user=user, full_name=user.full_name)
            for user in users
        ],
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute(_TREE_SQL, [organization.pk])
        # An organization of this size has statistics; freshly bulk-loaded rows do not yet
        # (autovacuum would analyze them later), and without them the planner reads the
        # whole organization for every manager it looks up.
        cursor.execute("ANALYZE tenancy_membership")
    return people


_TREE_SQL = """
WITH ranked AS (
    SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM tenancy_membership
    WHERE organization_id = %s
)
UPDATE tenancy_membership m SET manager_id = boss.id
FROM ranked me JOIN ranked boss ON boss.n = (me.n - 1) / 10
WHERE m.id = me.id AND me.n > 0
"""


def _template(hr: Any) -> Any:
    from reviews.models import QuestionKind, ReviewerKind
    from reviews.services.setup import (
        LevelInput,
        rating_scale_create,
        review_template_create,
        template_question_create,
        template_section_create,
    )

    scale = rating_scale_create(
        actor=hr, name="Bench scale", levels=[LevelInput(1, "Low"), LevelInput(2, "High")]
    )
    template = review_template_create(actor=hr, name="Bench template")
    section = template_section_create(actor=hr, template=template, title="Results")
    template_question_create(
        actor=hr,
        section=section,
        kind=QuestionKind.OVERALL,
        prompt="Overall",
        answered_by=[ReviewerKind.SELF, ReviewerKind.MANAGER],
        scale=scale,
    )
    return template


# The real tables' columns, defaults, check constraints, primary keys, unique constraints
# and indexes; not their foreign keys (LIKE never copies those).
_SHAPED_LIKE = "INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES"


def _copy_seconds(participants: int, reviews: int) -> float:
    """COPY as many participant and review rows into tables shaped like the real ones, with
    their indexes and unique constraints, so the floor pays for keeping them. Ordinary
    tables, not temporary ones: they write WAL and use shared buffers like the real tables
    (a temporary table does neither); the rollback at the end drops them."""
    from django.db import connection

    tag = uuid.uuid4().hex[:8]
    participant_table, review_table = f"bench_participant_{tag}", f"bench_review_{tag}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {participant_table} (LIKE reviews_participant {_SHAPED_LIKE})"
        )
        cursor.execute(f"CREATE TABLE {review_table} (LIKE reviews_review {_SHAPED_LIKE})")
        now, null = "2026-01-01 00:00:00+00", "\\N"

        # Values like the launch's: person n reports to person (n - 1) // 10; each writes a
        # self review, and each but the first has a manager review.
        participant_rows = "".join(
            f"{n}\t1\t1\t{n}\t{(n - 1) // 10 if n else null}\t1\t\\N\t\\N\tf\t{now}"
            "\t\\N\t\\N\t\t\\N\t\\N\n"
            for n in range(participants)
        )
        authors = [(n, "self", n) for n in range(participants)]
        authors += [(n, "manager", (n - 1) // 10) for n in range(1, participants)]
        review_rows = "".join(
            f"{row}\t1\t{participant}\t{kind}\t{author}\tnot_started\t0\t\\N\t\\N\t\\N\t\\N\t\\N\n"
            for row, (participant, kind, author) in enumerate(authors[:reviews])
        )
        columns_p = (
            "id, organization_id, cycle_id, reviewee_id, manager_id, snapshot_id, self_deadline,"
            " manager_deadline, added_late, created_at, released_at, released_by_id,"
            " employee_comment, commented_at, acknowledged_at"
        )
        columns_r = (
            "id, organization_id, participant_id, kind, author_id, status, version, started_at,"
            " updated_at, submitted_at, superseded_at, reopened_at"
        )
        raw = cursor.cursor  # psycopg 3
        started = time.perf_counter()
        with raw.copy(f"COPY {participant_table} ({columns_p}) FROM STDIN") as copy:
            copy.write(participant_rows)
        with raw.copy(f"COPY {review_table} ({columns_r}) FROM STDIN") as copy:
            copy.write(review_rows)
        return time.perf_counter() - started


def run(people: int) -> Result:
    """Build, launch, measure, roll back."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from perfmgmt.tenancy.context import organization_scope
    from perfmgmt.tenancy.models import Organization, Role
    from reviews.models import Participant, PhaseKind, Review
    from reviews.services.cycles.configure import PhaseInput, cycle_create, cycle_phases_set
    from reviews.services.cycles.launch import cycle_launch, cycle_launch_run

    result: Result | None = None
    try:
        with transaction.atomic():
            organization = Organization.objects.create(
                name="Bench", slug=f"bench-{uuid.uuid4().hex[:10]}"
            )
            with organization_scope(organization):
                everyone = _people(organization, people)
                hr = everyone[0]
                hr.role = Role.OWNER
                hr.save(update_fields=["role"])
                template = _template(hr)
                cycle = cycle_create(
                    actor=hr,
                    name="Bench cycle",
                    period_start=date(2026, 1, 1),
                    period_end=date(2026, 12, 31),
                    template=template,
                )
                first = timezone.now().date() + timedelta(days=7)
                nine = clock(9, 0)
                cycle_phases_set(
                    actor=hr,
                    cycle=cycle,
                    phases=[
                        PhaseInput(PhaseKind.SELF, first, nine, first + timedelta(14), nine),
                        PhaseInput(PhaseKind.MANAGER, first, nine, first + timedelta(28), nine),
                    ],
                )
                cycle_launch(actor=hr, cycle=cycle)
                with connection.cursor() as cursor:
                    # The set-up's own pending checks first, so they are not counted below.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                with CaptureQueriesContext(connection) as statements:
                    started = time.perf_counter()
                    cycle_launch_run(cycle_id=cycle.pk)
                    seconds = time.perf_counter() - started
                with connection.cursor() as cursor:
                    started = time.perf_counter()
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    foreign_key_seconds = time.perf_counter() - started
                participants = Participant.objects.filter(cycle=cycle).count()
                reviews = Review.objects.filter(participant__cycle=cycle).count()
                copy_seconds = _copy_seconds(participants, reviews)
                result = Result(
                    people,
                    participants,
                    reviews,
                    seconds,
                    len(statements),
                    copy_seconds,
                    foreign_key_seconds,
                )
            raise _RollBack
    except _RollBack:
        pass
    assert result is not None
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, action="append", help="people (repeatable)")
    sizes = parser.parse_args().people or [1000, 10000]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfmgmt.settings.dev")
    import django

    django.setup()
    for size in sizes:
        print(run(size).line(), flush=True)
    print(
        "Target: launch within 5x of COPY (neither pays foreign-key checks; shown apart);"
        " statements that grow by batch, never by person."
    )


if __name__ == "__main__":
    main()

"""Benchmark: the people sync of 50,000 people beside a PostgreSQL COPY of the same rows.

    DJANGO_SETTINGS_MODULE=perfmgmt.settings.dev DATABASE_URL=postgres://... \\
        python -m bench.people_sync [--rows 50000] [--webhook]

Builds a throwaway organization, syncs `--rows` people with reporting lines (a tree, every
manager after their reports in the batch, so the second pass does real work) and full
validation, then replays the same batch (0 changes expected), then COPYs the same rows into
scratch copies of the login and membership tables (the floor: no validation, no matching).
Prints time and statement count of each and the ratio to COPY (the target is within 4x).
`--webhook`: an endpoint listens to the member events, so the sync also writes its outbox
(one event and one delivery per person).
Everything runs in one transaction that is rolled back: the database is left as it was.
A benchmark, not a test; tests/integrations/test_bench.py runs it at about 500 rows.
"""

from __future__ import annotations

import argparse
import io
import secrets
import time
from dataclasses import dataclass
from typing import Any

import django


@dataclass
class Measure:
    name: str
    seconds: float
    statements: int
    detail: str = ""


def batch(rows: int, tag: str) -> list[dict[str, Any]]:
    return [
        {
            "external_id": f"B{n}",
            "email": f"bench{n}.{tag}@bench.example.com",
            "first_name": "Bench",
            "last_name": f"Person {n}",
            "job_title": "Engineer",
            "team": f"Team {n % 40}",
            "manager_external_id": f"B{(n + rows) // 2}" if n < rows - 1 else "",
            "start_date": "2024-01-15",
            "status": "active",
        }
        for n in range(rows)
    ]


def _timed(name: str, action: Any) -> tuple[Measure, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        value = action()
        seconds = time.perf_counter() - start
    return Measure(name, seconds, len(captured)), value


def _copy(people: list[dict[str, Any]], organization_id: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_user (LIKE accounts_user INCLUDING ALL) ON COMMIT DROP"
        )
        cursor.execute(
            "CREATE TEMP TABLE bench_member (LIKE tenancy_membership INCLUDING ALL) ON COMMIT DROP"
        )
        users = io.StringIO()
        members = io.StringIO()
        for n, row in enumerate(people, start=1):
            users.write(f"{n}\t!x\tf\t\t\tf\tt\t2024-01-01\t{row['email']}\t\t\t\n")
            members.write(
                f"{n}\t{organization_id}\t{n}\t{row['external_id']}\t"
                f"{row['first_name']} {row['last_name']}\t{row['job_title']}\t\\N\t"
                f"{row['start_date']}\tactive\temployee\t\\N\t2024-01-01\t2024-01-01\t"
                "2024-01-01\t\\N\n"
            )
        user_columns = (
            "id, password, is_superuser, first_name, last_name, is_staff, is_active, "
            "date_joined, email, full_name, language, time_zone"
        )
        member_columns = (
            "id, organization_id, user_id, external_id, full_name, job_title, team_id, "
            "start_date, status, role, manager_id, manager_since, created_at, updated_at, "
            "deactivated_at"
        )
        with cursor.copy(f"COPY bench_user ({user_columns}) FROM STDIN") as copy:
            copy.write(users.getvalue())
        with cursor.copy(f"COPY bench_member ({member_columns}) FROM STDIN") as copy:
            copy.write(members.getvalue())


def run(rows: int, *, webhook: bool = False) -> list[Measure]:
    """Sync, replay and COPY `rows` people inside a transaction that is rolled back;
    `webhook`: with an endpoint listening to the member events (the outbox is written)."""
    from django.db import transaction

    from perfmgmt.api.models import ApiCredential, Scope
    from perfmgmt.integrations.services.people_sync import people_sync
    from perfmgmt.tenancy.context import organization_scope
    from perfmgmt.tenancy.models import Organization

    tag = secrets.token_hex(4)
    people = batch(rows, tag)
    measures: list[Measure] = []
    with transaction.atomic():
        organization = Organization.objects.create(name="Bench", slug=f"bench-{tag}")
        with organization_scope(organization):
            credential = ApiCredential.objects.create(
                name="bench", prefix=tag, key_hash=tag, scopes=[Scope.PEOPLE_SYNC]
            )
            if webhook:
                from perfmgmt.integrations.webhooks.models import WebhookEndpoint

                WebhookEndpoint.objects.create(
                    url="https://hooks.bench.invalid/",
                    secret=tag,
                    event_types=["member.created", "member.updated", "member.deactivated"],
                )
            for name in ("sync", "replay"):
                measure, result = _timed(name, lambda: people_sync(actor=credential, people=people))
                measure.detail = (
                    f"created {result.created}, updated {result.updated}, "
                    f"unchanged {result.unchanged}, errors {len(result.errors)}"
                )
                measures.append(measure)
        copy_measure, _ = _timed("COPY", lambda: _copy(people, organization.pk))
        measures.append(copy_measure)
        transaction.set_rollback(True)
    return measures


def report(measures: list[Measure]) -> str:
    floor = next(m for m in measures if m.name == "COPY").seconds or 1e-9
    lines = [f"{'':8}{'seconds':>10}{'statements':>12}{'x COPY':>9}"]
    for m in measures:
        ratio = m.seconds / floor
        lines.append(f"{m.name:8}{m.seconds:>10.3f}{m.statements:>12}{ratio:>9.1f}  {m.detail}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--webhook", action="store_true", help="an endpoint listens")
    arguments = parser.parse_args()
    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    print(report(run(arguments.rows, webhook=arguments.webhook)))


if __name__ == "__main__":
    main()

"""Benchmark: the people sync of 50,000 people beside a PostgreSQL COPY of the same rows.

    DJANGO_SETTINGS_MODULE=perfmgmt.settings.dev DATABASE_URL=postgres://... \\
        python -m bench.people_sync [--rows 50000] [--webhook]

Builds a throwaway organization, syncs `--rows` people with reporting lines (a tree, every
manager after their reports in the batch, so the second pass does real work) and full
validation, then replays the same batch (0 changes expected), then COPYs the rows it wrote
(read back as stored) into scratch copies of the login and membership tables (the floor: no
validation, no matching, no planning of reporting lines).
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


def _copy_floor(organization_id: int, tag: str) -> Any:
    """The floor, ready to time: the logins and memberships the sync wrote, exactly as
    stored (ids, managers, teams, reporting lines and all), read out now and written by
    the returned action with COPY into scratch copies of the two tables (`LIKE ...
    INCLUDING ALL`: the same columns, defaults, checks, keys and indexes; ordinary tables,
    so the floor writes WAL and shared buffers as the sync does; no foreign keys, no
    triggers)."""
    from django.db import connection

    exports = {
        "accounts_user": (
            "SELECT * FROM accounts_user WHERE id IN"
            " (SELECT user_id FROM tenancy_membership WHERE organization_id = %s)"
        ),
        "tenancy_membership": "SELECT * FROM tenancy_membership WHERE organization_id = %s",
    }
    rows: dict[str, bytes] = {}
    with connection.cursor() as cursor:
        for table, query in exports.items():
            out = io.BytesIO()
            with cursor.copy(f"COPY ({query}) TO STDOUT", [organization_id]) as copy:
                for data in copy:
                    out.write(data)
            rows[table] = out.getvalue()

    def copy_in() -> int:
        copied = 0
        with connection.cursor() as cursor:
            for table, data in rows.items():
                scratch = f"bench_{table}_{tag}"
                cursor.execute(f"CREATE TABLE {scratch} (LIKE {table} INCLUDING ALL)")
                with cursor.copy(f"COPY {scratch} FROM STDIN") as copy:
                    copy.write(data)
                copied += cursor.rowcount
        return copied

    return copy_in


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
        copy_measure, copied = _timed("COPY", _copy_floor(organization.pk, tag))
        copy_measure.detail = f"copied {copied} rows"
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

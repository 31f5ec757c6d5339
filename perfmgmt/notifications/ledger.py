"""The bulk reminder ledger: many notifications per statement, each still exactly once.

Reminder producers (see sweep.py) hand their due reminders to `deliver`, which works in
batches of `BATCH`. Per batch it runs:

1. one statement that finds which (recipient, key) pairs of the batch are in the ledger
   already (two array parameters, whatever the batch size), so a repeat run renders and
   writes nothing and costs O(1) statements per batch;
2. the rendering of the rest, in each recipient's language and time zone (Python);
3. one ``INSERT ... SELECT FROM unnest(...) ON CONFLICT (organization_id, recipient_id, key)
   DO NOTHING RETURNING`` with one array parameter per column, in its own transaction; the
   unique constraint still decides every race (two sweeps at once, a retried task), and only
   the rows this statement created have their emails queued, after commit, through
   `services.emails_queue` (one broker message per 500 emails).

A batch commits on its own: a sweep stopped between batches (a soft time limit, a lost
worker) keeps what it created, and the next run skips it in step 1. `notify_many` is step 3
alone, for callers whose rows are rendered already.

Producers that read their rows by keyset use `deliver_rows`: the same batches, and after
each commit the position of the last row whose reminders are all committed, which a
continuation of a cut sweep starts after (progress.py), so it does not read those rows
again. A producer that can tell in SQL which rows were reminded already (the key built in
SQL, an anti-join on the ledger's unique index) leaves them out of its pages, so a repeat
run reads nothing; the Python key and step 1 stay the rule, the SQL only a shortcut.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TypeVar

from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from perfmgmt.localization import reader_locale
from perfmgmt.tenancy.context import current_organization
from perfmgmt.tenancy.models import Membership

from . import progress
from .models import Notification
from .services import emails_queue

logger = logging.getLogger(__name__)

BATCH = 500
KEY_LENGTH = 200
T = TypeVar("T")
M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Reminder:
    """One prepared notification row (rendered already)."""

    recipient_id: int
    kind: str
    key: str
    title: str
    body: str = ""
    url: str = ""
    subject: str = ""
    email: bool = True


@dataclass(frozen=True)
class Due:
    """A reminder that is due, not rendered yet: `texts` returns its (title, body) and is
    called in the recipient's language and time zone, only if the ledger lacks its key."""

    recipient: Membership
    kind: str
    key: str
    texts: Callable[[], tuple[str, str]]
    url: str = ""
    subject: str = ""
    email: bool = True


def batches(items: Iterable[T], size: int | None = None) -> Iterator[list[T]]:
    iterator, size = iter(items), size or BATCH
    while batch := list(islice(iterator, size)):
        yield batch


def pages(
    queryset: QuerySet[M], *, after: int | None = None, size: int | None = None
) -> Iterator[list[M]]:
    """The rows of `queryset` in primary-key order (after `after`, when given), `size` at a
    time by keyset: one bounded statement per page, nothing held open between pages."""
    last, size = after, size or BATCH
    while True:
        page = queryset.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        rows = list(page[:size])
        if rows:
            yield rows
        if len(rows) < size:
            return
        last = rows[-1].pk


def keyset(queryset: QuerySet[M], size: int | None = None) -> Iterator[M]:
    """The rows of `queryset` in primary-key order, read `size` at a time by keyset."""
    for page in pages(queryset, size=size):
        yield from page


def deliver(dues: Iterable[Due], *, size: int | None = None) -> int:
    """Create the due reminders not in the ledger yet; return how many were created."""
    return sum(_deliver_batch(batch, size) for batch in batches(dues, size))


def deliver_rows(
    queryset: QuerySet[M],
    dues_of: Callable[[list[M]], Iterable[Due]],
    *,
    scan: str = "rows",
    size: int | None = None,
) -> int:
    """`deliver` for reminders read by keyset from `queryset`, resumable: `dues_of` turns a
    page of rows into their dues. After each commit, the running sweep's progress (see
    progress.py) records under `scan` the last row whose dues are all committed; a
    continuation of a cut sweep starts after it. Batches of `size` dues still span pages,
    so a page with few dues adds no statement or broker message of its own."""
    size = size or BATCH
    tracked = progress.current()
    pending: list[Due] = []
    # (dues taken once this page's were, its last row): recorded once that many are done.
    marks: deque[tuple[int, int]] = deque()
    done = created = 0

    def advance() -> None:
        last = None
        while marks and marks[0][0] <= done:
            last = marks.popleft()[1]
        if last is not None:
            tracked.record(scan, last)

    for page in pages(queryset, after=tracked.resumes_after(scan), size=size):
        pending += dues_of(page)
        marks.append((done + len(pending), page[-1].pk))
        while len(pending) >= size:
            batch, pending = pending[:size], pending[size:]
            created += _deliver_batch(batch, size)
            done += len(batch)
            advance()
        advance()  # a page without dues, or whose dues all went with it
    if pending:
        created += _deliver_batch(pending, size)
        done += len(pending)
        advance()
    return created


def _deliver_batch(batch: Sequence[Due], size: int | None) -> int:
    """One batch: the ledger's look-up, the rendering of what it lacks, one insert."""
    organization = current_organization()
    rows = []
    for due in unsent(batch):
        with reader_locale(user=due.recipient.user, organization=organization):
            title, body = due.texts()
        rows.append(
            Reminder(
                recipient_id=due.recipient.pk,
                kind=due.kind,
                key=due.key,
                title=title,
                body=body,
                url=due.url,
                subject=due.subject,
                email=due.email,
            )
        )
    return len(notify_many(rows, size=size))


def unsent(batch: Sequence[Due]) -> list[Due]:
    """The dues of one batch whose (recipient, key) is not in the ledger: one statement."""
    if not batch:
        return []
    table = Notification._meta.db_table
    sql = (
        f"SELECT recipient_id, key FROM {table} "  # noqa: S608 (the model's table name)
        "WHERE organization_id = %s AND key = ANY(%s) AND recipient_id = ANY(%s)"
    )
    keys = sorted({due.key for due in batch})
    recipients = sorted({due.recipient.pk for due in batch})
    with connection.cursor() as cursor:
        cursor.execute(sql, [current_organization().pk, keys, recipients])
        existing = set(cursor.fetchall())
    seen: set[tuple[int, str]] = set()
    fresh = []
    for due in batch:
        pair = (due.recipient.pk, due.key)
        if pair not in existing and pair not in seen:
            seen.add(pair)
            fresh.append(due)
    return fresh


def notify_many(rows: Iterable[Reminder], *, size: int | None = None) -> list[int]:
    """Insert these notifications, `size` per statement and transaction, skipping those in
    the ledger; queue the emails of the created ones after each commit. Returns the ids
    created. Recipients outside the active organization are left out (fail closed)."""
    organization = current_organization()
    created: list[int] = []
    for batch in batches(rows, size):
        with transaction.atomic():
            inserted = _insert(organization.pk, batch)
            emailed = [pk for pk, state in inserted if state == Notification.EmailState.PENDING]
            if emailed:
                emails_queue(organization_id=organization.pk, notification_ids=emailed)
        created += [pk for pk, _ in inserted]
    return created


_COLUMNS = ("recipient_id", "kind", "key", "title", "body", "url", "subject", "email_state")
_TYPES = ("bigint", "text", "text", "text", "text", "text", "text", "text")


def _insert(organization_id: int, batch: Sequence[Reminder]) -> list[tuple[int, str]]:
    for row in batch:
        if not row.key or len(row.key) > KEY_LENGTH:
            raise ValueError(f"A notification key is 1-{KEY_LENGTH} characters: {row.key!r}")
    columns = list(zip(*(_values(row) for row in batch), strict=True))
    table, members = Notification._meta.db_table, Membership._meta.db_table
    arrays = ", ".join(f"%s::{kind}[]" for kind in _TYPES)
    names = ", ".join(_COLUMNS)
    picked = ", ".join(f"due.{name}" for name in _COLUMNS)
    sql = (
        f"INSERT INTO {table} "  # noqa: S608
        f"(organization_id, {names}, created_at, email_attempts, email_last_error) "
        f"SELECT %s, {picked}, %s, 0, '' FROM unnest({arrays}) AS due({names}) "
        f"JOIN {members} member ON member.id = due.recipient_id AND member.organization_id = %s "
        "ON CONFLICT (organization_id, recipient_id, key) DO NOTHING RETURNING id, email_state"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [organization_id, timezone.now(), *[list(c) for c in columns], organization_id]
        )
        return [(pk, state) for pk, state in cursor.fetchall()]


def _values(row: Reminder) -> tuple[object, ...]:
    state = Notification.EmailState.PENDING if row.email else Notification.EmailState.NOT_SENT
    # A title becomes an email subject: one line, bounded.
    title = " ".join(row.title.split())[:300]
    return (row.recipient_id, row.kind, row.key, title, row.body, row.url, row.subject[:200], state)

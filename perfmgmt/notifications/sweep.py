"""The periodic sweep: the one pattern for time-based work.

Beat runs `sweep_all_organizations` every 15 minutes; it queues `sweep_organization` per
organization, which opens that organization's scope and runs every registered reminder
producer with `now` in the organization's time zone.

A producer is a function `(organization, now) -> int | None` decorated with
`@reminder("name")`. It selects what is due in SQL (by keyset, in batches) and hands
`ledger.Due` rows to `ledger.deliver`, each with a key that names the reminder and its period
(see `local_date_key` / `iso_week_key`), so running it again, late, twice, or in two workers
at once sends nothing new: the ledger leaves out, one statement per batch, what exists
already. Apps put producers in a `reminders.py` module; every installed app's `reminders`
module is imported at start-up.

Producers run outside any surrounding transaction: each batch commits on its own, so a
producer that stops halfway keeps what it already created and the next run carries on.

Faults:

* A soft time limit ends the sweep cleanly (`SweepInterrupted` names the producer it
  stopped in, and where its keyset scans had committed up to: progress.py); the task
  queues a continuation that starts at that producer, after those positions, so the later
  producers still run and no row is read twice but those of the batch that was cut (the
  ledger skips what of it was created). A statement the limit cut leaves its connection
  unusable: the sweep closes it first.
* A producer's failure is logged at error level with its name and a
  ``sweep_producer_failures=1`` counter; the other producers still run. If the database or
  the broker failed (`INFRASTRUCTURE_ERRORS`), the sweep raises at the end, so the task
  retries with backoff instead of reporting success.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import partial
from typing import TypeAlias

from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError, connection
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Organization

from . import progress, services

logger = logging.getLogger(__name__)

Producer: TypeAlias = Callable[[Organization, datetime], "int | None"]

_producers: dict[str, Producer] = {}

# What a sweep retries on (with backoff): the database or the broker was unreachable.
INFRASTRUCTURE_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    BrokerError,
    RedisConnectionError,
    RedisTimeoutError,
)


def reminder(name: str) -> Callable[[Producer], Producer]:
    """Register a reminder producer under a unique name."""

    def register(producer: Producer) -> Producer:
        existing = _producers.get(name)
        if existing is not None and existing is not producer:
            raise ValueError(f"A reminder named {name!r} is already registered.")
        _producers[name] = producer
        return producer

    return register


def unregister(name: str) -> None:
    _producers.pop(name, None)


def registered_reminders() -> dict[str, Producer]:
    return dict(_producers)


def local_now(organization: Organization, now: datetime | None = None) -> datetime:
    """The moment `now` (default: the current time) on the organization's clocks."""
    return timezone.localtime(now or timezone.now(), organization.zone)


def local_date_key(now: datetime) -> str:
    """A daily period for reminder keys, e.g. ``2026-11-23``, in `now`'s time zone."""
    return now.date().isoformat()


def iso_week_key(now: datetime) -> str:
    """A weekly period for reminder keys, e.g. ``2026-W48``, in `now`'s time zone."""
    year, week, _ = now.isocalendar()
    return f"{year}-W{week:02d}"


class SweepInterrupted(Exception):
    """The sweep stopped before `producer` finished (its time ran out); what it created is
    committed. Carries the results so far and `position`, where the continuation resumes
    inside `producer` (progress.py)."""

    def __init__(
        self, producer: str, results: dict[str, int | None], position: dict[str, object]
    ) -> None:
        super().__init__(producer)
        self.producer = producer
        self.results = results
        self.position = position


def _resume_position(day: str, positions: progress.Positions) -> dict[str, object]:
    """What a continuation needs to resume inside the producer (plain JSON for the broker):
    the positions of its scans, and the local day they were read on."""
    return {"day": day, "after": dict(positions)}


def _start_positions(position: Mapping[str, object] | None, day: str) -> progress.Positions:
    """The positions to resume after, if they were read on the same local day: what is due
    depends on the day (a 1:1 tomorrow, a check-in due today), so on another day the
    producer reads from its first row again."""
    if not position or position.get("day") != day:
        return {}
    after = position.get("after")
    if not isinstance(after, dict):
        return {}
    return {str(scan): int(pk) for scan, pk in after.items()}


def is_infrastructure_error(error: BaseException) -> bool:
    """A database or broker that failed (worth a retry), as opposed to a bug."""
    return isinstance(error, INFRASTRUCTURE_ERRORS)


def run_sweep(
    *,
    organization: Organization,
    now: datetime | None = None,
    resume_from: str | None = None,
    position: Mapping[str, object] | None = None,
) -> dict[str, int | None]:
    """Run the email outbox check and every reminder producer for one organization.

    Producers run in name order, from `resume_from` on when given (a continuation of a
    sweep that ran out of time), that one's scans after `position` (what `SweepInterrupted`
    carried). A producer's failure is logged at error level and the others still run; if
    any failed because the database or the broker did, the first such error is raised at
    the end, so the task retries instead of reporting success. A soft time limit raises
    `SweepInterrupted` naming the producer it stopped. Returns, per producer, what it
    returned (usually how many notifications it created), or None.
    """
    results: dict[str, int | None] = {}
    failure: BaseException | None = None
    if resume_from == "email-requeue":  # stopped before any producer ran: start over
        resume_from = None
    with organization_scope(organization):
        moment = local_now(organization, now)
        day = local_date_key(moment)
        if resume_from is None:
            failure = _run_step(organization, "email-requeue", _requeue(moment), results, day=day)
        for name, producer in sorted(_producers.items()):
            if resume_from is not None and name < resume_from:
                continue
            start = _start_positions(position, day) if name == resume_from else {}
            step = partial(producer, organization, moment)
            error = _run_step(organization, name, step, results, day=day, start=start)
            failure = failure or error
    if failure is not None:
        raise failure
    return results


def _requeue(moment: datetime) -> Callable[[], None]:
    def requeue() -> None:
        services.email_requeue_stalled(now=moment)

    return requeue


def _run_step(
    organization: Organization,
    name: str,
    step: Callable[[], int | None],
    results: dict[str, int | None],
    *,
    day: str,
    start: progress.Positions | None = None,
) -> BaseException | None:
    """Run one producer (its scans after `start`); its infrastructure error (to raise
    later) or None. `day`: the local day the producer sees, for a continuation."""
    with progress.tracking(start) as tracked:
        try:
            outcome = step()
        except SoftTimeLimitExceeded as stopped:
            drop_cut_connection()
            position = _resume_position(day, tracked.positions())
            raise SweepInterrupted(name, results, position) from stopped
        except Exception as error:
            if not _cut_by_time_limit(error):
                return _failed(organization, name, error, results)
            drop_cut_connection()
            position = _resume_position(day, tracked.positions())
            raise SweepInterrupted(name, results, position) from error
    if name != "email-requeue":
        results[name] = outcome
    return None


def _cut_by_time_limit(error: BaseException) -> bool:
    """An error raised while the soft time limit was being handled is the limit too: one
    that cut a COMMIT leaves the atomic block failing again as it resets the connection
    ("another command is already in progress"), and that error is what comes out."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, SoftTimeLimitExceeded):
            return True
        seen.add(id(cause))
        cause = cause.__context__
    return False


def _failed(
    organization: Organization, name: str, error: Exception, results: dict[str, int | None]
) -> BaseException | None:
    """Log a producer's failure loudly; the error if it is one to retry the sweep for."""
    # One line a log search or a metric filter can count (sweep_producer_failures=1).
    logger.error(
        "Reminder %r failed for organization %s (producer=%s error=%s sweep_producer_failures=1)",
        name,
        organization.pk,
        name,
        type(error).__name__,
        exc_info=True,
    )
    if name != "email-requeue":
        results[name] = None
    if not is_infrastructure_error(error):
        return None
    _drop_broken_connection()
    return error


def drop_cut_connection() -> None:
    """The soft time limit arrives wherever the task is, also inside a statement sent in
    autocommit (a keyset page, a ledger look-up): psycopg then still waits for its answer,
    and every later statement on the connection fails ("another command is already in
    progress"), in the continuation too if this worker runs it. Close such a connection, so
    the next statement opens a fresh one. (An atomic block's own rollback closes it in the
    other case.)"""
    if connection.in_atomic_block or connection.connection is None:
        return
    if not connection.is_usable():
        connection.close()


def _drop_broken_connection() -> None:
    """After a database error outside a transaction, let the next producer reconnect."""
    if not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()

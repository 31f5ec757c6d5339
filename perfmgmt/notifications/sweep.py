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
  stopped in); the task queues a continuation that starts at that producer, so the later
  producers still run, and the ledger skips what the interrupted one already created. A
  statement the limit cut leaves its connection unusable: the sweep closes it first.
* A producer's failure is logged at error level with its name and a
  ``sweep_producer_failures=1`` counter; the other producers still run. If the database or
  the broker failed (`INFRASTRUCTURE_ERRORS`), the sweep raises at the end, so the task
  retries with backoff instead of reporting success.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
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

from . import services

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
    committed. Carries the results so far."""

    def __init__(self, producer: str, results: dict[str, int | None]) -> None:
        super().__init__(producer)
        self.producer = producer
        self.results = results


def is_infrastructure_error(error: BaseException) -> bool:
    """A database or broker that failed (worth a retry), as opposed to a bug."""
    return isinstance(error, INFRASTRUCTURE_ERRORS)


def run_sweep(
    *,
    organization: Organization,
    now: datetime | None = None,
    resume_from: str | None = None,
) -> dict[str, int | None]:
    """Run the email outbox check and every reminder producer for one organization.

    Producers run in name order, from `resume_from` on when given (a continuation of a
    sweep that ran out of time). A producer's failure is logged at error level and the
    others still run; if any failed because the database or the broker did, the first such
    error is raised at the end, so the task retries instead of reporting success. A soft
    time limit raises `SweepInterrupted` naming the producer it stopped. Returns, per
    producer, what it returned (usually how many notifications it created), or None.
    """
    results: dict[str, int | None] = {}
    failure: BaseException | None = None
    with organization_scope(organization):
        moment = local_now(organization, now)
        if resume_from is None:
            failure = _run_step(organization, "email-requeue", _requeue(moment), results)
        for name, producer in sorted(_producers.items()):
            if resume_from is not None and name < resume_from:
                continue
            error = _run_step(organization, name, partial(producer, organization, moment), results)
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
) -> BaseException | None:
    """Run one producer; its infrastructure error (to raise later) or None."""
    try:
        outcome = step()
    except SoftTimeLimitExceeded as stopped:
        drop_cut_connection()
        raise SweepInterrupted(name, results) from stopped
    except Exception as error:
        # One line a log search or a metric filter can count (sweep_producer_failures=1).
        logger.error(
            "Reminder %r failed for organization %s "
            "(producer=%s error=%s sweep_producer_failures=1)",
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
    if name != "email-requeue":
        results[name] = outcome
    return None


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

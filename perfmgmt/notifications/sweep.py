"""The periodic sweep: the one pattern for time-based work.

Beat runs `sweep_all_organizations` every 15 minutes; it queues `sweep_organization` per
organization, which opens that organization's scope and runs every registered reminder
producer with `now` in the organization's time zone.

A producer is a function `(organization, now) -> int | None` decorated with
`@reminder("name")`. It finds what is due and calls `notify(...)` with a key that names the
reminder and its period (see `local_date_key` / `iso_week_key`), so running it again, late,
twice, or in two workers at once sends nothing new. Apps put producers in a `reminders.py`
module; every installed app's `reminders` module is imported at start-up.

Producers run outside any surrounding transaction: each notification commits on its own, so
a producer that fails halfway keeps what it already sent and the next sweep carries on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TypeAlias

from django.utils import timezone

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Organization

from . import services

logger = logging.getLogger(__name__)

Producer: TypeAlias = Callable[[Organization, datetime], "int | None"]

_producers: dict[str, Producer] = {}


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


def run_sweep(*, organization: Organization, now: datetime | None = None) -> dict[str, int | None]:
    """Run the email outbox check and every reminder producer for one organization.

    Each producer's failure is logged and isolated; the others still run. Returns, per
    producer, what it returned (usually how many notifications it created), or None.
    """
    results: dict[str, int | None] = {}
    with organization_scope(organization):
        moment = local_now(organization, now)
        try:
            services.email_requeue_stalled(now=moment)
        except Exception:
            logger.exception(
                "Re-queueing stalled emails failed for organization %s", organization.pk
            )
        for name, producer in sorted(_producers.items()):
            try:
                results[name] = producer(organization, moment)
            except Exception:
                logger.exception("Reminder %r failed for organization %s", name, organization.pk)
                results[name] = None
    return results

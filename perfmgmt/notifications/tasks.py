"""Thin tasks: take ids, open the organization's scope, call a service."""

from __future__ import annotations

import logging
import random
from typing import Any

from celery import shared_task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Organization

from . import services, sweep

logger = logging.getLogger(__name__)


# A database or broker that is briefly away: the task is retried, sooner than the sweep.
INFRASTRUCTURE_ERRORS = (OperationalError, InterfaceError, BrokerError)
INFRASTRUCTURE_RETRIES = 10
INFRASTRUCTURE_RETRY_FIRST = 5  # seconds, doubling
INFRASTRUCTURE_RETRY_CEILING = 600


def infrastructure_backoff(retries: int) -> float:
    """Seconds before retry number `retries + 1`: doubling from 5 s up to 10 minutes, with
    full jitter in the upper half so tasks that failed together do not return together."""
    ceiling = min(INFRASTRUCTURE_RETRY_FIRST * 2 ** min(retries, 16), INFRASTRUCTURE_RETRY_CEILING)
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def _send_each(organization_id: int, notification_ids: list[int]) -> dict[str, int]:
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return {}
    outcomes: dict[str, int] = {}
    with organization_scope(organization):
        for notification_id in notification_ids:
            outcome = services.email_send(notification_id=notification_id)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def _send_or_retry(task: Any, organization_id: int, notification_ids: list[int]) -> dict[str, int]:
    try:
        return _send_each(organization_id, notification_ids)
    except INFRASTRUCTURE_ERRORS as error:
        logger.warning("Email task %s hit %r; retrying", task.request.id, error)
        raise task.retry(
            exc=error, countdown=infrastructure_backoff(task.request.retries)
        ) from error


@shared_task(
    bind=True,
    ignore_result=True,
    max_retries=INFRASTRUCTURE_RETRIES,
    # Far below services.EMAIL_STALL_AFTER: a hung send is killed long before the sweep
    # would consider its row abandoned and send it again.
    soft_time_limit=120,
    time_limit=180,
)
def send_notification_email(self: Any, organization_id: int, notification_id: int) -> str:
    """Email one notification once (the PENDING->SENDING claim stops a duplicate delivery of
    this task from sending a second email). A failed send leaves the row waiting for its next
    attempt, which the sweep queues when due; a database or broker error retries the task."""
    outcomes = _send_or_retry(self, organization_id, [notification_id])
    return next(iter(outcomes), "skipped")


@shared_task(
    bind=True,
    ignore_result=True,
    max_retries=INFRASTRUCTURE_RETRIES,
    soft_time_limit=600,
    time_limit=660,
)
def send_notification_emails(
    self: Any, organization_id: int, notification_ids: list[int]
) -> dict[str, int]:
    """Email a batch of notifications (see `services.emails_queue`), each claimed and sent on
    its own. Failed sends wait for their next attempt (the sweep queues them when due); a
    database or broker error retries the batch, whose sent emails are then skipped."""
    return _send_or_retry(self, organization_id, notification_ids)


# The sweep's limits, matched to the 15-minute beat interval and to the broker's visibility
# timeout (CELERY_BROKER_TRANSPORT_OPTIONS in settings/base.py, which explains the
# arithmetic): a sweep task is small, stops itself at the soft limit and hands the rest to a
# continuation, so a redelivered one costs little.
SWEEP_SOFT_TIME_LIMIT = 240
SWEEP_TIME_LIMIT = 300
# A continuation of a continuation of ...: past this many, the next beat tick starts over.
MAX_CONTINUATIONS = 8


@shared_task(
    ignore_result=True,
    soft_time_limit=120,
    time_limit=180,
    autoretry_for=sweep.INFRASTRUCTURE_ERRORS,
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def sweep_all_organizations() -> int:
    """Run by beat every 15 minutes: one sweep task per organization, so a slow or failing
    organization does not hold up the others. Organization is global: no scope needed."""
    organization_ids = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
    for organization_id in organization_ids:
        sweep_organization.delay(organization_id)
    return len(organization_ids)


@shared_task(
    bind=True,
    ignore_result=True,
    soft_time_limit=SWEEP_SOFT_TIME_LIMIT,
    time_limit=SWEEP_TIME_LIMIT,
    # A database or broker outage: retry after about 30 s, 60 s, 120 s ... (capped at 10
    # minutes, jittered so the organizations do not all come back at once).
    autoretry_for=sweep.INFRASTRUCTURE_ERRORS,
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def sweep_organization(
    self: Any,
    organization_id: int,
    resume_from: str | None = None,
    continuation: int = 0,
    position: dict[str, Any] | None = None,
) -> dict[str, int | None]:
    """Time-based work for one organization: re-queue stalled emails, run every reminder.

    When its time runs out it queues a continuation that resumes in the producer it
    stopped in, after the last row whose reminders were committed (`position`), and
    returns."""
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return {}
    try:
        return sweep.run_sweep(
            organization=organization, resume_from=resume_from, position=position
        )
    except sweep.SweepInterrupted as stopped:
        if continuation >= MAX_CONTINUATIONS:
            logger.error(
                "Sweep of organization %s gave up after %s continuations at %s "
                "(sweep_gave_up=1); the next beat tick starts over",
                organization_id,
                continuation,
                stopped.producer,
            )
        else:
            logger.warning(
                "Sweep of organization %s ran out of time in %s; continuing in a new task",
                organization_id,
                stopped.producer,
            )
            sweep_organization.apply_async(
                (organization_id,),
                {
                    "resume_from": stopped.producer,
                    "continuation": continuation + 1,
                    "position": stopped.position,
                },
            )
        return stopped.results

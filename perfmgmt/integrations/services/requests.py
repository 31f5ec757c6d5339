"""A people sync request as the API receives it: replayed by idempotency key, run now, or
stored as a job for a worker when the batch is large."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perfmgmt.api.models import ApiCredential
from perfmgmt.errors import DomainError, NotFoundError, PermissionDeniedError
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.policies import Actor

from .. import policies
from ..models import IdempotentResponse, SyncJob
from . import sql
from .people_sync import people_sync

KEY_LIFETIME = timedelta(hours=24)
JOB_THRESHOLD = 2_000


class IdempotencyKeyReused(DomainError):
    status_code = 422
    code = "idempotency_key_reused"


@dataclass(frozen=True)
class SyncAnswer:
    status: int
    body: dict[str, Any]
    replayed: bool = False


def body_hash(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def job_threshold() -> int:
    return int(getattr(settings, "PEOPLE_SYNC_JOB_THRESHOLD", JOB_THRESHOLD))


def people_sync_request(
    *,
    actor: Actor,
    people: list[Any],
    options: dict[str, Any],
    idempotency_key: str,
    request_hash: str,
    job_url: Callable[[int], str],
) -> SyncAnswer:
    """Answer a sync request once per idempotency key (24 hours): the same key and body get
    the first answer again and change nothing; the same key with another body is a 422."""
    if not policies.can_sync_people(actor):
        raise PermissionDeniedError(_("You may not sync people."))
    with transaction.atomic():
        sql.lock_organization(actor.organization_id)
        if idempotency_key:
            stored = _stored(idempotency_key, request_hash)
            if stored is not None:
                return stored
        if len(people) > job_threshold():
            job = _job_create(actor, people, options, idempotency_key)
            answer = SyncAnswer(202, job_state(job, job_url))
        else:
            result = people_sync(
                actor=actor, people=people, idempotency_key=idempotency_key, **options
            )
            failed = bool(result.errors) and result.on_error == "all_or_nothing"
            answer = SyncAnswer(400 if failed else 200, result.as_dict())
        if idempotency_key:
            IdempotentResponse.objects.create(
                key=idempotency_key,
                body_hash=request_hash,
                status_code=answer.status,
                response=answer.body,
                expires_at=timezone.now() + KEY_LIFETIME,
            )
    return answer


def _stored(key: str, request_hash: str) -> SyncAnswer | None:
    record = IdempotentResponse.objects.filter(key=key).first()
    if record is None:
        return None
    if record.expires_at <= timezone.now():
        record.delete()
        return None
    if record.body_hash != request_hash:
        message = _("This Idempotency-Key was used with a different request body.")
        raise IdempotencyKeyReused(message, fields={"Idempotency-Key": [message]})
    return SyncAnswer(record.status_code, record.response, replayed=True)


def _job_create(
    actor: Actor, people: list[Any], options: dict[str, Any], idempotency_key: str
) -> SyncJob:
    from ..tasks import people_sync_job_run

    person = actor if isinstance(actor, Membership) else None
    credential = actor if isinstance(actor, ApiCredential) else None
    job = SyncJob.objects.create(
        people=people,
        options=options,
        total=len(people),
        credential=credential,
        membership=person,
        idempotency_key=idempotency_key,
    )
    organization_id = actor.organization_id
    transaction.on_commit(lambda: people_sync_job_run.delay(organization_id, job.pk))
    return job


def job_state(job: SyncJob, job_url: Callable[[int], str]) -> dict[str, Any]:
    return {
        "job": {
            "id": job.pk,
            "url": job_url(job.pk),
            "status": job.status,
            "progress": {"total": job.total, "processed": job.processed},
            "created_at": job.created_at.isoformat(),
            "finished_at": job.finished_at.isoformat() if job.finished_at else None,
            "result": job.result,
        }
    }


def sync_job_get(*, actor: Actor, job_id: int) -> SyncJob:
    """A job of the actor's organization (another organization's id: not found)."""
    if not policies.can_view_sync_job(actor):
        raise PermissionDeniedError(_("You may not sync people."))
    job = SyncJob.objects.filter(pk=job_id).first()
    if job is None:
        raise NotFoundError(_("No such job."))
    return job


def sync_job_run(*, organization_id: int, job_id: int) -> None:
    """Run a stored job once (a redelivered message finds it done and does nothing)."""
    from perfmgmt.tenancy.models import Organization

    organization = Organization.objects.get(pk=organization_id)
    with organization_scope(organization):
        job = SyncJob.objects.select_for_update(skip_locked=True).filter(pk=job_id)
        with transaction.atomic():
            claimed = job.filter(status=SyncJob.Status.QUEUED).first()
            if claimed is None:
                return
            claimed.status = SyncJob.Status.RUNNING
            claimed.started_at = timezone.now()
            claimed.save(update_fields=["status", "started_at"])
        _run(claimed)


def _run(job: SyncJob) -> None:
    actor: Actor | None = job.membership or job.credential
    try:
        if actor is None or not policies.can_sync_people(actor):
            raise PermissionDeniedError(_("The key or person that started this job lost access."))
        result = people_sync(
            actor=actor, people=job.people, idempotency_key=job.idempotency_key, **job.options
        )
        job.result = result.as_dict()
        failed = bool(result.errors) and result.on_error == "all_or_nothing"
        job.status = SyncJob.Status.FAILED if failed else SyncJob.Status.SUCCEEDED
    except DomainError as error:
        job.result = {"error": {"code": error.code, "message": error.message}}
        job.status = SyncJob.Status.FAILED
    job.processed = job.total
    job.finished_at = timezone.now()
    job.people = []  # the body is not kept once it has been applied
    job.save(update_fields=["result", "status", "processed", "finished_at", "people"])

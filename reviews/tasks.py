"""Review jobs: take ids, open the tenant scope, call a service."""

from __future__ import annotations

from celery import shared_task

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Organization


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=600,
    time_limit=660,
)
def cycle_launch_job(organization_id: int, cycle_id: int) -> None:
    """Launch a cycle (idempotent: a redelivered or repeated job creates nothing twice)."""
    from .services.cycles.launch import cycle_launch_run

    organization = Organization.objects.get(pk=organization_id)
    with organization_scope(organization):
        cycle_launch_run(cycle_id=cycle_id)


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=600,
    time_limit=660,
)
def retrospective_invite_job(organization_id: int, retrospective_id: int) -> None:
    """Tell the people an opened retrospective asks (each once: a rerun tells nobody twice;
    the sweep also tells whoever a lost job did not)."""
    from .models import Retrospective
    from .services.retrospectives import retrospective_invite

    organization = Organization.objects.get(pk=organization_id)
    with organization_scope(organization):
        retrospective = Retrospective.objects.select_related("cycle", "organization").get(
            pk=retrospective_id
        )
        retrospective_invite(retrospective=retrospective)

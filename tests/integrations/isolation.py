"""People sync objects for tests/test_isolation.py."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

from perfmgmt.integrations.models import SyncJob
from perfmgmt.tenancy.context import organization_scope
from tests.conftest import OrgPeople
from tests.integrations.webhooks.isolation import WEBHOOK_MAKERS, WEBHOOK_OBJECT_KWARGS


def make_isolation_sync_job(people: OrgPeople) -> SyncJob:
    with organization_scope(people.organization):
        return SyncJob.objects.create(people=[], total=0, membership=people.hr)


INTEGRATIONS_OBJECT_KWARGS: dict[str, type[models.Model]] = {
    "job_id": SyncJob,
    **WEBHOOK_OBJECT_KWARGS,
}

INTEGRATIONS_MAKERS: dict[type[models.Model], Callable[[OrgPeople], models.Model]] = {
    SyncJob: make_isolation_sync_job,
    **WEBHOOK_MAKERS,
}

"""Data migrations of people: what they fill in for rows that existed before."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from perfmgmt.audit.models import AuditEntry
from perfmgmt.tenancy.models import Membership

pytestmark = pytest.mark.django_db

manager_since = importlib.import_module("perfmgmt.tenancy.migrations.0004_membership_manager_since")


def test_the_backfill_starts_each_reporting_line_at_its_last_known_change(org, scope):
    created = timezone.now() - timedelta(days=100)
    moved, left = created + timedelta(days=10), created + timedelta(days=20)
    Membership.objects.update(created_at=created, manager_since=timezone.now())
    AuditEntry.objects.create(
        actor_label="HR",
        action="member.update",
        target_type="tenancy.Membership",
        target_id=str(org.report.pk),
        changes={"manager": [org.colleague.pk, org.manager.pk]},
        created_at=moved,
    )
    AuditEntry.objects.create(
        actor_label="HR",
        action="member.update",
        target_type="tenancy.Membership",
        target_id=str(org.colleague.pk),
        changes={"job_title": ["A", "B"]},
        created_at=moved,
    )
    AuditEntry.objects.create(
        actor_label="HR",
        action="member.deactivate",
        target_type="tenancy.Membership",
        target_id="0",
        changes={"status": ["active", "left"], "reports_moved_to_manager": [org.report2.pk]},
        created_at=left,
    )

    with connection.cursor() as cursor:
        cursor.execute(manager_since.BACKFILL)

    since = dict(Membership.objects.values_list("pk", "manager_since"))
    assert since[org.report.pk] == moved
    assert since[org.report2.pk] == left
    assert since[org.colleague.pk] == created
    assert since[org.manager.pk] == created

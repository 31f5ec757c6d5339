"""Audit entries for tests, recorded the way services record them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import time_machine
from django.db import models

from perfmgmt.audit.models import AuditEntry
from perfmgmt.audit.services import audit_record
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople


def record(
    org: OrgPeople,
    *,
    actor: Membership | None = None,
    action: str = "member.update",
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """An entry in `org`, by its owner about its report unless told otherwise; `at`: the
    clock is frozen there while it is recorded."""
    with organization_scope(org.organization):
        if at is None:
            return _record(org, actor, action, target, changes)
        with time_machine.travel(at, tick=False):
            return _record(org, actor, action, target, changes)


def _record(
    org: OrgPeople,
    actor: Membership | None,
    action: str,
    target: models.Model | None,
    changes: dict[str, Any] | None,
) -> AuditEntry:
    return audit_record(
        actor=actor or org.owner,
        action=action,
        target=target or org.report,
        changes=changes if changes is not None else {"job_title": ["Engineer", "Lead"]},
    )

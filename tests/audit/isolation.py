"""Audit entries for tests/test_isolation.py."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

from perfmgmt.audit.models import AuditEntry
from tests.audit.helpers import record
from tests.conftest import OrgPeople

AUDIT_OBJECT_KWARGS: dict[str, type[models.Model]] = {
    "entry_id": AuditEntry,
    "audit_entry_id": AuditEntry,
}

AUDIT_MAKERS: dict[type[models.Model], Callable[[OrgPeople], models.Model]] = {
    AuditEntry: record,
}

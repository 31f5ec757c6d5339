"""Personal-data exports for tests/test_isolation.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone

from perfmgmt.privacy.models import ExportStatus, PersonalDataExport
from perfmgmt.tenancy.context import organization_scope
from tests.conftest import OrgPeople


def make_ready_export(people: OrgPeople) -> PersonalDataExport:
    """A built export of a colleague's data, requested by the owner (who alone downloads it)."""
    with organization_scope(people.organization):
        export = PersonalDataExport(
            person=people.colleague,
            requested_by=people.owner,
            status=ExportStatus.READY,
            expires_at=timezone.now() + timedelta(days=1),
            finished_at=timezone.now(),
        )
        export.file.save("isolation.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=False)
        export.save()
        return export


PRIVACY_OBJECT_KWARGS: dict[str, type[models.Model]] = {"export_id": PersonalDataExport}

PRIVACY_MAKERS: dict[type[models.Model], Callable[[OrgPeople], models.Model]] = {
    PersonalDataExport: make_ready_export,
}

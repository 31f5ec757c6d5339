"""Requesting and building the export of one person's data."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError, PermissionDeniedError
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, Organization

from .. import policies
from ..models import ExportStatus, PersonalDataExport
from ..registry import ExportContext, registrations
from .archive import write_archive

# How long the requester may download the file; after that it is a 404 and deleted.
EXPORT_LIFETIME = timedelta(days=7)
PENDING = (ExportStatus.QUEUED, ExportStatus.RUNNING)


def export_request(*, actor: Membership, person: Membership) -> PersonalDataExport:
    """Queue an export of `person`'s data for `actor` (audited). One pending export per
    requester and person: asking again while it is built is a 409."""
    if not policies.can_export_personal_data(actor, person):
        raise PermissionDeniedError(_("You may not export this person's data."))
    with transaction.atomic():
        Membership.objects.select_for_update().filter(pk=actor.pk).get()
        pending = PersonalDataExport.objects.filter(
            requested_by=actor, person=person, status__in=PENDING
        )
        if pending.exists():
            raise ConflictError(_("An export of this person's data is already being built."))
        export = PersonalDataExport.objects.create(
            person=person,
            requested_by=actor,
            total=len(registrations()),
            expires_at=timezone.now() + EXPORT_LIFETIME,
        )
        audit_record(
            actor=actor,
            action="personal_data.export_requested",
            target=person,
            changes={"export": export.pk},
        )
        from ..tasks import personal_data_export_build

        transaction.on_commit(
            lambda: personal_data_export_build.delay(person.organization_id, export.pk)
        )
    return export


def export_build(*, organization_id: int, export_id: int) -> None:
    """Build the ZIP of a queued export and store it (the task's body). A build that fails
    marks the export failed; one that is no longer queued is left alone."""
    organization = Organization.objects.get(pk=organization_id)
    with organization_scope(organization):
        claimed = PersonalDataExport.objects.filter(
            pk=export_id, status=ExportStatus.QUEUED
        ).update(status=ExportStatus.RUNNING)
        if not claimed:
            return
        export = PersonalDataExport.objects.select_related(
            "person__user", "requested_by__user"
        ).get(pk=export_id)
        try:
            _build(export)
        except Exception:
            PersonalDataExport.objects.filter(pk=export_id).update(
                status=ExportStatus.FAILED, finished_at=timezone.now()
            )
            raise


def _build(export: PersonalDataExport) -> None:
    context = ExportContext(person=export.person, requester=export.requested_by)

    def progress(done: int) -> None:
        PersonalDataExport.objects.filter(pk=export.pk).update(done=done)

    content = write_archive(context, progress=progress)
    name = f"{export.organization_id}-{secrets.token_hex(16)}.zip"
    export.file.save(name, ContentFile(content), save=False)
    export.status = ExportStatus.READY
    export.finished_at = timezone.now()
    export.done = export.total
    export.save(update_fields=["file", "status", "finished_at", "done"])


def exports_delete_for(*, person: Membership) -> int:
    """Delete every export of `person`'s data and its file (part of their erasure)."""
    exports = list(PersonalDataExport.objects.filter(person=person))
    for export in exports:
        if export.file:
            export.file.delete(save=False)
    PersonalDataExport.objects.filter(person=person).delete()
    return len(exports)


def export_download(*, actor: Membership, export: PersonalDataExport) -> PersonalDataExport:
    """Record that the requester downloaded the export (the selector checked they may)."""
    audit_record(
        actor=actor,
        action="personal_data.export_downloaded",
        target=export.person,
        changes={"export": export.pk},
    )
    return export


def exports_expired_delete(*, now: datetime | None = None) -> int:
    """Delete the files and rows of the active organization's exports past their expiry."""
    now = now or timezone.now()
    expired = PersonalDataExport.objects.filter(expires_at__lte=now)
    for export in expired.only("pk", "file").iterator():
        if export.file:
            export.file.delete(save=False)
    deleted, _by_model = expired.delete()
    return deleted


def exports_expired_delete_everywhere(*, now: datetime | None = None) -> int:
    """`exports_expired_delete` in every organization, each in its own scope (beat's job)."""
    deleted = 0
    for organization in Organization.objects.order_by("pk").iterator():
        with organization_scope(organization):
            deleted += exports_expired_delete(now=now)
    return deleted

"""Reads of the audit trail."""

from __future__ import annotations

from django.db.models import QuerySet

from perfmgmt.tenancy.models import Membership

from .models import AuditEntry


def audit_entry_list(*, target: Membership | None = None) -> QuerySet[AuditEntry]:
    """The audit entries of the active organization, newest first, optionally about one person.

    Callers check `policies.can_view_audit_log` first; the entries name who changed what.
    """
    entries = AuditEntry.objects.select_related("actor_membership__user").order_by(
        "-created_at", "-id"
    )
    if target is not None:
        entries = entries.filter(target_type=Membership._meta.label, target_id=str(target.pk))
    return entries


def audit_target_names(*, entries: list[AuditEntry]) -> dict[str, Membership]:
    """The people the given entries are about, by id, in one query (for showing names)."""
    ids = {
        int(entry.target_id)
        for entry in entries
        if entry.target_type == Membership._meta.label and entry.target_id.isdigit()
    }
    people = Membership.objects.filter(pk__in=ids).select_related("user")
    return {str(person.pk): person for person in people}

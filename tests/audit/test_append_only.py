"""The audit table refuses UPDATE and DELETE in the database, whatever code asks."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from perfmgmt.audit.models import AuditEntry
from perfmgmt.audit.services import audit_entries_deletable
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, Organization
from tests.audit.helpers import record
from tests.conftest import OrgPeople

pytestmark = pytest.mark.django_db


def _sql(statement: str, entry_id: int) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [entry_id])


def test_changing_an_entry_through_the_orm_is_refused(org: OrgPeople) -> None:
    entry = record(org)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.unscoped.filter(pk=entry.pk).update(action="member.join")
    assert AuditEntry.unscoped.get(pk=entry.pk).action == "member.update"


def test_changing_an_entry_in_sql_is_refused(org: OrgPeople) -> None:
    entry = record(org)
    with pytest.raises(DatabaseError, match="append-only"):
        _sql("UPDATE audit_auditentry SET changes = '{}' WHERE id = %s", entry.pk)


def test_deleting_an_entry_is_refused(org: OrgPeople) -> None:
    entry = record(org)
    with pytest.raises(DatabaseError, match="append-only"):
        _sql("DELETE FROM audit_auditentry WHERE id = %s", entry.pk)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.unscoped.filter(organization=org.organization).delete()
    assert AuditEntry.unscoped.filter(pk=entry.pk).exists()


def test_deleting_the_person_who_acted_keeps_the_entry_with_their_name(org: OrgPeople) -> None:
    entry = record(org, actor=org.colleague, target=org.report)
    with organization_scope(org.organization):
        Membership.objects.filter(pk=org.colleague.pk).delete()
    kept = AuditEntry.unscoped.get(pk=entry.pk)
    assert kept.actor_membership_id is None
    assert kept.actor_label == org.colleague.display_name
    assert kept.changes == entry.changes


def test_clearing_the_actor_and_changing_something_else_is_refused(org: OrgPeople) -> None:
    entry = record(org)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.unscoped.filter(pk=entry.pk).update(actor_membership=None, actor_label="x")


def test_an_organization_is_deleted_with_its_entries_only_inside_the_allowance(
    org: OrgPeople, other_org: OrgPeople
) -> None:
    record(org)
    theirs = record(other_org)
    organization = Organization.objects.get(pk=org.organization.pk)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        organization.delete()
    assert AuditEntry.unscoped.filter(organization=org.organization).exists()

    with audit_entries_deletable():
        organization.delete()

    assert not Organization.objects.filter(pk=org.organization.pk).exists()
    assert not AuditEntry.unscoped.filter(organization_id=org.organization.pk).exists()
    assert AuditEntry.unscoped.filter(pk=theirs.pk).exists()


def test_the_allowance_ends_with_its_block(org: OrgPeople) -> None:
    entry = record(org)
    with audit_entries_deletable():
        pass
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.unscoped.filter(pk=entry.pk).delete()


def test_the_allowance_ends_when_its_block_fails(org: OrgPeople) -> None:
    entry = record(org)
    with pytest.raises(RuntimeError), audit_entries_deletable():
        raise RuntimeError("the deletion failed half-way")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.unscoped.filter(pk=entry.pk).delete()


def test_the_admin_cannot_add_change_or_delete_entries(admin_client, org: OrgPeople) -> None:
    entry = record(org)
    assert admin_client.get(f"/admin/audit/auditentry/{entry.pk}/change/").status_code == 200
    assert admin_client.get("/admin/audit/auditentry/add/").status_code == 403
    assert admin_client.post(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403

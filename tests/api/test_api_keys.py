"""Systems call the API with a key: scoped to one organization and to what it may do."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from perfmgmt.api import services
from perfmgmt.api.models import ApiCredential, Scope
from perfmgmt.audit.models import AuditEntry
from perfmgmt.errors import DomainError, PermissionDeniedError
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.api.conftest import create_key, key_client, members_url

pytestmark = pytest.mark.django_db


def test_a_key_reads_and_writes_the_people_of_its_own_organization(org, other_org):
    _credential, key = create_key(org)
    client = key_client(key)

    listed = client.get(members_url(org))
    created = client.post(members_url(org), {"email": "synced@example.com"}, format="json")

    assert listed.status_code == 200
    assert {row["id"] for row in listed.json()["results"]} >= {org.owner.pk, org.report.pk}
    assert all("external_id" in row for row in listed.json()["results"])
    assert created.status_code == 201
    with organization_scope(org.organization):
        entry = AuditEntry.objects.get(action="member.invite", target_id=str(created.json()["id"]))
    assert entry.actor_label == "API client HRIS sync"
    assert entry.actor_membership is None


def test_a_key_used_on_another_organizations_address_is_not_found(org, other_org):
    _credential, key = create_key(org)

    response = key_client(key).get(members_url(other_org))

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_key_may_not_grant_hr_rights(org):
    _credential, key = create_key(org)

    response = key_client(key).post(
        members_url(org), {"email": "x@example.com", "role": "hr_admin"}, format="json"
    )

    assert response.status_code == 403


def test_a_read_only_key_gets_403_on_writes(org):
    _credential, key = create_key(org, scopes=[Scope.MEMBERS_READ])
    client = key_client(key)

    assert client.get(members_url(org)).status_code == 200
    created = client.post(members_url(org), {"email": "x@example.com"}, format="json")
    deactivated = client.post(members_url(org, org.report.pk, "deactivate"))
    assert (created.status_code, deactivated.status_code) == (403, 403)
    assert created.json()["error"]["code"] == "permission_denied"


def test_a_write_only_key_gets_403_on_reads(org):
    _credential, key = create_key(org, scopes=[Scope.MEMBERS_WRITE])
    client = key_client(key)

    assert client.get(members_url(org)).status_code == 403
    assert client.get(members_url(org, org.report.pk)).status_code == 403


def test_a_revoked_key_gets_401(org):
    credential, key = create_key(org)
    client = key_client(key)
    assert client.get(members_url(org)).status_code == 200

    with organization_scope(org.organization):
        services.credential_revoke(actor=org.owner, credential=credential)
    response = client.get(members_url(org))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "authentication_failed"


def test_a_made_up_key_gets_401(org):
    assert key_client("pm_deadbeef_not-a-real-key").get(members_url(org)).status_code == 401


def test_only_a_hash_of_the_key_is_stored(org):
    credential, key = create_key(org)

    assert key.startswith(f"pm_{credential.prefix}_")
    assert credential.key_hash == hashlib.sha256(key.encode()).hexdigest()
    secret = key.rsplit("_", 1)[1]
    with connection.cursor() as cursor:
        for table in ("api_apicredential", "audit_auditentry"):
            cursor.execute(f"SELECT * FROM {table}")
            assert secret not in repr(cursor.fetchall())


def test_using_a_key_records_when_it_was_last_used_at_most_once_a_minute(org):
    credential, key = create_key(org)
    client = key_client(key)
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        client.get(members_url(org))
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        client.get(members_url(org))
    credential.refresh_from_db()
    assert credential.last_used_at == start

    later = start + timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        client.get(members_url(org))
    credential.refresh_from_db()
    assert credential.last_used_at == later


def test_only_an_owner_creates_or_revokes_keys(org):
    with organization_scope(org.organization):
        credential, _key = services.credential_create(
            actor=org.owner, name="BI", scopes=[Scope.MEMBERS_READ]
        )
        with pytest.raises(PermissionDeniedError):
            services.credential_create(actor=org.hr, name="BI", scopes=[Scope.MEMBERS_READ])
        with pytest.raises(PermissionDeniedError):
            services.credential_revoke(actor=org.hr, credential=credential)
        assert ApiCredential.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "scopes", "field"),
    [
        ("  ", [Scope.MEMBERS_READ], "name"),
        ("BI", [], "scopes"),
        ("BI", ["members:delete"], "scopes"),
        ("x" * 201, [Scope.MEMBERS_READ], "name"),
    ],
)
def test_a_key_needs_a_name_and_known_scopes(org, name, scopes, field):
    with organization_scope(org.organization), pytest.raises(DomainError) as error:
        services.credential_create(actor=org.owner, name=name, scopes=scopes)

    assert field in error.value.fields


def test_creating_and_revoking_a_key_is_audited_and_revoking_twice_changes_nothing(org):
    with organization_scope(org.organization):
        credential, _key = services.credential_create(
            actor=org.owner, name="Payroll", scopes=[Scope.MEMBERS_READ, Scope.MEMBERS_READ]
        )
        first = services.credential_revoke(actor=org.owner, credential=credential)
        second = services.credential_revoke(actor=org.owner, credential=credential)

        assert credential.scopes == [Scope.MEMBERS_READ]
        assert first.revoked_at == second.revoked_at is not None
        actions = list(
            AuditEntry.objects.filter(target_id=str(credential.pk))
            .order_by("id")
            .values_list("action", flat=True)
        )
    assert actions == ["api_credential.create", "api_credential.revoke"]


def test_a_key_belongs_to_the_organization_of_its_creator(org, other_org):
    credential, _key = create_key(org)

    assert credential.organization_id == org.organization.pk
    assert credential.created_by == org.owner
    with organization_scope(other_org.organization):
        assert not ApiCredential.objects.exists()
        assert not Membership.objects.filter(pk=org.owner.pk).exists()

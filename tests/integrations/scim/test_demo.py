"""The demo shows SCIM: a key with the scim scope and a person it provisioned, once."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from perfmgmt.api.models import ApiCredential
from perfmgmt.audit.models import AuditEntry
from perfmgmt.integrations.models import ScimUser
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Organization

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_scim_key_and_a_provisioned_person_and_seeding_again_adds_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("seed_demo")
    call_command("seed_demo")
    demo = Organization.objects.get(slug="demo")
    with organization_scope(demo):
        assert ApiCredential.objects.get(name="Okta (SCIM provisioning)").scopes == ["scim"]
        record = ScimUser.objects.select_related("membership__team").get()
        assert record.membership.full_name == "Lena Okafor"
        assert record.membership.team is not None
        assert AuditEntry.objects.filter(action="scim.user.create").count() == 1

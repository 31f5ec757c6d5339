"""Mirror each organization's sign-in requirements onto its row (`settings["sign_in"]`),
where enforcement now reads them without a query of its own."""

from __future__ import annotations

from typing import Any

from django.db import migrations

SIGN_IN_SETTING = "sign_in"


def mirror(apps: Any, schema_editor: Any) -> None:
    configuration = apps.get_model("integrations", "OrganizationSso")
    organization_model = apps.get_model("tenancy", "Organization")
    for sso in configuration._base_manager.all().iterator():
        organization = organization_model._base_manager.select_for_update().get(
            pk=sso.organization_id
        )
        settings = dict(organization.settings or {})
        settings[SIGN_IN_SETTING] = {
            "require_sso": sso.require_sso,
            "require_two_factor_for_password": sso.require_two_factor_for_password,
        }
        organization.settings = settings
        organization.save(update_fields=["settings"])


def forget(apps: Any, schema_editor: Any) -> None:
    organization_model = apps.get_model("tenancy", "Organization")
    for organization in organization_model._base_manager.filter(
        settings__has_key=SIGN_IN_SETTING
    ).iterator():
        organization.settings.pop(SIGN_IN_SETTING)
        organization.save(update_fields=["settings"])


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0004_sso_and_webhooks"),
        ("tenancy", "0007_membership_external_id_nullable"),
    ]

    operations = [migrations.RunPython(mirror, forget)]

"""Enforcing the sign-in requirements costs no query: they ride on the organization row that
the membership look-up of every page and session API request reads anyway."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from perfmgmt.integrations.sso.models import SIGN_IN_SETTING, OrganizationSso
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Organization
from perfmgmt.tenancy.services.organizations import organization_update
from tests.accounts.helpers import verify_email
from tests.conftest import OrgPeople
from tests.integrations.sso.conftest import Provider, configure
from tests.integrations.sso.test_enforcement import members_api, password_session

pytestmark = pytest.mark.django_db

SSO_TABLE = OrganizationSso._meta.db_table


def statements(client: Client, url: str, *, status: int) -> list[str]:
    client.get(url)  # once-per-process look-ups (content types, sites) out of the count
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == status
    return [query["sql"] for query in queries]


def reads_the_configuration(sql: list[str]) -> bool:
    return any(SSO_TABLE in statement for statement in sql)


def test_pages_and_the_api_of_an_organization_with_sso_read_no_configuration_row(
    org: OrgPeople, provider: Provider
) -> None:
    configure(org, provider, email_domains=["acme.example"])
    client = password_session(verify_email(org.report.user))

    assert not reads_the_configuration(statements(client, "/o/acme/", status=200))
    assert not reads_the_configuration(statements(client, members_api("acme"), status=200))


def test_a_required_sso_turns_sessions_away_without_reading_the_configuration(
    org: OrgPeople, provider: Provider
) -> None:
    configure(org, provider, require_sso=True)
    client = password_session(verify_email(org.report.user))

    assert not reads_the_configuration(statements(client, "/o/acme/", status=302))
    assert not reads_the_configuration(statements(client, members_api("acme"), status=403))


def test_changing_the_organizations_name_keeps_the_requirements_set_meanwhile(
    org: OrgPeople, provider: Provider
) -> None:
    loaded_before = Organization.objects.get(pk=org.organization.pk)
    configure(org, provider, require_sso=True)

    with organization_scope(org.organization):
        organization_update(
            actor=org.owner,
            organization=loaded_before,
            name="Acme Renamed",
            time_zone="Europe/Berlin",
            locale="en",
        )

    assert password_session(verify_email(org.report.user)).get("/o/acme/").status_code == 302


def test_lifting_the_requirement_opens_the_pages_to_password_sessions_again(
    org: OrgPeople, provider: Provider
) -> None:
    configure(org, provider, require_sso=True)
    configure(org, provider, require_sso=False)

    assert password_session(verify_email(org.report.user)).get("/o/acme/").status_code == 200


def test_the_migration_mirrors_requirements_configured_before_it(
    org: OrgPeople, provider: Provider
) -> None:
    configure(org, provider, require_two_factor_for_password=True)
    Organization.objects.filter(pk=org.organization.pk).update(settings={"goal_stale_days": 7})
    migration = importlib.import_module(
        "perfmgmt.integrations.migrations.0005_sign_in_requirements_on_organization"
    )

    migration.mirror(apps, None)

    assert Organization.objects.get(pk=org.organization.pk).settings == {
        "goal_stale_days": 7,
        SIGN_IN_SETTING: {"require_sso": False, "require_two_factor_for_password": True},
    }

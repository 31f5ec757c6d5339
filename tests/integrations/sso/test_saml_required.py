"""Requiring an organization's SAML sign-in, against a real identity provider (pysaml2): the
owner configures it on our page from the provider's metadata address, signs in through it,
then requires it; password sessions are turned away, SAML sessions of that provider let in,
and never into another organization."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from perfmgmt.integrations.sso.models import OrganizationSso
from tests.accounts.helpers import sign_in, verify_email
from tests.conftest import PASSWORD, login
from tests.factories import MembershipFactory
from tests.integrations.sso.saml import (
    configure_saml,
    register_service_provider,
    saml_client,
    saml_sign_in,
)
from tests.integrations.sso.saml_idp import IdentityProvider

pytestmark = pytest.mark.django_db

SETTINGS = "/o/acme/settings/sso/"
MEMBERS_API = "/api/v1/orgs/{slug}/members/"


def test_an_owner_sets_up_saml_from_the_metadata_address_and_requires_it_after_using_it(
    org, identity_provider: IdentityProvider
) -> None:
    owner = verify_email(org.owner.user)
    form = {
        "protocol": "saml",
        "saml_metadata_url": identity_provider.metadata_url,
        "saml_entity_id": identity_provider.entity_id,
    }
    password_session = login(saml_client(), org.owner)
    saved = password_session.post(SETTINGS, form)
    assert saved.status_code == 302, saved.content.decode()
    refused = password_session.post(SETTINGS, {**form, "require_sso": "on"})
    assert refused.status_code == 400
    assert "Sign in through the single sign-on once" in refused.content.decode()

    sso = OrganizationSso.unscoped.select_related("social_app").get(organization=org.organization)
    register_service_provider(sso, identity_provider)
    identity_provider.person("olga", owner.email)
    saml_session = saml_client()
    answer = saml_sign_in(saml_session, identity_provider, typed="acme", username="olga")
    assert answer.status_code == 302, answer.content.decode()
    required = saml_session.post(SETTINGS, {**form, "require_sso": "on"})
    assert required.status_code == 302, required.content.decode()
    assert OrganizationSso.unscoped.get(organization=org.organization).require_sso

    page = password_session.get("/o/acme/")
    assert page.status_code == 302
    assert page["Location"] == f"/accounts/sso/?organization=acme&next={quote('/o/acme/', safe='')}"
    assert password_session.get(MEMBERS_API.format(slug="acme")).status_code == 403
    assert saml_session.get("/o/acme/").status_code == 200
    assert saml_session.get(MEMBERS_API.format(slug="acme")).status_code == 200


def test_a_saml_session_of_one_organization_does_not_open_another(
    org, other_org, identity_provider: IdentityProvider, second_identity_provider
) -> None:
    acme, globex = org, other_org
    user = verify_email(acme.report.user)
    MembershipFactory.create(organization=globex.organization, user=user)
    configure_saml(acme, identity_provider, require_sso=True)
    identity_provider.person("rita-two-orgs", user.email)

    password_session = saml_client()
    sign_in(password_session, user.email, PASSWORD)
    assert password_session.get("/o/acme/").status_code == 302
    assert password_session.get("/o/globex/").status_code == 200

    client = saml_client()
    saml_sign_in(client, identity_provider, typed="acme", username="rita-two-orgs")
    assert client.get("/o/acme/").status_code == 200
    page = client.get("/o/globex/")  # globex has no SSO: acme's provider says nothing there
    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/reauthenticate/")

    configure_saml(globex, second_identity_provider, require_sso=True)
    page = client.get("/o/globex/")
    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/sso/?organization=globex")
    assert client.get(MEMBERS_API.format(slug="globex")).status_code == 403
    assert client.get("/o/acme/").status_code == 200

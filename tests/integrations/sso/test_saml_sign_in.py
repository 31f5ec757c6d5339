"""Signing in through an organization's SAML 2.0 identity provider, against real ones
(pysaml2, started by the test): SP-initiated, answered with the HTTP-POST binding."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.core.cache import cache

from perfmgmt.integrations.sso.models import OrganizationSso
from perfmgmt.integrations.sso.services import sso_configure
from perfmgmt.integrations.sso.settings import SsoInput
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.accounts.helpers import is_signed_in, verify_email
from tests.factories import MembershipFactory
from tests.integrations.sso.saml import (
    configure_saml,
    post_answer,
    register_service_provider,
    saml_client,
    saml_sign_in,
    signed_answer,
    start_sign_in,
    unsolicited_answer,
)
from tests.integrations.sso.saml_idp import IdentityProvider, running_identity_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def impostor(tmp_path: Path, identity_provider: IdentityProvider) -> Iterator[IdentityProvider]:
    """A provider that claims the first one's entity id but holds a key of its own."""
    entity_id = identity_provider.entity_id
    with running_identity_provider(tmp_path, "impostor", entity_id=entity_id) as provider:
        yield provider


def refused_because(caplog: pytest.LogCaptureFixture) -> str:
    """Why allauth's ACS refused the last answer (what onelogin found wrong)."""
    reasons = [r.getMessage() for r in caplog.records if "SAML ACS response" in r.getMessage()]
    assert reasons, "the answer was not refused by the SAML checks"
    return reasons[-1]


def counts() -> tuple[int, int, int]:
    return (
        get_user_model().objects.count(),
        Membership.unscoped.count(),
        SocialAccount.objects.count(),
    )


def test_a_member_signs_in_through_their_organizations_saml_provider_and_opens_its_pages(
    org, identity_provider: IdentityProvider
) -> None:
    configure_saml(org, identity_provider)
    user = verify_email(org.report.user)
    username = identity_provider.person("rita", user.email)
    before = counts()
    client = saml_client()
    answer = saml_sign_in(
        client, identity_provider, typed="acme", username=username, next_url="/o/acme/"
    )
    assert answer.status_code == 302, answer.content.decode()
    assert answer["Location"] == "/o/acme/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/o/acme/").status_code == 200
    assert counts() == before  # no login, membership or stored link made


def test_an_address_nobody_in_the_organization_has_is_refused_and_nothing_is_created(
    org, other_org, identity_provider: IdentityProvider
) -> None:
    configure_saml(org, identity_provider)
    outsider = verify_email(other_org.report.user)  # a login of the other organization only
    before = counts()
    for username, email in (("stranger", "stranger@elsewhere.example"), ("out", outsider.email)):
        client = saml_client()
        identity_provider.person(username, email)
        answer = saml_sign_in(client, identity_provider, typed="acme", username=username)
        assert answer.status_code == 302
        assert answer["Location"] == "/accounts/login/"
        assert not is_signed_in(client)
        shown = client.get("/accounts/login/").content.decode()
        assert f"has no active member with the address {email}" in shown
    assert counts() == before


@pytest.mark.parametrize(
    ("forger", "reason"),
    [
        ("impostor", "Signature validation failed"),
        ("second_identity_provider", "Invalid issuer"),
    ],
)
def test_an_answer_signed_by_another_key_is_refused(
    org,
    identity_provider: IdentityProvider,
    forger: str,
    reason: str,
    request: pytest.FixtureRequest,
    caplog: pytest.LogCaptureFixture,
) -> None:
    other: IdentityProvider = request.getfixturevalue(forger)
    sso = configure_saml(org, identity_provider)
    register_service_provider(sso, other)  # the other provider answers for our SP too
    user = verify_email(org.report.user)
    other.person("rita-forged", user.email)
    client = saml_client()
    link = start_sign_in(client, typed="acme")
    with other.answering_any_request():
        answer = post_answer(client, signed_answer(link, username="rita-forged", at=other))
    assert answer.status_code == 401
    assert reason in refused_because(caplog)
    assert not is_signed_in(client)


def test_one_organizations_provider_cannot_sign_anyone_in_to_another_organization(
    org,
    other_org,
    identity_provider: IdentityProvider,
    second_identity_provider: IdentityProvider,
    caplog: pytest.LogCaptureFixture,
) -> None:
    acme, globex = org, other_org
    user = verify_email(acme.report.user)
    MembershipFactory.create(organization=globex.organization, user=user)
    configure_saml(acme, identity_provider)
    globex_sso = configure_saml(globex, second_identity_provider)
    identity_provider.person("rita-both", user.email)

    # Acme's provider, asked to answer globex's request (it trusts globex's SP as well).
    register_service_provider(globex_sso, identity_provider)
    client = saml_client()
    link = start_sign_in(client, typed="globex")
    with identity_provider.answering_any_request():
        forged = signed_answer(link, username="rita-both", at=identity_provider)
    assert forged.action.endswith(f"/accounts/saml/{globex_sso.social_app.client_id}/acs/")
    answer = post_answer(client, forged)
    assert answer.status_code == 401
    assert "Invalid issuer" in refused_because(caplog)
    assert not is_signed_in(client)

    # Acme's genuine answer for acme, delivered to globex's ACS instead.
    client = saml_client()
    acme_answer = signed_answer(start_sign_in(client, typed="acme"), username="rita-both")
    globex_acs = f"/accounts/saml/{globex_sso.social_app.client_id}/acs/"
    assert post_answer(client, acme_answer, to=globex_acs).status_code == 401
    assert f"received at http://localhost{globex_acs} instead of" in refused_because(caplog)
    assert not is_signed_in(client)


def test_an_answer_the_provider_sends_unasked_signs_nobody_in(
    org, identity_provider: IdentityProvider, caplog: pytest.LogCaptureFixture
) -> None:
    # Accepting IdP-initiated answers would let any page post someone's (or the
    # attacker's own) signed answer into a visitor's browser: a login CSRF.
    sso = configure_saml(org, identity_provider)
    user = verify_email(org.report.user)
    identity_provider.person("rita-portal", user.email)
    answer = unsolicited_answer(identity_provider, sso=sso, username="rita-portal")
    assert "SAMLResponse" in answer.fields
    client = saml_client()
    assert post_answer(client, answer).status_code == 401
    assert "IdP initiated SSO rejected" in caplog.text
    assert not is_signed_in(client)


def test_an_answer_replayed_in_another_browser_signs_nobody_in(
    org, identity_provider: IdentityProvider
) -> None:
    configure_saml(org, identity_provider)
    user = verify_email(org.report.user)
    identity_provider.person("rita-replayed", user.email)
    client = saml_client()
    answer = signed_answer(start_sign_in(client, typed="acme"), username="rita-replayed")
    assert post_answer(client, answer).status_code == 302
    assert is_signed_in(client)

    thief = saml_client()  # never asked acme's provider for anything
    assert post_answer(thief, answer).status_code == 403  # no sign-in of this browser waits
    assert not is_signed_in(thief)


def test_metadata_with_a_separate_encryption_certificate_configures_a_working_sign_in(
    org, tmp_path: Path
) -> None:
    with running_identity_provider(tmp_path, "adfs-like", encryption_key=True) as provider:
        assert 'use="encryption"' in provider.metadata()
        sso = configure_saml(org, provider)
        signing = provider.metadata().split('use="signing"')[1].split("X509Certificate>")[1]
        assert sso.social_app.settings["idp"]["x509cert"] == signing.split("<")[0]
        user = verify_email(org.report.user)
        provider.person("rita-adfs", user.email)
        client = saml_client()
        answer = saml_sign_in(client, provider, typed="acme", username="rita-adfs")
        assert answer.status_code == 302, answer.content.decode()
        assert client.session["_auth_user_id"] == str(user.pk)


def test_a_provider_whose_metadata_address_stopped_answering_is_a_clear_error_not_a_500(
    org, tmp_path: Path
) -> None:
    with (
        running_identity_provider(tmp_path, "stopped") as provider,
        organization_scope(org.organization),
    ):
        sso_configure(
            actor=org.owner,
            data=SsoInput(
                protocol="saml",
                saml_metadata_url=provider.metadata_url,
                saml_entity_id=provider.entity_id,
            ),
        )
    client = saml_client()
    # The metadata fetched when the owner saved is kept: the sign-in starts from it.
    kept = client.post("/accounts/sso/", {"organization": "acme"})
    assert kept.status_code == 200
    assert provider.url in kept.content.decode()
    cache.clear()
    OrganizationSso.unscoped.update(saml_metadata={})  # saved before metadata was kept
    answer = client.post("/accounts/sso/", {"organization": "acme"})
    assert answer.status_code == 503
    assert "identity provider cannot be reached right now" in answer.content.decode()
    assert not is_signed_in(client)

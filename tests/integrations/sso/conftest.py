"""A real OpenID Connect provider (oidc-provider-mock, a Flask app) on a local port, and the
steps of a sign-in through it: our start page, the provider's own form, our callback.
The SAML identity providers (pysaml2) are in saml_idp.py, the steps through them in saml.py."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from django.test import Client
from oidc_provider_mock import run_server_in_thread

from perfmgmt.integrations.sso.models import OrganizationSso
from perfmgmt.integrations.sso.services import sso_configure
from perfmgmt.integrations.sso.settings import SsoInput
from perfmgmt.tenancy.context import organization_scope
from tests.conftest import OrgPeople
from tests.integrations.sso.saml_idp import IdentityProvider, running_identity_provider


@pytest.fixture(autouse=True)
def loopback_allowance(settings: Any) -> None:
    """The identity providers these tests start listen on 127.0.0.1: the test-only
    allowance lets our server reach them (perfmgmt/integrations/sso/outbound.py)."""
    settings.SSO_ALLOW_LOOPBACK_FOR_TESTS = True


@dataclass(frozen=True)
class Provider:
    url: str

    def person(self, sub: str, email: str, *, verified: bool = True) -> str:
        """Tell the provider who `sub` is (its own API), as the organization's IT would."""
        claims: dict[str, str | bool] = {"email": email, "email_verified": verified, "name": sub}
        answer = requests.put(f"{self.url}/users/{sub}", json=claims, timeout=5)
        assert answer.status_code == 204, answer.text
        return sub


@pytest.fixture(scope="session")
def provider() -> Iterator[Provider]:
    with run_server_in_thread() as server:
        yield Provider(url=f"http://localhost:{server.server_port}")


def configure(
    people: OrgPeople, provider: Provider, *, client_id: str = "perfmgmt", **options: Any
) -> OrganizationSso:
    with organization_scope(people.organization):
        return sso_configure(
            actor=people.owner,
            signed_in_through_it=True,  # as if the owner had tried it first
            data=SsoInput(
                protocol="oidc",
                issuer_url=provider.url,
                client_id=client_id,
                client_secret="s3cret-value-0123",
                **options,
            ),
        )


def provider_link(page: Any) -> str:
    """Where the start page sends the browser (its refresh and its link say the same)."""
    found = re.search(r'<meta http-equiv="refresh" content="0;url=([^"]+)">', page.content.decode())
    assert found, page.content.decode()
    return html.unescape(found.group(1))


def sso_sign_in(client: Client, *, typed: str, sub: str, next_url: str = "") -> Any:
    """Type the organization (or address) on our page, pick `sub` at the provider, and
    follow the provider's redirect back to our callback; the callback's answer."""
    started = client.post("/accounts/sso/", {"organization": typed, "next": next_url})
    assert started.status_code == 200, started.content.decode()
    authorize = provider_link(started)
    answer = requests.post(authorize, data={"sub": sub}, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    callback = urlsplit(answer.headers["Location"])
    assert callback.path.startswith("/accounts/oidc/"), callback
    return client.get(f"{callback.path}?{callback.query}")


@pytest.fixture(scope="session")
def identity_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IdentityProvider]:
    """A real SAML identity provider (pysaml2) for the whole run; each test's service
    providers are registered at it as they are configured."""
    with running_identity_provider(tmp_path_factory.mktemp("saml-idp"), "idp") as provider:
        yield provider


@pytest.fixture(scope="session")
def second_identity_provider(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[IdentityProvider]:
    """Another real SAML identity provider, with a key of its own."""
    with running_identity_provider(tmp_path_factory.mktemp("saml-idp-2"), "idp-2") as provider:
        yield provider

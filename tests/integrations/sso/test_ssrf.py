"""Single sign-on reaches only public servers: the addresses an owner enters (issuer,
metadata URL) and those the provider's documents name, at save and at every sign-in
(perfmgmt/integrations/sso/outbound.py). Loopback only under the tests' allowance, which
the tests here turn off to see the production rule; never a private network or the
metadata service."""

from __future__ import annotations

import importlib
import socket
import ssl
from pathlib import Path
from typing import Any

import pytest
import requests
from allauth.socialaccount.adapter import get_adapter
from django.core.cache import cache
from django.test import Client

from perfmgmt.integrations.sso.models import OrganizationSso
from perfmgmt.integrations.ssrf import RefusedRequest
from tests.accounts.helpers import is_signed_in, verify_email
from tests.conftest import OrgPeople, login
from tests.integrations.sso.conftest import Provider, configure, sso_sign_in
from tests.integrations.sso.receiver import running_receiver
from tests.integrations.sso.saml import saml_client
from tests.integrations.sso.saml_idp import IdentityProvider, write_key_and_certificate

pytestmark = pytest.mark.django_db

NOT_PUBLIC = "not on the public internet"
INTERNAL = [
    "https://127.0.0.1/",
    "https://localhost:8443/",
    "https://[::1]/",
    "https://2130706433/",  # 127.0.0.1 written as a number
    "https://10.1.2.3/idp",
    "https://192.168.0.10/",
    "https://169.254.169.254/latest/meta-data/",
    "https://[::ffff:10.0.0.1]/",
]


def oidc_form(url: str) -> dict[str, str]:
    return {
        "protocol": "oidc",
        "issuer_url": url,
        "client_id": "perfmgmt",
        "client_secret": "s3cret-value-0123",
    }


def saml_form(url: str) -> dict[str, str]:
    return {
        "protocol": "saml",
        "saml_metadata_url": url,
        "saml_entity_id": "https://idp.acme.example/saml",
    }


def save(org: OrgPeople, data: dict[str, str]) -> Any:
    return login(Client(), org.owner).post("/o/acme/settings/sso/", data)


def field_errors(answer: Any, field: str) -> str:
    assert answer.status_code == 400, answer.content.decode()
    return " ".join(answer.context["form"].errors.get(field, []))


@pytest.mark.parametrize("url", INTERNAL)
@pytest.mark.parametrize(
    ("form", "field"), [(oidc_form, "issuer_url"), (saml_form, "saml_metadata_url")]
)
def test_an_address_on_this_machine_or_an_internal_network_is_refused_at_save(
    org, settings, url: str, form: Any, field: str
) -> None:
    settings.SSO_ALLOW_LOOPBACK_FOR_TESTS = False
    assert NOT_PUBLIC in field_errors(save(org, form(url)), field)
    assert not OrganizationSso.unscoped.exists()


@pytest.mark.parametrize("url", ["https://10.1.2.3/", "https://169.254.169.254/"])
def test_the_test_allowance_never_opens_a_private_network_or_the_metadata_service(
    org, url: str
) -> None:
    assert NOT_PUBLIC in field_errors(save(org, oidc_form(url)), "issuer_url")
    assert NOT_PUBLIC in field_errors(save(org, saml_form(url)), "saml_metadata_url")


def test_a_name_with_one_internal_address_among_public_ones_is_refused(
    org, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.SSO_ALLOW_LOOPBACK_FOR_TESTS = False
    real = socket.getaddrinfo

    def resolve(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != "login.acme.example":
            return real(host, port, *args, **kwargs)
        stream = (socket.AF_INET, socket.SOCK_STREAM, 6, "")
        return [(*stream, ("93.184.216.34", port)), (*stream, ("10.0.0.7", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    answer = save(org, oidc_form("https://login.acme.example"))
    assert NOT_PUBLIC in field_errors(answer, "issuer_url")


def test_plain_http_is_refused_outside_the_test_allowance_even_to_this_machine(
    org, settings
) -> None:
    settings.SSO_ALLOW_LOOPBACK_FOR_TESTS = False
    with running_receiver() as receiver:
        for url in (receiver.url(""), f"http://localhost:{receiver.port}"):
            answer = save(org, saml_form(f"{url}/metadata"))
            assert "Enter an https:// address." in field_errors(answer, "saml_metadata_url")
            answer = save(org, oidc_form(url))
            assert "Enter an https:// address." in field_errors(answer, "issuer_url")
    assert receiver.connections == 0


def test_a_metadata_address_that_redirects_is_refused_at_save_and_its_target_never_called(
    org,
) -> None:
    with running_receiver() as target, running_receiver(status=302) as redirecting:
        redirecting.location = target.url("/metadata")
        answer = save(org, saml_form(redirecting.url("/metadata")))
    assert "redirect" in field_errors(answer, "saml_metadata_url")
    assert [path for path, _ in redirecting.received] == ["/metadata"]
    assert target.connections == 0
    assert not OrganizationSso.unscoped.exists()


def test_an_oidc_provider_on_this_machine_gets_no_request_at_sign_in_outside_the_allowance(
    org, settings
) -> None:
    with running_receiver() as receiver:
        configure(org, Provider(url=receiver.url("").rstrip("/")))  # saved under the allowance
        settings.SSO_ALLOW_LOOPBACK_FOR_TESTS = False
        answer = Client().post("/accounts/sso/", {"organization": "acme"})
    assert answer.status_code == 503
    assert "identity provider cannot be reached right now" in answer.content.decode()
    assert receiver.connections == 0


def test_a_discovery_document_that_redirects_is_not_followed_at_sign_in(org) -> None:
    with running_receiver() as target, running_receiver(status=302) as redirecting:
        redirecting.location = target.url("/.well-known/openid-configuration")
        configure(org, Provider(url=redirecting.url("").rstrip("/")))
        answer = Client().post("/accounts/sso/", {"organization": "acme"})
    assert answer.status_code == 503
    assert [path for path, _ in redirecting.received] == ["/.well-known/openid-configuration"]
    assert target.connections == 0


def test_a_token_endpoint_that_redirects_is_not_followed_and_signs_nobody_in(
    org, provider: Provider
) -> None:
    user = verify_email(org.report.user)
    sub = provider.person("rita", user.email)
    with running_receiver() as target, running_receiver(status=307) as token_endpoint:
        token_endpoint.location = target.url("/token")
        app = configure(org, provider).social_app
        app.settings["openid_configuration_overrides"] = {"token_endpoint": token_endpoint.url()}
        app.save()
        client = Client()
        answer = sso_sign_in(client, typed="acme", sub=sub)
    assert answer.status_code != 500
    assert not is_signed_in(client)
    assert len(token_endpoint.received) == 1  # allauth asked for the token once
    assert target.connections == 0


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/token",
        "http://127.0.0.1:{port}/keys",
        "http://[::ffff:127.0.0.1]:{port}/userinfo",
    ],
)
def test_every_request_allauth_makes_to_a_provider_goes_through_the_guard(
    settings, url: str
) -> None:
    # Token, user info and key requests all take this session from our adapter.
    settings.SSO_ALLOW_LOOPBACK_FOR_TESTS = False
    with (
        running_receiver() as receiver,
        get_adapter().get_requests_session() as session,
        pytest.raises(RefusedRequest, match=NOT_PUBLIC),
    ):
        session.post(url.format(port=receiver.port), data={"code": "x"}, timeout=60)
    assert receiver.connections == 0


def test_the_guarded_session_sends_the_urls_name_and_reads_no_more_than_its_bound() -> None:
    with running_receiver(body=b"{}") as receiver, get_adapter().get_requests_session() as session:
        assert session.get(f"http://localhost:{receiver.port}/jwks").json() == {}
        assert receiver.received[0][1]["Host"] == f"localhost:{receiver.port}"
        receiver.body = b"x" * (1024 * 1024 + 1)
        with pytest.raises(RefusedRequest, match="too long"):
            session.get(receiver.url("/jwks"))


def test_the_name_is_resolved_once_and_the_checked_address_is_the_one_connected_to(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real, lookups = socket.getaddrinfo, []

    def rebinding(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != "rebind.acme.example":
            return real(host, port, *args, **kwargs)
        lookups.append(host)
        address = "127.0.0.1" if len(lookups) == 1 else "10.0.0.9"  # answers differently later
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with running_receiver(body=b"{}") as receiver, get_adapter().get_requests_session() as session:
        answer = session.get(f"http://rebind.acme.example:{receiver.port}/keys")
    assert answer.json() == {}
    assert lookups == ["rebind.acme.example"]
    assert receiver.received[0][1]["Host"] == f"rebind.acme.example:{receiver.port}"


def test_https_goes_to_the_checked_address_and_the_certificate_is_checked_for_the_urls_name(
    tmp_path: Path,
) -> None:
    key_file, cert_file = write_key_and_certificate(tmp_path, "localhost", host=True)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert_file, key_file)
    with (
        running_receiver(tls=tls, body=b"{}") as receiver,
        get_adapter().get_requests_session() as session,
    ):
        named = session.get(f"https://localhost:{receiver.port}/keys", verify=str(cert_file))
        assert named.json() == {}
        # The same server by its address: the certificate names localhost, not 127.0.0.1.
        with pytest.raises(requests.exceptions.SSLError):
            session.get(f"https://127.0.0.1:{receiver.port}/keys", verify=str(cert_file))


def forget_kept_metadata() -> None:
    """As for a configuration saved before the last good metadata was kept."""
    OrganizationSso.unscoped.update(saml_metadata={})


def test_a_saml_metadata_address_on_this_machine_gets_no_request_at_sign_in_outside_the_allowance(
    org, settings, identity_provider: IdentityProvider
) -> None:
    with running_receiver(body=identity_provider.metadata().encode()) as receiver:
        with_url = save(
            org,
            {
                **saml_form(receiver.url("/metadata")),
                "saml_entity_id": identity_provider.entity_id,
            },
        )
        assert with_url.status_code == 302, with_url.content.decode()
        fetched_at_save = receiver.connections
        settings.SSO_ALLOW_LOOPBACK_FOR_TESTS = False
        cache.clear()  # as after allauth's hours of caching
        forget_kept_metadata()  # the guard's refusal then decides the pages
        started = saml_client().post("/accounts/sso/", {"organization": "acme"})
        provider_id = OrganizationSso.unscoped.get().social_app.client_id
        metadata = saml_client().get(f"/accounts/saml/{provider_id}/metadata/")
        direct = saml_client().get(f"/accounts/saml/{provider_id}/login/")
    assert fetched_at_save == 1
    assert (started.status_code, metadata.status_code, direct.status_code) == (503, 503, 503)
    assert receiver.connections == fetched_at_save


def test_our_service_providers_metadata_page_is_a_clear_503_while_the_idp_does_not_answer(
    org, identity_provider: IdentityProvider
) -> None:
    with running_receiver(body=identity_provider.metadata().encode()) as receiver:
        data = {
            **saml_form(receiver.url("/metadata")),
            "saml_entity_id": identity_provider.entity_id,
        }
        assert save(org, data).status_code == 302
    provider_id = OrganizationSso.unscoped.get().social_app.client_id
    cache.clear()
    forget_kept_metadata()  # with it, the page is served from it (test_provider_down.py)
    answer = saml_client().get(f"/accounts/saml/{provider_id}/metadata/")
    assert answer.status_code == 503
    assert "identity provider cannot be reached right now" in answer.content.decode()
    assert answer["Retry-After"] == "300"


def test_production_settings_carry_no_loopback_allowance(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("ALLOWED_HOSTS", "perfmgmt.example")
    monkeypatch.setenv("SSO_ALLOW_LOOPBACK_FOR_TESTS", "true")  # not read from the environment
    monkeypatch.setenv("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES_FOR_TESTS", "true")
    production = importlib.import_module("perfmgmt.settings.production")
    allowances = {name for name in vars(production) if name.endswith("_FOR_TESTS")}
    assert allowances == set()
    for name in ("base", "test", "dev"):
        module = importlib.import_module(f"perfmgmt.settings.{name}")
        assert not [setting for setting in vars(module) if setting.endswith("_FOR_TESTS")]

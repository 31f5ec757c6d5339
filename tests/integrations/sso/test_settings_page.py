"""The owners' single sign-on page: who reaches it, what it keeps, what it never shows."""

from __future__ import annotations

import datetime
import re

import pytest
from allauth.socialaccount.models import SocialApp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.test import Client

from perfmgmt.audit.models import AuditEntry
from perfmgmt.integrations.sso.models import OrganizationSso
from perfmgmt.tenancy.context import organization_scope
from tests.conftest import login
from tests.faults import free_port
from tests.integrations.sso.conftest import Provider, configure, provider_link
from tests.integrations.sso.saml_idp import IdentityProvider

pytestmark = pytest.mark.django_db

SECRET = "the-client-secret-4711"


def form(**changes: str) -> dict[str, str]:
    data = {
        "protocol": "oidc",
        "issuer_url": "https://login.acme.example",
        "client_id": "perfmgmt-acme",
        "client_secret": SECRET,
        "email_domains": "acme.example, ACME-corp.example",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def page(slug: str = "acme") -> str:
    return f"/o/{slug}/settings/sso/"


def test_an_owner_configures_oidc_and_the_secret_is_kept_but_never_shown(org) -> None:
    client = login(Client(), org.owner)
    assert client.get(page()).status_code == 200
    saved = client.post(page(), form())
    assert saved.status_code == 302, saved.content.decode()
    with organization_scope(org.organization):
        sso = OrganizationSso.objects.select_related("social_app").get()
    assert not sso.require_two_factor_for_password
    assert sso.email_domains == [
        "acme.example",
        "acme-corp.example",
    ]
    assert sso.social_app.provider_id == f"org-{org.organization.pk}"
    assert sso.social_app.secret == SECRET
    shown = client.get(page()).content.decode()
    assert SECRET not in shown
    assert "••••••••" in shown
    assert "perfmgmt-acme" in shown

    # Saving again without a secret keeps the stored one.
    kept = form(client_secret="", require_two_factor_for_password="on")
    assert client.post(page(), kept).status_code == 302
    sso.social_app.refresh_from_db()
    assert sso.social_app.secret == SECRET
    # From now on this password session (no second factor) is sent to set one up.
    assert client.get(page())["Location"].startswith("/accounts/2fa/totp/activate/")

    with organization_scope(org.organization):
        entries = list(AuditEntry.objects.filter(action="sso.configured").order_by("id"))
    assert len(entries) == 2
    assert entries[0].changes["client_secret"] == "changed"
    assert "require_two_factor_for_password" in entries[1].changes
    assert "client_secret" not in entries[1].changes
    assert all(SECRET not in str(entry.changes) for entry in entries)


def test_only_owners_reach_the_page_and_another_organization_gets_a_404(org, other_org) -> None:
    assert login(Client(), org.hr).get(page()).status_code == 403
    assert login(Client(), org.hr).post(page(), form()).status_code == 403
    outsider = login(Client(), other_org.owner)
    assert outsider.get(page()).status_code == 404
    assert outsider.post(page(), form()).status_code == 404
    assert not OrganizationSso.unscoped.exists()


def test_another_organizations_configuration_is_not_changed_by_saving_ones_own(
    org, other_org, provider: Provider
) -> None:
    configure(org, provider, email_domains=["acme.example"])
    client = login(Client(), other_org.owner)
    assert client.post(page("globex"), form(client_id="globex-id")).status_code == 302
    acme = OrganizationSso.unscoped.select_related("social_app").get(organization=org.organization)
    assert acme.social_app.client_id == "perfmgmt"
    assert acme.email_domains == ["acme.example"]
    assert SocialApp.objects.count() == 2
    assert "globex-id" not in login(Client(), org.owner).get(page()).content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"issuer_url": "ftp://login.acme.example"}, "issuer_url", "Enter an https:// address."),
        ({"issuer_url": "http://login.acme.example"}, "issuer_url", "Enter an https:// address."),
        ({"client_id": ""}, "client_id", "Enter the client id."),
        ({"client_secret": ""}, "client_secret", "Enter the client secret."),
        ({"email_domains": "not a domain"}, "email_domains", "is not a domain name"),
        ({"protocol": "kerberos"}, "protocol", "Select a valid choice"),
        (
            {"protocol": "saml", "saml_metadata_xml": "<nope"},
            "saml_metadata_xml",
            "This is not identity provider metadata",
        ),
        (
            {"protocol": "saml", "saml_metadata_url": "https://idp.example/metadata"},
            "saml_entity_id",
            "Enter the identity provider",
        ),
        ({"protocol": "saml"}, "saml_metadata_url", "Enter the identity provider"),
    ],
)
def test_bad_input_is_a_form_error_and_saves_nothing(org, changes, field, message) -> None:
    answer = login(Client(), org.owner).post(page(), form(**changes))
    assert answer.status_code == 400
    assert message in " ".join(answer.context["form"].errors.get(field, []))
    assert not OrganizationSso.unscoped.exists()
    assert not SocialApp.objects.exists()


def identity_provider_metadata() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idp.acme.example")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    pem = certificate.public_bytes(serialization.Encoding.PEM).decode()
    body = "".join(pem.strip().splitlines()[1:-1])
    return f"""<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.acme.example/saml">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data>
      <ds:X509Certificate>{body}</ds:X509Certificate>
    </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="https://idp.acme.example/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"""


def test_saml_metadata_configures_allauths_saml_provider_and_its_login_goes_to_the_idp(
    org,
) -> None:
    client = login(Client(), org.owner)
    saved = client.post(
        page(), form(protocol="saml", client_id="", saml_metadata_xml=identity_provider_metadata())
    )
    assert saved.status_code == 302, saved.content.decode()
    app = SocialApp.objects.get(provider="saml")
    provider_id = f"org-{org.organization.pk}"
    assert app.client_id == provider_id
    assert app.secret == ""
    assert app.settings["idp"]["entity_id"] == "https://idp.acme.example/saml"
    assert app.settings["idp"]["sso_url"] == "https://idp.acme.example/sso"

    # onelogin refuses the test client's "testserver" as a host name.
    metadata = Client(HTTP_HOST="localhost").get(f"/accounts/saml/{provider_id}/metadata/")
    assert metadata.status_code == 200
    assert f"/accounts/saml/{provider_id}/acs/" in metadata.content.decode()
    started = Client(HTTP_HOST="localhost").post("/accounts/sso/", {"organization": "acme"})
    assert started.status_code == 200
    assert provider_link(started).startswith("https://idp.acme.example/sso?SAMLRequest=")


def test_requiring_sso_needs_a_session_signed_in_through_it_so_nobody_is_locked_out(
    org, provider: Provider
) -> None:
    client = login(Client(), org.owner)
    refused = client.post(page(), form(require_sso="on"))
    assert refused.status_code == 400
    assert "Sign in through the single sign-on once" in refused.content.decode()
    assert not OrganizationSso.unscoped.exists()
    assert client.post(page(), form()).status_code == 302  # saved without requiring it

    configure(org, provider, require_sso=True)  # by an owner signed in through it
    with organization_scope(org.organization):
        assert OrganizationSso.objects.get().require_sso


def test_pasted_metadata_with_several_signing_certificates_asks_for_its_url_instead(org) -> None:
    # A provider in the middle of a key rollover publishes its old and its new certificate;
    # trusting only one of them would break sign-in when it switches.
    rolled_over = identity_provider_metadata()
    other_key = re.search(
        r"<md:KeyDescriptor.*?</md:KeyDescriptor>", identity_provider_metadata(), re.DOTALL
    )
    assert other_key is not None
    rolled_over = rolled_over.replace(
        "<md:SingleSignOnService", f"{other_key.group(0)}\n    <md:SingleSignOnService"
    )
    answer = login(Client(), org.owner).post(
        page(), form(protocol="saml", client_id="", saml_metadata_xml=rolled_over)
    )
    assert answer.status_code == 400
    errors = " ".join(answer.context["form"].errors["saml_metadata_xml"])
    assert "several signing certificates. Enter its URL instead" in errors
    assert not OrganizationSso.unscoped.exists()


def test_a_saml_metadata_address_must_answer_with_that_entity_ids_provider(
    org, identity_provider: IdentityProvider
) -> None:
    client = login(Client(), org.owner)
    saml = {"protocol": "saml", "client_id": ""}
    nothing_there = f"http://127.0.0.1:{free_port()}/metadata"
    cases = [
        (nothing_there, identity_provider.entity_id, "saml_metadata_url", "No identity provider"),
        (
            f"{identity_provider.url}/nowhere",
            identity_provider.entity_id,
            "saml_metadata_url",
            "No",
        ),
        (identity_provider.metadata_url, "https://other.example/idp", "saml_entity_id", "has no"),
    ]
    for url, entity_id, field, message in cases:
        data = form(**saml, saml_metadata_url=url, saml_entity_id=entity_id)
        answer = client.post(page(), data)
        assert answer.status_code == 400, (url, entity_id)
        assert message in " ".join(answer.context["form"].errors[field])
    assert not OrganizationSso.unscoped.exists()

    right = form(
        **saml,
        saml_metadata_url=identity_provider.metadata_url,
        saml_entity_id=identity_provider.entity_id,
    )
    assert client.post(page(), right).status_code == 302
    assert OrganizationSso.unscoped.get().social_app.settings["idp"] == {
        "entity_id": identity_provider.entity_id,
        "metadata_url": identity_provider.metadata_url,
    }

"""The steps of a SAML sign-in against a real identity provider (saml_idp.py): the owner
configures the organization with the provider's metadata, the provider's administrator
registers our service provider from our metadata page, and a person goes our start page ->
the provider's form -> the provider's signed answer, posted to allauth's ACS."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import requests
from django.test import Client

from perfmgmt.integrations.sso.models import OrganizationSso
from perfmgmt.integrations.sso.services import sso_configure
from perfmgmt.integrations.sso.settings import SsoInput
from perfmgmt.tenancy.context import organization_scope
from tests.conftest import OrgPeople
from tests.integrations.sso.conftest import provider_link
from tests.integrations.sso.saml_idp import IdentityProvider

# onelogin (allauth's SAML library) refuses the test client's single-label "testserver".
HOST = "localhost"


def saml_client() -> Client:
    return Client(HTTP_HOST=HOST)


@dataclass
class Form:
    action: str = ""
    fields: dict[str, str] = field(default_factory=dict)


class FormReader(HTMLParser):
    """The first form of a page: its action and its named inputs' values."""

    def __init__(self) -> None:
        super().__init__()
        self.form: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form" and self.form is None:
            self.form = Form(action=values.get("action", ""))
        elif tag == "input" and self.form is not None and values.get("name"):
            self.form.fields[values["name"]] = values.get("value", "")


def first_form(page: str) -> Form:
    reader = FormReader()
    reader.feed(page)
    assert reader.form is not None, page
    return reader.form


def register_service_provider(sso: OrganizationSso, idp: IdentityProvider) -> None:
    """What the provider's administrator does with our metadata page's address."""
    metadata = saml_client().get(f"/accounts/saml/{sso.social_app.client_id}/metadata/")
    assert metadata.status_code == 200, metadata.content.decode()
    idp.trust(metadata.content.decode())


def configure_saml(people: OrgPeople, idp: IdentityProvider, **options: Any) -> OrganizationSso:
    """The owner pastes the provider's metadata (downloaded from it) into our service; the
    provider then trusts our service provider."""
    metadata = requests.get(idp.metadata_url, timeout=5)
    assert metadata.status_code == 200
    with organization_scope(people.organization):
        sso = sso_configure(
            actor=people.owner,
            signed_in_through_it=True,  # as if the owner had tried it first
            data=SsoInput(protocol="saml", saml_metadata_xml=metadata.text, **options),
        )
    register_service_provider(sso, idp)
    return sso


def start_sign_in(client: Client, *, typed: str, next_url: str = "") -> str:
    """Our start page: the address at the provider it sends the browser to."""
    started = client.post("/accounts/sso/", {"organization": typed, "next": next_url})
    assert started.status_code == 200, started.content.decode()
    return provider_link(started)


def signed_answer(link: str, *, username: str, at: IdentityProvider | None = None) -> Form:
    """Open the provider's sign-in form at `link` (or the same request at another provider
    `at`), pick `username`; the self-posting form with the provider's signed answer."""
    if at is not None:
        link = f"{at.url}/sso/redirect?{urlsplit(link).query}"
    sign_in_form = requests.get(link, timeout=10)
    assert sign_in_form.status_code == 200, sign_in_form.text
    form = first_form(sign_in_form.text)
    answer = requests.post(form.action, data={**form.fields, "username": username}, timeout=30)
    assert answer.status_code == 200, answer.text
    posted = first_form(answer.text)
    assert "SAMLResponse" in posted.fields, answer.text
    return posted


def unsolicited_answer(idp: IdentityProvider, *, sso: OrganizationSso, username: str) -> Form:
    """The provider's own portal signs `username` in to our service provider unasked."""
    entity_id = f"http://{HOST}/accounts/saml/{sso.social_app.client_id}/metadata/"
    data = {"sp": entity_id, "username": username, "RelayState": "/o/"}
    answer = requests.post(f"{idp.url}/sso/login", data=data, timeout=30)
    assert answer.status_code == 200, answer.text
    return first_form(answer.text)


def post_answer(client: Client, answer: Form, *, to: str | None = None) -> Any:
    """The browser posts the answer to our ACS (or to the path `to`) and follows allauth's
    hop to its finishing view; that view's response."""
    acs = to or urlsplit(answer.action).path
    assert acs.startswith("/accounts/saml/"), answer.action
    received = client.post(acs, answer.fields)
    assert received.status_code == 302, received.content.decode()
    return client.get(received["Location"])


def saml_sign_in(
    client: Client, idp: IdentityProvider, *, typed: str, username: str, next_url: str = ""
) -> Any:
    link = start_sign_in(client, typed=typed, next_url=next_url)
    assert link.startswith(f"{idp.url}/sso/redirect?SAMLRequest="), link
    return post_answer(client, signed_answer(link, username=username))

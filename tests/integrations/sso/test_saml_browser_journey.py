"""The SAML sign-in journey in real Chromium: our start page, the identity provider's own
form (pysaml2), its self-posting answer to allauth's ACS across sites, back to the page
asked for, of an organization that requires that sign-in."""

from __future__ import annotations

import re

import pytest
import requests

from tests.accounts.helpers import verify_email
from tests.integrations.sso.saml import configure_saml
from tests.integrations.sso.saml_idp import IdentityProvider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_signs_in_through_the_saml_provider_in_a_browser(
    live_server, new_context, identity_provider: IdentityProvider, org
) -> None:
    user = verify_email(org.report.user)
    sso = configure_saml(org, identity_provider, email_domains=["acme.example"], require_sso=True)
    # The provider's administrator registers the service provider as the browser reaches it.
    metadata_url = f"{live_server.url}/accounts/saml/{sso.social_app.client_id}/metadata/"
    identity_provider.trust(requests.get(metadata_url, timeout=10).text)
    identity_provider.person("rita-browser", user.email)

    context = new_context()
    context.set_default_timeout(60_000)  # the provider, the server and Chromium share 2 cores
    page = context.new_page()
    page.goto(f"{live_server.url}/o/acme/")
    page.wait_for_url(re.compile(r"/accounts/login/\?next="))
    page.fill("#sso-organization", "rita@acme.example")  # a work address routes to acme
    page.get_by_role("button", name="Sign in with your organization's SSO").click()
    page.wait_for_url(re.compile(re.escape(identity_provider.url) + r"/sso/redirect\?SAMLRequest="))
    page.fill("input[name=username]", "rita-browser")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/o/acme/$"))
    assert page.get_by_role("heading").first.is_visible()

"""The single sign-on journey in real Chromium: our sign-in page, the provider's own page,
back to the organization's home; a password session is turned away from that organization."""

from __future__ import annotations

import re

import pytest

from tests.accounts.helpers import verify_email
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory
from tests.integrations.sso.conftest import Provider, configure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_signs_in_through_the_provider_in_a_browser(
    live_server, new_context, provider: Provider, org, other_org
) -> None:
    acme, globex = org, other_org
    user = verify_email(acme.report.user)
    MembershipFactory.create(organization=globex.organization, user=user)
    configure(acme, provider, email_domains=["acme.example"], require_sso=True)
    provider.person("rita-browser", user.email)

    context = new_context()
    context.set_default_timeout(60_000)  # the provider, the server and Chromium share 2 cores
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{live_server.url}/o/acme/")
    page.wait_for_url(re.compile(r"/accounts/sso/\?organization=acme"))
    assert "requires signing in through its single sign-on" in page.content()
    page.goto(f"{live_server.url}/o/globex/")
    page.wait_for_url(re.compile(r"/o/globex/$"))

    page.goto(f"{live_server.url}/accounts/sso/?organization=acme&next=/o/acme/")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(re.escape(provider.url) + r"/oauth2/authorize"))
    page.fill("input[name=sub]", "rita-browser")
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/o/acme/$"))
    assert page.get_by_role("heading").first.is_visible()

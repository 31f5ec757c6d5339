"""What an organization's sign-in requirements do to sessions: only its own pages and API,
only for sessions (API keys are unaffected), and never for its other organizations."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client

from perfmgmt.api.models import Scope
from tests.accounts.helpers import sign_in, verify_email
from tests.api.conftest import create_key, key_client
from tests.conftest import PASSWORD, OrgPeople
from tests.factories import MembershipFactory
from tests.integrations.sso.conftest import Provider, configure, sso_sign_in

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)  # the start of a 30-second TOTP window


def shared_person(org: OrgPeople, other_org: OrgPeople):
    """A login that belongs to both organizations, with a verified address."""
    user = verify_email(org.report.user)
    MembershipFactory.create(organization=other_org.organization, user=user)
    return user


def password_session(user) -> Client:
    client = Client()
    sign_in(client, user.email, PASSWORD)
    assert "_auth_user_id" in client.session
    return client


def members_api(slug: str) -> str:
    return f"/api/v1/orgs/{slug}/members/"


def test_required_sso_turns_a_password_session_away_from_that_organization_only(
    org, other_org, provider: Provider
) -> None:
    user = shared_person(org, other_org)
    configure(org, provider, require_sso=True)
    client = password_session(user)

    page = client.get("/o/acme/")
    assert page.status_code == 302
    assert page["Location"] == f"/accounts/sso/?organization=acme&next={quote('/o/acme/', safe='')}"
    shown = client.get(page["Location"]).content.decode()
    assert "Acme requires signing in through its single sign-on." in shown
    api = client.get(members_api("acme"))
    assert api.status_code == 403
    assert "single sign-on" in api.json()["error"]["message"]

    assert client.get("/o/globex/").status_code == 200
    assert client.get(members_api("globex")).status_code == 200
    _credential, key = create_key(org, [Scope.MEMBERS_READ])
    assert key_client(key).get(members_api("acme")).status_code == 200


def test_after_signing_in_through_the_organizations_provider_its_pages_open(
    org, provider: Provider
) -> None:
    configure(org, provider, require_sso=True, require_two_factor_for_password=True)
    user = verify_email(org.report.user)
    client = Client()
    sso_sign_in(client, typed="acme", sub=provider.person("rita-required", user.email))
    assert client.get("/o/acme/").status_code == 200
    assert client.get(members_api("acme")).status_code == 200


def test_a_session_from_one_organizations_provider_does_not_open_another_organization(
    org, other_org, provider: Provider
) -> None:
    user = shared_person(org, other_org)
    configure(org, provider)
    client = Client()
    sso_sign_in(client, typed="acme", sub=provider.person("rita-elsewhere", user.email))
    assert client.get("/o/acme/").status_code == 200

    # Globex has no SSO: acme's provider says nothing about who may open it.
    page = client.get("/o/globex/")
    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/reauthenticate/")
    assert client.get(members_api("globex")).status_code == 403
    confirmed = client.post(page["Location"], {"password": PASSWORD})
    assert confirmed.status_code == 302
    assert client.get("/o/globex/").status_code == 200

    # Once globex requires its own SSO, acme's provider never lets anyone in there.
    configure(other_org, provider, client_id="globex", require_sso=True)
    page = client.get("/o/globex/")
    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/sso/?organization=globex")
    assert client.get("/o/acme/").status_code == 200


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_required_two_factor_sends_a_password_session_to_enrol_and_then_to_use_it(
    org, other_org, provider: Provider
) -> None:
    user = shared_person(org, other_org)
    configure(org, provider, require_two_factor_for_password=True)
    with time_machine.travel(START, tick=False) as clock:
        client = password_session(user)
        page = client.get("/o/acme/")
        assert page.status_code == 302
        assert page["Location"].startswith("/accounts/2fa/totp/activate/")
        assert client.get(members_api("acme")).status_code == 403
        assert client.get("/o/globex/").status_code == 200

        # Enrol (allauth asks for the password again first), then use the app's code.
        activate = client.get(page["Location"])
        client.post(activate["Location"], {"password": PASSWORD})
        form = client.get("/accounts/2fa/totp/activate/")
        secret = form.context["form"].secret
        enrolled = client.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})
        assert enrolled.status_code == 302
        page = client.get("/o/acme/")
        assert page.status_code == 302
        assert page["Location"].startswith("/accounts/2fa/reauthenticate/")
        clock.shift(timedelta(seconds=30))
        used = client.post(page["Location"], {"code": current_code(secret)})
        assert used.status_code == 302
        assert client.get("/o/acme/").status_code == 200
        assert client.get(members_api("acme")).status_code == 200

"""Two-factor authentication with an authenticator app (TOTP), driven through allauth's pages."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client

from tests.accounts.helpers import is_signed_in, landed_on, sign_in, verify_email
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

# The start of a 30-second TOTP window, so a frozen clock never straddles two codes.
START = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def wrong_code(secret: str) -> str:
    return f"{(int(current_code(secret)) + 1) % 1_000_000:06d}"


def activate_totp(client: Client) -> str:
    """Confirm the password (allauth asks for it again before changing two-factor settings),
    open the activation page, read the secret, answer with the current code."""
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/reauthenticate/")
    page = client.post(page["Location"], {"password": PASSWORD}, follow=True)
    assert page.redirect_chain[-1][0] == "/accounts/2fa/totp/activate/"
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302, response.content.decode()
    return secret


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_enabling_an_authenticator_app_makes_the_next_sign_in_ask_for_a_code(org, clock):
    user = verify_email(org.report.user)
    client = Client()
    sign_in(client, user.email, PASSWORD)
    secret = activate_totp(client)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    client.post("/accounts/logout/")
    clock.shift(timedelta(seconds=30))

    response = sign_in(client, user.email, PASSWORD)

    assert landed_on(response) == "/accounts/2fa/authenticate/"
    assert not is_signed_in(client)
    refused = client.post("/accounts/2fa/authenticate/", {"code": wrong_code(secret)})
    assert refused.status_code == 200
    assert "Incorrect code" in refused.content.decode()
    assert not is_signed_in(client)

    accepted = client.post(
        "/accounts/2fa/authenticate/", {"code": current_code(secret)}, follow=True
    )

    assert is_signed_in(client)
    assert landed_on(accepted) == "/o/acme/"


def test_activation_refuses_a_wrong_code_and_stays_off(org, clock):
    user = verify_email(org.report.user)
    client = Client()
    sign_in(client, user.email, PASSWORD)
    page = client.post(
        "/accounts/reauthenticate/?next=/accounts/2fa/totp/activate/",
        {"password": PASSWORD},
        follow=True,
    )
    secret = page.context["form"].secret

    response = client.post("/accounts/2fa/totp/activate/", {"code": wrong_code(secret)})

    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert not Authenticator.objects.filter(user=user).exists()


def test_a_code_already_used_to_sign_in_cannot_be_used_again(org, clock):
    user = verify_email(org.report.user)
    client = Client()
    sign_in(client, user.email, PASSWORD)
    secret = activate_totp(client)
    client.post("/accounts/logout/")
    clock.shift(timedelta(seconds=30))
    sign_in(client, user.email, PASSWORD)
    code = current_code(secret)
    client.post("/accounts/2fa/authenticate/", {"code": code})
    client.post("/accounts/logout/")

    other = Client()
    sign_in(other, user.email, PASSWORD)
    replay = other.post("/accounts/2fa/authenticate/", {"code": code})

    assert not is_signed_in(other)
    assert "Incorrect code" in replay.content.decode()


def test_recovery_codes_are_shown_after_activation_and_sign_in_with_one(org, clock):
    user = verify_email(org.report.user)
    client = Client()
    sign_in(client, user.email, PASSWORD)
    activate_totp(client)
    codes_page = client.get("/accounts/2fa/recovery-codes/")
    codes = codes_page.context["unused_codes"]
    assert len(codes) >= 8
    client.post("/accounts/logout/")

    sign_in(client, user.email, PASSWORD)
    response = client.post("/accounts/2fa/authenticate/", {"code": codes[0]}, follow=True)

    assert is_signed_in(client)
    assert landed_on(response) == "/o/acme/"

"""Signing in, email verification, password reset and the failed-login limit, over HTTP."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.accounts.helpers import is_signed_in, landed_on, sign_in, verify_email
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_person_signs_in_with_email_and_password_and_lands_on_their_organization_home(org):
    verify_email(org.report.user)
    client = Client()

    response = sign_in(client, org.report.user.email, PASSWORD)

    assert landed_on(response) == "/o/acme/"
    assert response.status_code == 200
    assert is_signed_in(client)
    assert "What's next" in response.content.decode()


def test_the_email_address_is_not_case_sensitive_when_signing_in(org):
    verify_email(org.report.user)
    client = Client()

    response = sign_in(client, org.report.user.email.upper(), PASSWORD)

    assert landed_on(response) == "/o/acme/"


def test_a_wrong_password_is_refused_with_a_message_and_the_email_kept(org):
    verify_email(org.report.user)
    client = Client()

    response = sign_in(client, org.report.user.email, "not the password")

    assert not is_signed_in(client)
    page = response.content.decode()
    assert "not correct" in page
    assert f'value="{org.report.user.email}"' in page


def test_an_unverified_address_cannot_sign_in_and_gets_a_verification_email(org):
    client = Client()

    response = sign_in(client, org.report.user.email, PASSWORD)

    assert not is_signed_in(client)
    assert landed_on(response) == "/accounts/confirm-email/"
    assert "Verify Your Email Address" in response.content.decode()
    assert [message.to for message in mail.outbox] == [[org.report.user.email]]
    assert client.get("/o/acme/").status_code == 302


def test_following_the_verification_link_verifies_the_address_and_signs_in(org):
    client = Client()
    sign_in(client, org.report.user.email, PASSWORD)
    link = re.search(r"/accounts/confirm-email/[^\s]+/", str(mail.outbox[0].body))
    assert link is not None

    response = client.post(link.group(0), follow=True)

    assert is_signed_in(client)
    assert landed_on(response) == "/o/acme/"
    assert org.report.user.emailaddress_set.get().verified


def test_a_password_reset_email_link_sets_a_new_password_that_then_works(org):
    user = verify_email(org.report.user)
    client = Client()

    response = client.post("/accounts/password/reset/", {"email": user.email}, follow=True)
    assert landed_on(response) == "/accounts/password/reset/done/"
    assert len(mail.outbox) == 1
    link = re.search(r"/accounts/password/reset/key/[^\s]+/", str(mail.outbox[0].body))
    assert link is not None

    form_page = client.get(link.group(0), follow=True)
    set_password_url = landed_on(form_page)
    assert set_password_url.endswith("-set-password/")
    done = client.post(
        set_password_url,
        {"password1": "a brand new passphrase 7", "password2": "a brand new passphrase 7"},
        follow=True,
    )
    assert landed_on(done) == "/accounts/password/reset/key/done/"

    fresh = Client()
    assert not is_signed_in(fresh)
    assert not is_signed_in_after(fresh, user.email, PASSWORD)
    assert is_signed_in_after(Client(), user.email, "a brand new passphrase 7")


def is_signed_in_after(client: Client, email: str, password: str) -> bool:
    sign_in(client, email, password)
    return is_signed_in(client)


def test_a_password_reset_link_works_only_once(org):
    user = verify_email(org.report.user)
    client = Client()
    client.post("/accounts/password/reset/", {"email": user.email})
    link = re.search(r"/accounts/password/reset/key/[^\s]+/", str(mail.outbox[0].body))
    assert link is not None
    set_password_url = landed_on(client.get(link.group(0), follow=True))
    client.post(
        set_password_url, {"password1": "first new phrase 91", "password2": "first new phrase 91"}
    )

    again = Client().get(link.group(0), follow=True)

    assert "Bad Token" in again.content.decode() or "invalid" in again.content.decode()
    assert is_signed_in_after(Client(), user.email, "first new phrase 91")


def test_the_sixth_failed_sign_in_within_five_minutes_is_refused_even_with_the_right_password(org):
    user = verify_email(org.report.user)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(5):
            assert not is_signed_in_after(Client(), user.email, "wrong password")

        client = Client()
        response = sign_in(client, user.email, PASSWORD)

        assert not is_signed_in(client)
        assert "Too many failed login attempts" in response.content.decode()

        clock.shift(timedelta(minutes=5, seconds=1))
        assert is_signed_in_after(Client(), user.email, PASSWORD)

"""Signing in through an organization's OpenID Connect provider, against a real provider."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.accounts.helpers import is_signed_in, verify_email
from tests.integrations.sso.conftest import Provider, configure, sso_sign_in

pytestmark = pytest.mark.django_db


def test_a_member_signs_in_through_their_organizations_provider_and_opens_its_pages(
    org, provider: Provider
) -> None:
    configure(org, provider)
    user = verify_email(org.report.user)
    sub = provider.person("rita", user.email)
    client = Client()
    answer = sso_sign_in(client, typed="acme", sub=sub, next_url="/o/acme/")
    assert answer.status_code == 302, answer.content.decode()
    assert answer["Location"] == "/o/acme/"
    assert is_signed_in(client)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/o/acme/").status_code == 200

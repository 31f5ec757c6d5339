"""Signing in through the real allauth pages, as a browser would."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.test import Client

from perfmgmt.accounts.models import User

LOGIN_URL = "/accounts/login/"


def verify_email(user: User) -> User:
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def sign_in(client: Client, email: str, password: str) -> Any:
    """Post the sign-in form and follow the redirects to wherever it lands."""
    return client.post(LOGIN_URL, {"login": email, "password": password}, follow=True)


def landed_on(response: Any) -> str:
    return response.redirect_chain[-1][0] if response.redirect_chain else ""


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session

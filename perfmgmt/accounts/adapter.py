from typing import Any

import requests
from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .client_address import client_address


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        from django.urls import reverse

        return reverse("web:start")

    def get_client_ip(self, request: HttpRequest) -> str:
        # allauth's rate limits (failed sign-ins, sign-ups, password resets) count per this
        # address: the real client behind our proxies, never the proxy itself.
        address = client_address(request)
        if address is None:
            raise PermissionDenied("Unable to determine client IP address")
        return address


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Every provider is one organization's single sign-on (perfmgmt/integrations/sso/)."""

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        from perfmgmt.integrations.sso.signin import sso_sign_in_accept

        sso_sign_in_accept(request, sociallogin)

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False  # logins are made by invitation, never by an identity provider

    def get_requests_session(self) -> requests.Session:
        # Every request allauth makes to a provider (OpenID Connect discovery, token, user
        # info, keys) goes to an address an owner typed or a document named: only public
        # servers, no redirects (perfmgmt/integrations/sso/outbound.py).
        from perfmgmt.integrations.sso.outbound import session

        return session()

    def get_app(
        self, request: HttpRequest | None, provider: str, client_id: Any = None
    ) -> SocialApp:
        # A SAML metadata URL allauth would fetch past that session: fetched through it first.
        from perfmgmt.integrations.sso.saml_metadata import guarded_app

        return guarded_app(super().get_app(request, provider=provider, client_id=client_id))

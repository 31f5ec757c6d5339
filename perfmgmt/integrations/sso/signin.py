"""A sign-in through an organization's identity provider: who it is, and whether they may.

Called by the allauth adapter (perfmgmt/accounts/adapter.py) after the provider answered
and before allauth signs anyone in. The person is the existing login whose verified address
the provider vouches for (OpenID Connect: `email_verified`; SAML: the signed assertion of the
organization's own provider) and must be an active member of that organization. Nothing is
created or changed: no login, no membership, no link stored on the login (it is shared with
other organizations), so leaving the organization ends SSO sign-in at once.
"""

from __future__ import annotations

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.models import SocialLogin
from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .models import Protocol
from .selectors import sso_for_provider, sso_login_for


def _refuse(request: HttpRequest, message: str) -> ImmediateHttpResponse:
    messages.error(request, message)
    return ImmediateHttpResponse(redirect("account_login"))


def vouched_address(sociallogin: SocialLogin, protocol: str) -> str:
    for address in sociallogin.email_addresses:
        if address.verified or protocol == Protocol.SAML:
            return str(address.email)
    return ""


def sso_sign_in_accept(request: HttpRequest, sociallogin: SocialLogin) -> None:
    """Point `sociallogin` at the login it signs in, or refuse (ImmediateHttpResponse)."""
    sso = sso_for_provider(provider_id=sociallogin.account.provider)
    if sso is None:
        raise _refuse(request, _("This sign-in provider is not configured."))
    email = vouched_address(sociallogin, sso.protocol)
    if not email:
        raise _refuse(request, _("Your identity provider did not confirm your email address."))
    user = sso_login_for(sso=sso, email=email)
    if user is None:
        message = _(
            "%(organization)s has no active member with the address %(email)s. If you were "
            "invited, accept the invitation first."
        ) % {"organization": sso.organization.name, "email": email}
        raise _refuse(request, message)
    sociallogin.user = user

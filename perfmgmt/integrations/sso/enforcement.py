"""May this session open this organization? The one check, called by the page base
(perfmgmt/web/base.py) and the API base (perfmgmt/api/base.py) for sessions; API keys are
not sessions and never reach it.

A session's sign-ins are what allauth recorded in it (`get_authentication_records`): the
password, a sign-in code or reset, an identity provider (`provider`: `org-<id>`), a second
factor. A session without records (made outside allauth's sign-in) counts as a password one.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from perfmgmt.tenancy.models import Organization

from .models import provider_id_for
from .selectors import sign_in_policy

SECOND_FACTOR = "mfa"
IDENTITY_PROVIDER = "socialaccount"


@dataclass(frozen=True)
class SignInRequired:
    """The session may not open the organization: what to tell the person, where to go."""

    message: str
    url: str


@dataclass(frozen=True)
class SessionSignIns:
    providers: frozenset[str]
    other_first_factor: bool
    second_factor: bool

    @classmethod
    def of(cls, request: HttpRequest) -> SessionSignIns:
        # A request without a session (a view called without the middleware) has no
        # records: it counts as a password sign-in, like a session made outside allauth.
        records = (
            get_authentication_records(request, request.user) if hasattr(request, "session") else []
        )
        methods = [record.get("method") for record in records]
        providers = {
            str(record.get("provider"))
            for record in records
            if record.get("method") == IDENTITY_PROVIDER
        }
        others = [m for m in methods if m not in (IDENTITY_PROVIDER, SECOND_FACTOR)]
        return cls(
            providers=frozenset(providers),
            other_first_factor=bool(others) or not records,
            second_factor=SECOND_FACTOR in methods,
        )


def _url(name: str, request: HttpRequest, **query: str) -> str:
    return f"{reverse(name)}?{urlencode({**query, 'next': request.get_full_path()})}"


def _second_factor_required(request: HttpRequest, organization: Organization) -> SignInRequired:
    enrolled = Authenticator.objects.filter(
        user_id=request.user.pk, type=Authenticator.Type.TOTP
    ).exists()
    if not enrolled:
        message = _(
            "%(organization)s requires two-factor authentication: set up an authenticator app."
        )
        return SignInRequired(
            message % {"organization": organization.name}, _url("mfa_activate_totp", request)
        )
    message = _("%(organization)s requires two-factor authentication: enter a code from your app.")
    return SignInRequired(
        message % {"organization": organization.name}, _url("mfa_reauthenticate", request)
    )


def session_sign_in_required(
    request: HttpRequest, organization: Organization
) -> SignInRequired | None:
    """None when the session may open the organization; otherwise what it needs first."""
    signed_in = SessionSignIns.of(request)
    if provider_id_for(organization.pk) in signed_in.providers:
        return None  # the organization's own identity provider vouched for this person
    policy = sign_in_policy(organization=organization)
    if policy.require_sso:
        message = _("%(organization)s requires signing in through its single sign-on.")
        return SignInRequired(
            message % {"organization": organization.name},
            _url("sso:start", request, organization=organization.slug),
        )
    if not signed_in.other_first_factor:
        # Only another organization's provider vouched for this session: it says nothing
        # about who may open this one.
        message = _(
            "You signed in through another organization's single sign-on. Confirm your "
            "password to open %(organization)s."
        )
        return SignInRequired(
            message % {"organization": organization.name}, _url("account_reauthenticate", request)
        )
    if policy.require_two_factor_for_password and not signed_in.second_factor:
        return _second_factor_required(request, organization)
    return None

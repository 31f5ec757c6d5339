"""Reads of single sign-on configurations.

Sign-in happens before any organization is active, so the lookups by provider id, slug or
address domain read across organizations (tests/tenancy/test_scoping.py lists this module).
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.base_user import AbstractBaseUser

from perfmgmt.tenancy.models import Membership, MembershipStatus, Organization

from .models import OrganizationSso, SignInPolicy, organization_id_of


def sso_get(*, organization: Organization) -> OrganizationSso | None:
    """The organization's configuration with its allauth app, or None."""
    return (
        OrganizationSso.unscoped.select_related("social_app", "organization")
        .filter(organization=organization)
        .first()
    )


def sign_in_policy(*, organization: Organization) -> SignInPolicy:
    """What the organization requires of sessions, read from the organization row the
    request already loaded with the membership (no query; `sso_configure` keeps it)."""
    return SignInPolicy.of(organization)


def sso_for_provider(*, provider_id: str) -> OrganizationSso | None:
    """The configuration behind an allauth provider id (`org-<id>`); None when not ours."""
    organization_id = organization_id_of(provider_id)
    if organization_id is None:
        return None
    return (
        OrganizationSso.unscoped.select_related("organization", "social_app")
        .filter(organization_id=organization_id, social_app__provider_id=provider_id)
        .first()
    )


def sso_route(*, text: str) -> OrganizationSso | None:
    """The configuration a person means by an organization's slug or their work address.

    An address routes only when exactly one organization claims its domain: claims are not
    verified, so a contested domain routes nowhere and the person types the slug instead.
    """
    text = text.strip().lower()
    query = OrganizationSso.unscoped.select_related("organization", "social_app")
    if "@" in text:
        domain = text.rsplit("@", 1)[1]
        claims = list(query.filter(email_domains__contains=[domain])[:2]) if domain else []
        return claims[0] if len(claims) == 1 else None
    return query.filter(organization__slug=text).first()


def sso_login_for(*, sso: OrganizationSso, email: str) -> AbstractBaseUser | None:
    """The login whose verified address is `email`, if it may enter the organization now
    (an active or on-leave member); None otherwise."""
    address = (
        EmailAddress.objects.filter(email__iexact=email.strip(), verified=True)
        .select_related("user")
        .first()
    )
    if address is None or not address.user.is_active:
        return None
    allowed = Membership.unscoped.filter(
        organization_id=sso.organization_id,
        user=address.user,
        status__in=[MembershipStatus.ACTIVE, MembershipStatus.ON_LEAVE],
    ).exists()
    return address.user if allowed else None

"""An organization's single sign-on configuration (one per organization)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from allauth.socialaccount.models import SocialApp
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perfmgmt.tenancy.scoping import TenantModel

if TYPE_CHECKING:
    from perfmgmt.tenancy.models import Organization

PROVIDER_ID_PREFIX = "org-"


def provider_id_for(organization_id: int) -> str:
    """The allauth provider id (and SAML URL slug) of an organization's identity provider."""
    return f"{PROVIDER_ID_PREFIX}{organization_id}"


def organization_id_of(provider_id: str) -> int | None:
    """The organization an allauth provider id belongs to; None for anything else."""
    if not provider_id.startswith(PROVIDER_ID_PREFIX):
        return None
    number = provider_id.removeprefix(PROVIDER_ID_PREFIX)
    return int(number) if number.isdigit() else None


# The key of `Organization.settings` under which the organization's sign-in requirements are
# mirrored: every page and session API request reads the organization row with the
# membership anyway, so enforcing them costs no query of its own.
SIGN_IN_SETTING = "sign_in"


@dataclass(frozen=True)
class SignInPolicy:
    """What an organization requires of the sessions that open it."""

    require_sso: bool = False
    require_two_factor_for_password: bool = False

    @classmethod
    def of(cls, organization: Organization) -> SignInPolicy:
        stored = (organization.settings or {}).get(SIGN_IN_SETTING) or {}
        return cls(
            require_sso=stored.get("require_sso") is True,
            require_two_factor_for_password=stored.get("require_two_factor_for_password") is True,
        )

    def as_setting(self) -> dict[str, Any]:
        return {
            "require_sso": self.require_sso,
            "require_two_factor_for_password": self.require_two_factor_for_password,
        }


class Protocol(models.TextChoices):
    OIDC = "oidc", _("OpenID Connect")
    SAML = "saml", _("SAML 2.0")


class OrganizationSso(TenantModel):
    """How an organization's people sign in through its identity provider, and what it
    requires. The client secret lives in the allauth app only and is never shown again."""

    Protocol = Protocol

    protocol = models.CharField(max_length=10, choices=Protocol.choices)
    # allauth's table of providers; its `provider_id` is `org-<organization id>`.
    social_app = models.ForeignKey(SocialApp, on_delete=models.PROTECT, related_name="+")
    # Lowercased domains whose addresses the sign-in page sends to this provider.
    email_domains = ArrayField(models.CharField(max_length=253), default=list, blank=True)
    require_sso = models.BooleanField(default=False)
    require_two_factor_for_password = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)
    # The last SAML metadata fetched from the configured URL that parsed (saml_metadata.py):
    # {"url", "entity_id", "config" (onelogin's settings of the provider), "fetched_at"};
    # used when a refresh fails, so a provider's web server that is down stops no sign-in.
    saml_metadata = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="sso_unique_organization"),
        ]
        indexes = [
            models.Index(fields=["organization", "protocol"], name="sso_org_protocol"),
        ]

    def __str__(self) -> str:
        return f"SSO of organization {self.organization_id}"

    @property
    def sign_in_policy(self) -> SignInPolicy:
        return SignInPolicy(
            require_sso=self.require_sso,
            require_two_factor_for_password=self.require_two_factor_for_password,
        )

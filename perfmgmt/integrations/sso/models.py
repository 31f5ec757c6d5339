"""An organization's single sign-on configuration (one per organization)."""

from __future__ import annotations

from allauth.socialaccount.models import SocialApp
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perfmgmt.tenancy.scoping import TenantModel

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

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="sso_unique_organization"),
        ]
        indexes = [
            models.Index(fields=["organization", "protocol"], name="sso_org_protocol"),
        ]

    def __str__(self) -> str:
        return f"SSO of organization {self.organization_id}"

from __future__ import annotations

import hashlib
import secrets

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from perfmgmt.tenancy.scoping import TenantModel

KEY_PREFIX = "pm_"


class Scope(models.TextChoices):
    MEMBERS_READ = "members:read", "Read people and reporting lines"
    MEMBERS_WRITE = "members:write", "Create, update and deactivate people"
    GOALS_READ = "goals:read", "Read goals, key results and goal updates"
    GOALS_WRITE = "goals:write", "Create and change goals and post goal updates"
    DEVELOPMENT_READ = "development:read", "Read development plans, actions and competencies"
    DEVELOPMENT_WRITE = "development:write", "Edit the competency framework"
    ONE_ON_ONES_READ = "one_on_ones:read", "Read 1:1 series, meetings, agendas and action items"
    REVIEWS_READ = "reviews:read", "Read rating scales and review templates"
    REVIEWS_WRITE = "reviews:write", "Change rating scales and review templates"
    CALIBRATION_WRITE = "calibration:write", "Adjust ratings and 9-box placements in calibration"
    PEOPLE_SYNC = "people:sync", "Sync people and reporting lines in bulk from an HR system"
    SCIM = "scim", "Provision people and teams from an identity provider (SCIM 2.0)"
    AUDIT_READ = "audit:read", "Read the audit trail: who changed what, with the changes"
    WEBHOOKS_READ = "webhooks:read", "Read webhook endpoints and their delivery logs"
    WEBHOOKS_WRITE = "webhooks:write", "Register, change and redeliver webhooks"
    REWARDS_READ = "rewards:read", "Read approved rewards (for payroll and HR systems)"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiCredential(TenantModel):
    """A key for a system (HRIS, BI tool) acting on one organization, with scopes.

    The key is shown once when created; only its SHA-256 is stored. Keys are long random
    strings, so a fast hash is enough (no password stretching needed).
    """

    name = models.CharField(max_length=200)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    # Values are Scope members, checked by the service; not column choices, so that a new
    # scope needs no migration.
    scopes = ArrayField(models.CharField(max_length=50), default=list)
    created_by = models.ForeignKey(
        "tenancy.Membership", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    is_api_client = True

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "created_at"], name="apicred_org_created")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def display_name(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    @staticmethod
    def generate_key() -> tuple[str, str]:
        """Return (prefix, full key). The prefix identifies the key in lists and logs."""
        prefix = secrets.token_hex(4)
        return prefix, f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"

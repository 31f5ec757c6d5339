"""What the people sync keeps: answers to replay by idempotency key, and large batches as jobs."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from perfmgmt.tenancy.scoping import TenantModel


class IdempotentResponse(TenantModel):
    """The first answer to a request sent with an `Idempotency-Key`, replayed until it
    expires to a request with the same key and the same body (a different body is a 422)."""

    key = models.CharField(max_length=200)
    body_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="idempotent_unique_key"),
        ]


class SyncJob(TenantModel):
    """A large people sync run by a worker: the body is stored here, the broker gets ids."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    people = models.JSONField()
    options = models.JSONField(default=dict)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)
    credential = models.ForeignKey(
        "api.ApiCredential", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    membership = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    idempotency_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "created_at"], name="syncjob_org_created")]


class ScimUser(TenantModel):
    """What an identity provider said about a person that perfmgmt keeps nowhere else.

    The login (and its address) is shared between organizations, so SCIM never writes it:
    `userName`, the name parts and the addresses the provider sends are this organization's
    record, given back exactly as sent. A person without a row answers with their login's
    address. `removed_at`: the provider deleted them (they were deactivated, never deleted);
    SCIM then answers 404 for them while everything of theirs stays.
    """

    membership = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="scim_records"
    )
    user_name = models.CharField(max_length=200)
    # `userName` compared as RFC 7643 says (case-insensitively): the lowercased form.
    user_name_key = models.CharField(max_length=200)
    attributes = models.JSONField(default=dict)
    removed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "membership"], name="scimuser_unique_membership"
            ),
            models.UniqueConstraint(
                fields=["organization", "user_name_key"], name="scimuser_unique_user_name"
            ),
        ]


class ScimGroup(TenantModel):
    """A team's `externalId` as the identity provider set it (teams have none of their own)."""

    team = models.ForeignKey("tenancy.Team", on_delete=models.CASCADE, related_name="scim_records")
    external_id = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "team"], name="scimgroup_unique_team"),
        ]


from .sso.models import OrganizationSso  # noqa: E402  (the SSO package's model, this app's table)
from .webhooks.models import (  # noqa: E402  (models of the integrations app)
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

__all__ = [
    "OrganizationSso",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
]

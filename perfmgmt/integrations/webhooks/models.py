"""Webhook endpoints, the outbox of events, and the log of every delivery attempt.

An `WebhookEvent` row is written in the transaction of the change it reports, together with
one `WebhookDelivery` per endpoint subscribed at that moment; workers pick the deliveries
up after commit. A delivery keeps one `webhook-id` for all its attempts (receivers
de-duplicate on it); each attempt is logged (`WebhookAttempt`).

The signing secret has to be stored in a form we can sign with (unlike API keys, whose
hash is enough); it is shown to the owner once, never listed or answered by the API again.
"""

from __future__ import annotations

import secrets

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perfmgmt.tenancy.scoping import TenantModel

SECRET_PREFIX = "whsec_"  # noqa: S105 (the Standard Webhooks prefix, not a secret)
MESSAGE_PREFIX = "msg_"


def new_message_id() -> str:
    return f"{MESSAGE_PREFIX}{secrets.token_urlsafe(18)}"


class WebhookEndpoint(TenantModel):
    url = models.URLField(max_length=2000)
    description = models.CharField(max_length=200, blank=True)
    # Values are catalogue names (checked by the service), so a new event needs no migration.
    event_types = ArrayField(models.CharField(max_length=50), default=list)
    secret = models.CharField(max_length=100)
    # Signed with as well for a while after a rotation, so receivers can switch over.
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    is_enabled = models.BooleanField(default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    # Since when every attempt has failed (None after a success), and how many in a row.
    failing_since = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_credential = models.ForeignKey(
        "api.ApiCredential", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "is_enabled"], name="webhookendpoint_org_enabled"),
        ]

    def __str__(self) -> str:
        return self.url


class WebhookEvent(TenantModel):
    event_type = models.CharField(max_length=50)
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["organization", "created_at"], name="webhookevent_org_created")
        ]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(TenantModel):
    Status = DeliveryStatus

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    message_id = models.CharField(max_length=40, default=new_message_id)
    status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempt_count = models.PositiveIntegerField(default=0)
    # When the next attempt is due; while an attempt runs, when its claim lapses.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Retries stop three days after this (the creation, or a manual redelivery).
    retry_window_start = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "endpoint", "event"], name="webhookdelivery_unique_event"
            ),
            models.UniqueConstraint(
                fields=["organization", "message_id"], name="webhookdelivery_unique_message"
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "endpoint", "created_at"],
                name="webhookdelivery_org_endpoint",
            ),
            models.Index(
                fields=["organization", "status", "next_attempt_at"],
                name="webhookdelivery_org_due",
            ),
        ]


class WebhookAttempt(TenantModel):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    succeeded = models.BooleanField(default=False)
    error = models.CharField(max_length=300, blank=True)
    response_excerpt = models.TextField(blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "delivery", "number"], name="webhookattempt_unique_number"
            ),
        ]

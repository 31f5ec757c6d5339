"""What the webhooks API reads and answers. The secret is answered by create and rotate only."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from . import catalogue
from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


class EndpointInputSerializer(serializers.Serializer[Any]):
    url = serializers.CharField(max_length=2000, help_text=_("An https:// URL on a public server."))
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=catalogue.choices()),
        allow_empty=False,
        max_length=len(catalogue.NAMES),
    )
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    enabled = serializers.BooleanField(required=False)


class EndpointSerializer(serializers.ModelSerializer[WebhookEndpoint]):
    enabled = serializers.BooleanField(source="is_enabled")

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "event_types",
            "enabled",
            "disabled_at",
            "disabled_reason",
            "failing_since",
            "consecutive_failures",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class EndpointWithSecretSerializer(EndpointSerializer):
    secret = serializers.SerializerMethodField(
        help_text=_("Shown once: verify signatures with it (Standard Webhooks).")
    )

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]
        read_only_fields = fields

    def get_secret(self, endpoint: WebhookEndpoint) -> str:
        return str(self.context.get("secret", ""))


class AttemptSerializer(serializers.ModelSerializer[WebhookAttempt]):
    class Meta:
        model = WebhookAttempt
        fields = [
            "number",
            "started_at",
            "duration_ms",
            "status_code",
            "succeeded",
            "error",
            "response_excerpt",
        ]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer[WebhookDelivery]):
    event_type = serializers.CharField(source="event.event_type")
    payload = serializers.JSONField(source="event.payload")
    attempts = AttemptSerializer(many=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "message_id",
            "event_type",
            "status",
            "attempt_count",
            "next_attempt_at",
            "last_status_code",
            "delivered_at",
            "created_at",
            "payload",
            "attempts",
        ]
        read_only_fields = fields

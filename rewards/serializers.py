"""API representations of praise and the organization's values."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.serializers import OrgScopedPrimaryKeyField

from .models import MAX_MESSAGE, MAX_RECIPIENTS, CompanyValue, Praise


class CompanyValueSerializer(serializers.Serializer[CompanyValue]):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    active = serializers.BooleanField(read_only=True)


class PraiseRecipientSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="person_id", read_only=True)
    name = serializers.CharField(source="person.display_name", read_only=True)


class PraiseSerializer(serializers.Serializer[Praise]):
    id = serializers.IntegerField(read_only=True)
    giver = serializers.IntegerField(source="giver_id", read_only=True)
    giver_name = serializers.CharField(source="giver.display_name", read_only=True)
    recipients = PraiseRecipientSerializer(source="recipient_links", many=True, read_only=True)
    message = serializers.CharField(read_only=True)
    value = serializers.IntegerField(source="value_id", read_only=True, allow_null=True)
    value_name = serializers.CharField(source="value.name", read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)


class PraiseCreateSerializer(serializers.Serializer[Praise]):
    recipients = serializers.ListField(
        child=OrgScopedPrimaryKeyField(
            model=Membership, error_messages={"does_not_exist": _("Unknown person.")}
        ),
        min_length=1,
        max_length=MAX_RECIPIENTS,
        help_text="The people praised (1 to 20), not oneself.",
    )
    message = serializers.CharField(max_length=MAX_MESSAGE, help_text="What they are thanked for.")
    value = OrgScopedPrimaryKeyField(
        model=CompanyValue,
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("Unknown value.")},
        help_text="One of the organization's active values (company-values), or null.",
    )

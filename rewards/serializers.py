"""API representations of praise and the organization's values."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.person_search import MAX_CHOSEN
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
    # Ids only, looked up together in `validate_recipients` (one query, not one per id);
    # how many and whom one may praise is the service's to say.
    recipients = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        max_length=MAX_CHOSEN,
        help_text=f"The people praised (1 to {MAX_RECIPIENTS}), not oneself.",
    )
    message = serializers.CharField(max_length=MAX_MESSAGE, help_text="What they are thanked for.")
    value = OrgScopedPrimaryKeyField(
        model=CompanyValue,
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("Unknown value.")},
        help_text="One of the organization's active values (company-values), or null.",
    )

    def validate_recipients(self, ids: list[int]) -> list[Membership]:
        found = Membership.objects.select_related("user").in_bulk(set(ids))
        if len(found) < len(set(ids)):
            raise serializers.ValidationError(_("Unknown person."))
        return [found[pk] for pk in dict.fromkeys(ids)]

"""API representations of praise and the organization's values."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.person_search import MAX_CHOSEN
from perfmgmt.tenancy.serializers import OrgScopedPrimaryKeyField

from .models import (
    MAX_MESSAGE,
    MAX_REASON,
    MAX_RECIPIENTS,
    CompanyValue,
    Praise,
    RewardBudget,
    RewardKind,
    RewardProposal,
    RewardStatus,
)


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


# --- Rewards ------------------------------------------------------------------------------

# A pattern, not an enum: other APIs have fields named `kind` (drf-spectacular names enums
# after the field and warns about the collision).
KIND_SCHEMA = {
    "type": "string",
    "pattern": f"^({'|'.join(RewardKind.values)})$",
    "description": "One of: " + ", ".join(RewardKind.values) + " (bonus and raise are money).",
}


@extend_schema_field(KIND_SCHEMA)
class RewardKindField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=RewardKind.choices, **kwargs)


class RewardSerializer(serializers.Serializer[RewardProposal]):
    id = serializers.IntegerField(read_only=True)
    person = serializers.IntegerField(source="person_id", read_only=True)
    person_name = serializers.CharField(source="person.display_name", read_only=True)
    proposed_by = serializers.IntegerField(source="proposed_by_id", read_only=True)
    proposed_by_name = serializers.CharField(source="proposed_by.display_name", read_only=True)
    kind = RewardKindField(read_only=True)
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, read_only=True, allow_null=True
    )
    currency = serializers.CharField(read_only=True)
    budget = serializers.IntegerField(source="budget_id", read_only=True, allow_null=True)
    reason = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=RewardStatus.choices, read_only=True)
    decided_by = serializers.IntegerField(source="decided_by_id", read_only=True, allow_null=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    decision_note = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class RewardCreateSerializer(serializers.Serializer[RewardProposal]):
    person = OrgScopedPrimaryKeyField(
        model=Membership,
        error_messages={"does_not_exist": _("Unknown person.")},
        help_text="Someone in the caller's line (HR admins: anyone), not the caller.",
    )
    kind = RewardKindField()
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="For a bonus or a raise only.",
    )
    currency = serializers.CharField(
        required=False, allow_blank=True, max_length=3, help_text="ISO 4217, e.g. EUR."
    )
    budget = OrgScopedPrimaryKeyField(
        model=RewardBudget,
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("Unknown budget.")},
        help_text="A budget to draw a bonus or raise from (its currency is the reward's).",
    )
    reason = serializers.CharField(max_length=MAX_REASON, help_text="What it is for.")


class RewardDecisionSerializer(serializers.Serializer[RewardProposal]):
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_REASON,
        help_text="For the proposer; required to reject.",
    )

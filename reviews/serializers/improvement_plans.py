"""What the improvement plan API reads and writes. Presentation only: the selector decides
which plans a caller reads, the services every rule of a change."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.serializers import OrgScopedPrimaryKeyField

from ..models import ImprovementPlan, PlanExpectation, PlanOutcome, PlanOutcomeKind
from ..services.improvement_plans.common import MAX_EXPECTATIONS, MAX_REVIEW_DATES, TEXT_MAX_LENGTH


class PlanExpectationSerializer(serializers.ModelSerializer[PlanExpectation]):
    class Meta:
        model = PlanExpectation
        fields = ["id", "description", "measure", "goal"]
        read_only_fields = fields


class PlanOutcomeSerializer(serializers.ModelSerializer[PlanOutcome]):
    class Meta:
        model = PlanOutcome
        fields = [
            "id",
            "outcome",
            "note",
            "decided_on",
            "previous_end_date",
            "new_end_date",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class ImprovementPlanSerializer(serializers.ModelSerializer[ImprovementPlan]):
    expectations = PlanExpectationSerializer(many=True, read_only=True)
    review_dates = serializers.SerializerMethodField()
    outcomes = PlanOutcomeSerializer(many=True, read_only=True)

    class Meta:
        model = ImprovementPlan
        fields = [
            "id",
            "person",
            "drafted_by",
            "status",
            "start_date",
            "end_date",
            "reason",
            "support",
            "expectations",
            "review_dates",
            "outcomes",
            "submitted_at",
            "returned_at",
            "return_reason",
            "approved_at",
            "approved_by",
            "acknowledged_at",
            "employee_comment",
            "closed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_review_dates(self, plan: ImprovementPlan) -> list[str]:
        return [review_date.on.isoformat() for review_date in plan.review_dates.all()]


class ExpectationWriteSerializer(serializers.Serializer[dict[str, Any]]):
    description = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    measure = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    goal = serializers.IntegerField(required=False, allow_null=True, min_value=1, default=None)


class ImprovementPlanWriteSerializer(serializers.Serializer[dict[str, Any]]):
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    support = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    expectations = serializers.ListField(
        child=ExpectationWriteSerializer(), max_length=MAX_EXPECTATIONS
    )
    review_dates = serializers.ListField(
        child=serializers.DateField(), max_length=MAX_REVIEW_DATES, required=False, default=list
    )


class ImprovementPlanCreateSerializer(ImprovementPlanWriteSerializer):
    person = OrgScopedPrimaryKeyField(
        model=Membership,
        error_messages={"does_not_exist": _("Choose someone below you in the reporting line.")},
        help_text="The member the plan is about.",
    )


class PlanReturnSerializer(serializers.Serializer[dict[str, str]]):
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH)


class PlanAcknowledgeSerializer(serializers.Serializer[dict[str, str]]):
    comment = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class PlanOutcomeWriteSerializer(serializers.Serializer[dict[str, Any]]):
    outcome = serializers.ChoiceField(choices=PlanOutcomeKind.choices)
    note = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    decided_on = serializers.DateField(required=False, allow_null=True, default=None)
    new_end_date = serializers.DateField(required=False, allow_null=True, default=None)

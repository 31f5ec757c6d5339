"""What the calibration API reads and writes. Presentation only: selectors decide who is
seen, services what may change."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from perfmgmt.tenancy.models import Membership, Team
from perfmgmt.tenancy.serializers import OrgScopedPrimaryKeyField

from ..models import (
    CalibrationChange,
    CalibrationPlacement,
    CalibrationSession,
    ReviewCycle,
    SessionGroup,
)
from ..ninebox import box_name
from ..services.calibration.sessions import REASON_MAX_LENGTH


class CalibrationSessionSerializer(serializers.ModelSerializer[CalibrationSession]):
    managers = serializers.SerializerMethodField()

    class Meta:
        model = CalibrationSession
        fields = [
            "id",
            "cycle",
            "name",
            "group",
            "team",
            "leader",
            "managers",
            "potential_question_id",
            "target_distribution",
            "created_at",
            "locked_at",
        ]

    def get_managers(self, session: CalibrationSession) -> list[int]:
        return [link.manager_id for link in session.manager_links.all()]


class CalibrationSessionWriteSerializer(serializers.Serializer[Any]):
    cycle = OrgScopedPrimaryKeyField(model=ReviewCycle)
    name = serializers.CharField(max_length=160)
    group = serializers.ChoiceField(choices=SessionGroup.choices)
    team = OrgScopedPrimaryKeyField(model=Team, required=False, allow_null=True, default=None)
    leader = OrgScopedPrimaryKeyField(
        model=Membership, required=False, allow_null=True, default=None
    )
    managers = serializers.ListField(
        child=OrgScopedPrimaryKeyField(model=Membership),
        required=False,
        default=list,
        max_length=500,
    )
    potential_question = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=2**31 - 1
    )


class TargetSerializer(serializers.Serializer[Any]):
    target = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=100),
        allow_empty=True,
        help_text='Percent of people per rating, e.g. {"3": 50, "4": 30, "5": 20}; {} removes it.',
    )


class PlacementSerializer(serializers.ModelSerializer[CalibrationPlacement]):
    reviewee = serializers.IntegerField(source="participant.reviewee_id", read_only=True)
    reviewee_name = serializers.CharField(
        source="participant.reviewee.display_name", read_only=True
    )
    manager = serializers.IntegerField(
        source="participant.manager_id", read_only=True, allow_null=True
    )
    # Bands as numbers (1 low, 2 medium, 3 high); `box` names the 9-box field.
    performance = serializers.IntegerField(read_only=True, allow_null=True)
    original_potential = serializers.IntegerField(read_only=True, allow_null=True)
    potential = serializers.IntegerField(read_only=True, allow_null=True)
    box = serializers.SerializerMethodField()

    class Meta:
        model = CalibrationPlacement
        fields = [
            "id",
            "session",
            "participant",
            "reviewee",
            "reviewee_name",
            "manager",
            "levels",
            "self_rating",
            "original_rating",
            "rating",
            "performance",
            "original_potential",
            "potential",
            "box",
            "version",
            "updated_at",
        ]

    def get_box(self, placement: CalibrationPlacement) -> str:
        return box_name(placement.performance, placement.potential)


class AdjustmentSerializer(serializers.ModelSerializer[CalibrationChange]):
    class Meta:
        model = CalibrationChange
        fields = [
            "id",
            "placement",
            "actor_label",
            "rating_before",
            "rating_after",
            "potential_before",
            "potential_after",
            "reason",
            "created_at",
        ]


class AdjustmentWriteSerializer(serializers.Serializer[Any]):
    """A rating and/or potential, or a box (`performance` and `potential`: a move)."""

    placement = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    rating = serializers.CharField(required=False, max_length=20)
    potential = serializers.IntegerField(required=False, min_value=-(2**31), max_value=2**31)
    performance = serializers.IntegerField(required=False, min_value=-(2**31), max_value=2**31)
    # Blank is passed on: the service says a reason is required, as on the page.
    reason = serializers.CharField(allow_blank=True, max_length=REASON_MAX_LENGTH, default="")
    version = serializers.IntegerField(required=False, min_value=0, max_value=2**31)


class TransferSerializer(serializers.Serializer[Any]):
    session = OrgScopedPrimaryKeyField(model=CalibrationSession)
    reason = serializers.CharField(allow_blank=True, max_length=REASON_MAX_LENGTH, default="")

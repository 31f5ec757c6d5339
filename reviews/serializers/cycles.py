"""What the cycles API reads and writes. Presentation only: selectors decide what is seen."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from perfmgmt.tenancy.models import Membership, Team
from perfmgmt.tenancy.serializers import OrgScopedPrimaryKeyField

from ..models import (
    PHASE_ORDER,
    CyclePhase,
    CycleStatus,
    Participant,
    Review,
    ReviewCycle,
    ReviewTemplate,
)
from ..services.cycles.configure import ALLOWED_STATUSES, DEFAULT_STATUSES, CycleRules, PhaseInput


class CyclePhaseSerializer(serializers.ModelSerializer[CyclePhase]):
    phase = serializers.CharField(source="kind", read_only=True)

    class Meta:
        model = CyclePhase
        fields = ["phase", "opens_at", "closes_at", "opened_at", "closed_at"]


class ReviewCycleSerializer(serializers.ModelSerializer[ReviewCycle]):
    cycle_status = serializers.ChoiceField(
        source="status", choices=CycleStatus.choices, read_only=True
    )
    teams = serializers.SerializerMethodField()
    phases = CyclePhaseSerializer(many=True, read_only=True)

    class Meta:
        model = ReviewCycle
        fields = [
            "id",
            "name",
            "description",
            "period_start",
            "period_end",
            "template",
            "cycle_status",
            "teams",
            "started_on_or_before",
            "statuses",
            "remind_days_before_close",
            "phases",
            "launched_at",
            "launch_total",
            "launch_done",
        ]

    def get_teams(self, cycle: ReviewCycle) -> list[int]:
        return [team.pk for team in cycle.teams.all()]


class GroupTemplateSerializer(serializers.Serializer[Any]):
    team = OrgScopedPrimaryKeyField(model=Team)
    template = OrgScopedPrimaryKeyField(model=ReviewTemplate)


class PhaseInputSerializer(serializers.Serializer[Any]):
    """A phase in the organization's time zone (days and wall-clock times)."""

    phase = serializers.ChoiceField(choices=list(PHASE_ORDER))
    opens_on = serializers.DateField()
    opens_time = serializers.TimeField()
    closes_on = serializers.DateField()
    closes_time = serializers.TimeField()


class ReviewCycleWriteSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=160)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    template = OrgScopedPrimaryKeyField(model=ReviewTemplate)
    teams = serializers.ListField(
        child=OrgScopedPrimaryKeyField(model=Team), required=False, default=list
    )
    group_templates = GroupTemplateSerializer(many=True, required=False, default=list)
    started_on_or_before = serializers.DateField(required=False, allow_null=True, default=None)
    statuses = serializers.ListField(
        child=serializers.ChoiceField(choices=[s.value for s in ALLOWED_STATUSES]),
        required=False,
        default=lambda: [s.value for s in DEFAULT_STATUSES],
    )
    include = serializers.ListField(
        child=OrgScopedPrimaryKeyField(model=Membership), required=False, default=list
    )
    exclude = serializers.ListField(
        child=OrgScopedPrimaryKeyField(model=Membership), required=False, default=list
    )
    remind_days_before_close = serializers.IntegerField(
        min_value=0, max_value=60, required=False, default=3
    )
    phases = PhaseInputSerializer(many=True, required=False)

    @staticmethod
    def service_arguments(data: dict[str, Any]) -> dict[str, Any]:
        rules = CycleRules(
            teams=data.pop("teams"),
            started_on_or_before=data.pop("started_on_or_before"),
            statuses=data.pop("statuses"),
            include=data.pop("include"),
            exclude=data.pop("exclude"),
            group_templates=[(g["team"], g["template"]) for g in data.pop("group_templates")],
        )
        return {**data, "rules": rules}

    @staticmethod
    def phase_inputs(phases: list[dict[str, Any]]) -> list[PhaseInput]:
        return [
            PhaseInput(p["phase"], p["opens_on"], p["opens_time"], p["closes_on"], p["closes_time"])
            for p in phases
        ]


class ParticipantReviewSerializer(serializers.ModelSerializer[Review]):
    reviewer_kind = serializers.CharField(source="kind", read_only=True)
    review_status = serializers.CharField(source="status", read_only=True)

    class Meta:
        model = Review
        fields = ["id", "reviewer_kind", "author", "review_status", "submitted_at", "superseded_at"]


class ParticipantSerializer(serializers.ModelSerializer[Participant]):
    reviews = ParticipantReviewSerializer(many=True, read_only=True)

    class Meta:
        model = Participant
        fields = [
            "id",
            "cycle",
            "reviewee",
            "manager",
            "added_late",
            "self_deadline",
            "manager_deadline",
            "released_at",
            "acknowledged_at",
            "reviews",
        ]


class ExtendSerializer(serializers.Serializer[Any]):
    reviewer_kind = serializers.ChoiceField(choices=["self", "manager"])
    until = serializers.DateTimeField()


class AddLateSerializer(serializers.Serializer[Any]):
    membership = OrgScopedPrimaryKeyField(model=Membership)


class ReopenSerializer(serializers.Serializer[Any]):
    review = serializers.IntegerField(min_value=1)
    reason = serializers.CharField()
    until = serializers.DateTimeField()

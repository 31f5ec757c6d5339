"""What the release API reads and writes. Presentation only: selectors decide what is seen."""

from __future__ import annotations

from rest_framework import serializers

from ..models import Participant, ReviewAnswer
from ..services.release import COMMENT_MAX_LENGTH


class ParticipantReleaseSerializer(serializers.ModelSerializer[Participant]):
    class Meta:
        model = Participant
        fields = [
            "id",
            "cycle",
            "reviewee",
            "manager",
            "released_at",
            "released_by",
            "employee_comment",
            "commented_at",
            "acknowledged_at",
        ]
        read_only_fields = fields


class ReviewCommentSerializer(serializers.Serializer[dict[str, str]]):
    text = serializers.CharField(max_length=COMMENT_MAX_LENGTH, allow_blank=True)


class CycleReleasedSerializer(serializers.Serializer[dict[str, int]]):
    released = serializers.IntegerField(help_text="How many this call released.")


class CompletionSerializer(serializers.Serializer[dict[str, object]]):
    name = serializers.CharField(help_text="The team or manager; empty for the whole cycle.")
    total = serializers.IntegerField()
    self_done = serializers.IntegerField()
    manager_done = serializers.IntegerField()
    released = serializers.IntegerField()
    acknowledged = serializers.IntegerField()


class CycleProgressSerializer(serializers.Serializer[dict[str, object]]):
    overall = CompletionSerializer()
    by_team = CompletionSerializer(many=True)
    by_manager = CompletionSerializer(many=True)
    late = serializers.IntegerField(help_text="Reviews late or due within the reminder days.")


class AnswerCorrectionSerializer(serializers.Serializer[dict[str, object]]):
    rating = serializers.DecimalField(
        max_digits=6, decimal_places=2, required=False, allow_null=True
    )
    not_applicable = serializers.BooleanField(required=False, default=False)
    text = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=2000)


class ReviewAnswerSerializer(serializers.ModelSerializer[ReviewAnswer]):
    class Meta:
        model = ReviewAnswer
        fields = ["id", "review", "question_id", "item_id", "rating", "not_applicable", "text"]
        read_only_fields = fields

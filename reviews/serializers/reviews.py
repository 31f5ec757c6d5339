"""Reviews and their answers over the API. Presentation only: the selectors decided which
reviews and which answers the caller reads (`readable_answers` on a retrieved review)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ..models import PhaseKind, Review, ReviewAnswer, ReviewStatus
from ..services.writing import MAX_CITATIONS, MAX_TEXT

MAX_ID = 2_147_483_647


class ReviewAnswerSerializer(serializers.ModelSerializer[ReviewAnswer]):
    class Meta:
        model = ReviewAnswer
        fields = ["question_id", "item_id", "rating", "not_applicable", "text", "citations"]


class ReviewSerializer(serializers.ModelSerializer[Review]):
    participant = serializers.IntegerField(source="participant_id", read_only=True)
    cycle = serializers.IntegerField(source="participant.cycle_id", read_only=True)
    reviewee = serializers.IntegerField(source="participant.reviewee_id", read_only=True)
    reviewee_name = serializers.CharField(
        source="participant.reviewee.display_name", read_only=True
    )
    author = serializers.IntegerField(source="author_id", read_only=True)
    author_name = serializers.CharField(source="author.display_name", read_only=True)
    # Named as in the participants API (`kind` and `status` mean other things elsewhere).
    reviewer_kind = serializers.CharField(
        source="kind", read_only=True, help_text="self or manager"
    )
    review_status = serializers.CharField(
        source="status", read_only=True, help_text="not_started, draft or submitted"
    )

    class Meta:
        model = Review
        fields = [
            "id",
            "participant",
            "cycle",
            "reviewee",
            "reviewee_name",
            "reviewer_kind",
            "author",
            "author_name",
            "review_status",
            "version",
            "started_at",
            "updated_at",
            "submitted_at",
            "superseded_at",
        ]
        read_only_fields = fields


class ReviewDetailSerializer(ReviewSerializer):
    answers = serializers.SerializerMethodField(
        help_text="The answers to the questions the caller may read."
    )

    class Meta(ReviewSerializer.Meta):
        fields = [*ReviewSerializer.Meta.fields, "answers"]
        read_only_fields = fields

    def get_answers(self, review: Review) -> list[dict[str, Any]]:
        answers = getattr(review, "readable_answers", [])
        return list(ReviewAnswerSerializer(answers, many=True).data)


class AnswerInputSerializer(serializers.Serializer[Any]):
    question_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    item_id = serializers.IntegerField(min_value=0, max_value=MAX_ID, default=0)
    rating = serializers.DecimalField(
        max_digits=6, decimal_places=2, required=False, allow_null=True, default=None
    )
    not_applicable = serializers.BooleanField(default=False)
    text = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=MAX_TEXT, trim_whitespace=True
    )
    citations = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        default=list,
        max_length=MAX_CITATIONS,
    )


class AnswersWriteSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(
        min_value=0, max_value=MAX_ID, help_text="The review's version you started from."
    )
    answers = serializers.ListField(child=AnswerInputSerializer(), max_length=500)


class SubmitSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(
        min_value=0,
        max_value=MAX_ID,
        required=False,
        help_text="The version you read; a newer one stored is a 409.",
    )


class ReviewFilterFields:
    statuses = ReviewStatus.choices
    phases = [
        (PhaseKind.SELF.value, PhaseKind.SELF.label),
        (PhaseKind.MANAGER.value, PhaseKind.MANAGER.label),
    ]

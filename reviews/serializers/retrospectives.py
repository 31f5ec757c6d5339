"""What the retrospective API reads and writes: combined results only, never an answer."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ..models.retrospectives import COMMENT_MAX_LENGTH
from ..retrospective_questions import QUESTIONS


class RetrospectiveAnswerSerializer(serializers.Serializer[Any]):
    """A score from 1 (strongly disagree) to 5 (strongly agree) per question, and a comment."""

    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=COMMENT_MAX_LENGTH
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for question in QUESTIONS:
            fields[question.key] = serializers.IntegerField(
                min_value=1, max_value=5, help_text=str(question.prompt)
            )
        return fields


class RetrospectiveScoreCountSerializer(serializers.Serializer[Any]):
    score = serializers.IntegerField()
    count = serializers.IntegerField()


class RetrospectiveQuestionSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    prompt = serializers.CharField()
    counts = RetrospectiveScoreCountSerializer(many=True)
    mean = serializers.DecimalField(max_digits=3, decimal_places=1, allow_null=True)


class RetrospectiveResultsSerializer(serializers.Serializer[Any]):
    """A retrospective and its combined results (`results_shown` false: only the counts)."""

    id = serializers.IntegerField(source="retrospective.pk")
    cycle = serializers.IntegerField(source="retrospective.cycle_id")
    opened_at = serializers.DateTimeField(source="retrospective.opened_at")
    closes_at = serializers.DateTimeField(source="retrospective.closes_at")
    invited = serializers.IntegerField(source="results.invited")
    answered = serializers.IntegerField(source="results.answered")
    response_rate = serializers.IntegerField(
        source="results.rate", help_text="Answered of invited, in whole per cent."
    )
    threshold = serializers.IntegerField(
        source="results.threshold", help_text="Answers needed before any result is shown."
    )
    results_shown = serializers.BooleanField(source="results.shown")
    questions = RetrospectiveQuestionSerializer(source="results.questions", many=True)
    comments = serializers.ListField(
        child=serializers.CharField(), source="results.comments", help_text="Sorted by text."
    )


class NextCycleSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(
        max_length=160,
        required=False,
        help_text="The new cycle's name; by default the old name followed by '(next)'.",
    )

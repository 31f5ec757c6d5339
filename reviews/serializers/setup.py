"""What the reviews API reads and writes. Presentation only: selectors decide what is seen."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from ..models import (
    QuestionKind,
    RatingLevel,
    RatingScale,
    ReviewerKind,
    ReviewTemplate,
    TemplateQuestion,
    TemplateSection,
)
from ..services.setup import MAX_LEVELS


class RatingLevelSerializer(serializers.ModelSerializer[RatingLevel]):
    class Meta:
        model = RatingLevel
        fields = ["value", "label", "description"]
        extra_kwargs = {"description": {"required": False}}


class RatingScaleSerializer(serializers.ModelSerializer[RatingScale]):
    levels = RatingLevelSerializer(many=True)

    class Meta:
        model = RatingScale
        fields = [
            "id",
            "name",
            "description",
            "anchored_by_competencies",
            "levels",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {
            "description": {"required": False},
            "anchored_by_competencies": {"required": False},
        }

    def validate_levels(self, levels: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if len(levels) > MAX_LEVELS:
            raise serializers.ValidationError(f"At most {MAX_LEVELS} levels.")
        return levels


class TemplateQuestionSerializer(serializers.ModelSerializer[TemplateQuestion]):
    # Named for what it is: the development API already has a `kind` with other choices.
    question_kind = serializers.ChoiceField(
        source="kind", choices=QuestionKind.choices, read_only=True
    )
    competencies = serializers.SerializerMethodField()

    class Meta:
        model = TemplateQuestion
        fields = [
            "id",
            "question_kind",
            "prompt",
            "help_text",
            "scale",
            "with_comment",
            "required",
            "weight",
            "answered_by",
            "readers",
            "goal_scoring",
            "competencies",
        ]

    def get_competencies(self, question: TemplateQuestion) -> list[int]:
        return [link.competency_id for link in question.competency_links.all()]


class TemplateSectionSerializer(serializers.ModelSerializer[TemplateSection]):
    questions = TemplateQuestionSerializer(many=True)

    class Meta:
        model = TemplateSection
        fields = ["id", "title", "description", "weight", "questions"]


class ReviewTemplateSerializer(serializers.ModelSerializer[ReviewTemplate]):
    sections = TemplateSectionSerializer(many=True)

    class Meta:
        model = ReviewTemplate
        fields = ["id", "name", "description", "sections", "created_at", "updated_at"]


# Writing templates over the API -------------------------------------------------------


class ReviewTemplateWriteSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class TemplateSectionWriteSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    weight = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=Decimal(0), required=False, default=Decimal(1)
    )


class TemplateQuestionWriteSerializer(serializers.ModelSerializer[TemplateQuestion]):
    section = serializers.IntegerField(help_text="Id of a section of this template.")
    question_kind = serializers.ChoiceField(source="kind", choices=QuestionKind.choices)
    scale = serializers.IntegerField(required=False, allow_null=True, default=None)
    weight = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=Decimal(0), required=False, default=Decimal(1)
    )
    answered_by = serializers.ListField(
        child=serializers.ChoiceField(choices=ReviewerKind.choices), allow_empty=False
    )
    competencies = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list, max_length=50
    )

    class Meta:
        model = TemplateQuestion
        fields = [
            "section",
            "question_kind",
            "prompt",
            "help_text",
            "scale",
            "with_comment",
            "required",
            "weight",
            "answered_by",
            "readers",
            "goal_scoring",
            "competencies",
        ]


class TemplatePartSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(help_text="Id of the section or question to remove.")

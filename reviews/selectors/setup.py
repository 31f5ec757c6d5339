"""Reads of the review set-up: what every member may see (policies.can_view_review_setup)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from perfmgmt.errors import NotFoundError
from perfmgmt.ids import object_id

from ..models import (
    QuestionCompetency,
    RatingLevel,
    RatingScale,
    ReviewTemplate,
    TemplateQuestion,
    TemplateSection,
)


def rating_scale_list(*, include_archived: bool = False) -> QuerySet[RatingScale]:
    scales = RatingScale.objects.annotate(level_count=Count("levels")).prefetch_related(
        Prefetch("levels", queryset=RatingLevel.objects.order_by("value"))
    )
    return scales if include_archived else scales.filter(archived_at__isnull=True)


def rating_scale_get(*, scale_id: object) -> RatingScale:
    scale = rating_scale_list(include_archived=True).filter(pk=object_id(scale_id)).first()
    if scale is None:
        raise NotFoundError("No such rating scale.")
    return scale


def review_template_list() -> QuerySet[ReviewTemplate]:
    return ReviewTemplate.objects.filter(archived_at__isnull=True).annotate(
        section_count=Count("sections", distinct=True),
        question_count=Count("sections__questions", distinct=True),
    )


def review_template_list_with_contents() -> QuerySet[ReviewTemplate]:
    """Templates with their sections, questions and competencies, in a fixed number of
    queries however many there are."""
    questions = TemplateQuestion.objects.select_related("scale").prefetch_related(
        Prefetch(
            "competency_links",
            queryset=QuestionCompetency.objects.select_related("competency").order_by(
                "position", "id"
            ),
        )
    )
    sections = TemplateSection.objects.order_by("position", "id").prefetch_related(
        Prefetch("questions", queryset=questions.order_by("position", "id"))
    )
    return ReviewTemplate.objects.filter(archived_at__isnull=True).prefetch_related(
        Prefetch("sections", queryset=sections)
    )


def review_template_get(*, template_id: object) -> ReviewTemplate:
    template = review_template_list_with_contents().filter(pk=object_id(template_id)).first()
    if template is None:
        raise NotFoundError("No such review template.")
    return template


def template_section_get(*, section_id: object) -> TemplateSection:
    section = TemplateSection.objects.filter(pk=object_id(section_id)).first()
    if section is None:
        raise NotFoundError("No such section.")
    return section


def template_question_get(*, question_id: object) -> TemplateQuestion:
    question = (
        TemplateQuestion.objects.filter(pk=object_id(question_id)).select_related("section").first()
    )
    if question is None:
        raise NotFoundError("No such question.")
    return question

"""A template with its scales, copied as plain data when a cycle launches.

Editing a scale or a template afterwards changes the next cycle, never one under way or
done: the cycle's reviews are written and scored against this copy. Competency questions
carry the competency's own level descriptions at the time (behaviourally anchored scales).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from goals.development.models import Competency, CompetencyLevel

from .models import QuestionCompetency, RatingLevel, ReviewTemplate, TemplateQuestion

SNAPSHOT_VERSION = 1


def _scale(scale: Any) -> dict[str, Any] | None:
    if scale is None:
        return None
    return {
        "id": scale.pk,
        "name": scale.name,
        "anchored_by_competencies": scale.anchored_by_competencies,
        "levels": [
            {"value": str(level.value), "label": level.label, "description": level.description}
            for level in scale.levels.all()
        ],
    }


def template_snapshot(template: ReviewTemplate) -> dict[str, Any]:
    """The template as it is now, in a fixed number of queries whatever its size."""
    questions = (
        TemplateQuestion.objects.select_related("scale")
        .prefetch_related(
            Prefetch("scale__levels", queryset=RatingLevel.objects.order_by("value")),
        )
        .order_by("position", "id")
    )
    template = ReviewTemplate.objects.prefetch_related(
        Prefetch("sections__questions", queryset=questions)
    ).get(pk=template.pk)
    question_ids = [q.pk for section in template.sections.all() for q in section.questions.all()]
    links = (
        QuestionCompetency.objects.filter(question_id__in=question_ids)
        .select_related("competency")
        .prefetch_related(
            Prefetch("competency__levels", queryset=CompetencyLevel.objects.order_by("level"))
        )
        .order_by("position", "id")
    )
    competencies: dict[int, list[Competency]] = {}
    for link in links:
        competencies.setdefault(link.question_id, []).append(link.competency)
    return {
        "version": SNAPSHOT_VERSION,
        "template": {"id": template.pk, "name": template.name, "description": template.description},
        "sections": [
            {
                "id": section.pk,
                "title": section.title,
                "description": section.description,
                "weight": str(section.weight),
                "questions": [
                    {
                        "id": question.pk,
                        "kind": question.kind,
                        "prompt": question.prompt,
                        "help_text": question.help_text,
                        "scale": _scale(question.scale),
                        "with_comment": question.with_comment,
                        "required": question.required,
                        "weight": str(question.weight),
                        "answered_by": list(question.answered_by),
                        "readers": question.readers,
                        "goal_scoring": question.goal_scoring,
                        "competencies": [
                            {
                                "id": competency.pk,
                                "name": competency.name,
                                "levels": [
                                    {
                                        "level": level.level,
                                        "name": level.name,
                                        "behaviour": level.behaviour,
                                    }
                                    for level in competency.levels.all()
                                ],
                            }
                            for competency in competencies.get(question.pk, [])
                        ],
                    }
                    for question in section.questions.all()
                ],
            }
            for section in template.sections.all()
        ],
    }

"""Writes of the review set-up: rating scales and templates (HR admins and owners).

Cycles copy what they use when they launch (`reviews.snapshots`), so these edit in place:
a change reaches the next cycle, never one under way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from goals.development.models import Competency
from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError, full_clean_or_raise
from perfmgmt.tenancy.context import current_organization
from perfmgmt.tenancy.policies import Actor

from .. import policies
from ..models import (
    AnswerReaders,
    GoalScoring,
    QuestionCompetency,
    QuestionKind,
    RatingLevel,
    RatingScale,
    ReviewerKind,
    ReviewTemplate,
    TemplateQuestion,
    TemplateSection,
)

MAX_LEVELS = 11


@dataclass(frozen=True)
class LevelInput:
    value: Decimal | str | int
    label: str
    description: str = ""


def _require_setup_rights(actor: Actor) -> None:
    if not policies.can_manage_review_setup(actor):
        raise PermissionDeniedError(_("Only HR admins and owners set up reviews."))


def _unique_name(queryset: QuerySet[Any], name: str, exclude_pk: int | None) -> None:
    clash = queryset.filter(name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ConflictError(_("This name is in use."), fields={"name": [_("Already in use.")]})


def _clean_levels(levels: Sequence[LevelInput]) -> list[RatingLevel]:
    """Levels as rows, in value order; every refusal names the level it is about."""
    if not 2 <= len(levels) <= MAX_LEVELS:
        raise DomainError(
            _("A scale has between 2 and %(most)d levels.") % {"most": MAX_LEVELS},
            fields={"levels": [_("Give between 2 and %(most)d levels.") % {"most": MAX_LEVELS}]},
        )
    rows, values, labels = [], set(), set()
    for index, level in enumerate(levels, start=1):
        try:
            value = Decimal(str(level.value)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            raise DomainError(
                _("Level %(number)d has no number as its value.") % {"number": index},
                fields={"levels": [_("Level %(number)d: give a number.") % {"number": index}]},
            ) from None
        label = level.label.strip()
        if not label:
            raise DomainError(
                _("Level %(number)d has no label.") % {"number": index},
                fields={"levels": [_("Level %(number)d: give a label.") % {"number": index}]},
            )
        if value in values or label.casefold() in labels:
            raise DomainError(
                _("Two levels have the same value or label."),
                fields={"levels": [_("Each level needs its own value and label.")]},
            )
        values.add(value)
        labels.add(label.casefold())
        rows.append(
            RatingLevel(
                organization=current_organization(),
                value=value,
                label=label,
                description=level.description.strip(),
            )
        )
    return sorted(rows, key=lambda row: row.value)


def rating_scale_create(
    *,
    actor: Actor,
    name: str,
    levels: Sequence[LevelInput],
    description: str = "",
    anchored_by_competencies: bool = False,
) -> RatingScale:
    _require_setup_rights(actor)
    scale = RatingScale(
        organization=current_organization(),
        name=name.strip(),
        description=description.strip(),
        anchored_by_competencies=anchored_by_competencies,
    )
    full_clean_or_raise(scale, exclude=["organization"], validate_unique=False)
    rows = _clean_levels(levels)
    with transaction.atomic():
        _unique_name(RatingScale.objects.all(), scale.name, None)
        scale.save()
        for row in rows:
            row.scale = scale
        RatingLevel.objects.bulk_create(rows)
        audit_record(actor=actor, action="rating_scale.create", target=scale)
    return scale


def rating_scale_update(
    *,
    actor: Actor,
    scale: RatingScale,
    name: str,
    levels: Sequence[LevelInput],
    description: str = "",
    anchored_by_competencies: bool = False,
) -> RatingScale:
    """Replace the scale's name and levels. Cycles already launched keep their copy."""
    _require_setup_rights(actor)
    scale.name, scale.description = name.strip(), description.strip()
    scale.anchored_by_competencies = anchored_by_competencies
    full_clean_or_raise(scale, exclude=["organization"], validate_unique=False)
    rows = _clean_levels(levels)
    with transaction.atomic():
        RatingScale.objects.select_for_update().filter(pk=scale.pk).first()
        _unique_name(RatingScale.objects.all(), scale.name, scale.pk)
        scale.save()
        RatingLevel.objects.filter(scale=scale).delete()
        for row in rows:
            row.scale = scale
        RatingLevel.objects.bulk_create(rows)
        audit_record(actor=actor, action="rating_scale.update", target=scale)
    return scale


def review_template_create(*, actor: Actor, name: str, description: str = "") -> ReviewTemplate:
    _require_setup_rights(actor)
    template = ReviewTemplate(
        organization=current_organization(), name=name.strip(), description=description.strip()
    )
    full_clean_or_raise(template, exclude=["organization"], validate_unique=False)
    with transaction.atomic():
        _unique_name(ReviewTemplate.objects.all(), template.name, None)
        template.save()
        audit_record(actor=actor, action="review_template.create", target=template)
    return template


def template_section_create(
    *,
    actor: Actor,
    template: ReviewTemplate,
    title: str,
    weight: Decimal | int = 1,
    description: str = "",
) -> TemplateSection:
    _require_setup_rights(actor)
    position = TemplateSection.objects.filter(template=template).count()
    section = TemplateSection(
        organization=current_organization(),
        template=template,
        title=title.strip(),
        description=description.strip(),
        weight=Decimal(weight),
        position=position,
    )
    full_clean_or_raise(section, exclude=["organization", "template"])
    section.save()
    return section


def _check_question(question: TemplateQuestion, competency_ids: Sequence[int]) -> None:
    if not question.answered_by or not set(question.answered_by) <= set(ReviewerKind.values):
        raise DomainError(
            _("Say who answers this question."),
            fields={"answered_by": [_("Choose the self-assessment, the manager review or both.")]},
        )
    rated = question.kind != QuestionKind.TEXT and not (
        question.kind == QuestionKind.GOALS and question.goal_scoring == GoalScoring.PROGRESS
    )
    if rated and question.scale_id is None:
        raise DomainError(
            _("This kind of question rates on a scale."),
            fields={"scale": [_("Choose a rating scale.")]},
        )
    if question.kind == QuestionKind.COMPETENCY and not competency_ids:
        raise DomainError(
            _("A competency question rates at least one competency."),
            fields={"competencies": [_("Choose the competencies to rate.")]},
        )
    if question.kind != QuestionKind.COMPETENCY and competency_ids:
        raise DomainError(
            _("Only competency questions rate competencies."),
            fields={"competencies": [_("Leave this empty for this kind of question.")]},
        )


def template_question_create(
    *,
    actor: Actor,
    section: TemplateSection,
    kind: str,
    prompt: str,
    answered_by: Sequence[str],
    scale: RatingScale | None = None,
    readers: str = AnswerReaders.EVERYONE,
    required: bool = True,
    with_comment: bool = False,
    weight: Decimal | int = 1,
    goal_scoring: str = GoalScoring.RATED,
    competency_ids: Sequence[int] = (),
    help_text: str = "",
) -> TemplateQuestion:
    _require_setup_rights(actor)
    question = TemplateQuestion(
        organization=current_organization(),
        section=section,
        kind=kind,
        prompt=prompt.strip(),
        help_text=help_text.strip(),
        scale=scale,
        answered_by=sorted(set(answered_by)),
        readers=readers,
        required=required,
        with_comment=with_comment,
        weight=Decimal(weight),
        goal_scoring=goal_scoring,
        position=TemplateQuestion.objects.filter(section=section).count(),
    )
    full_clean_or_raise(question, exclude=["organization", "section", "scale"])
    _check_question(question, competency_ids)
    wanted = list(dict.fromkeys(competency_ids))  # the template's order, each once
    found = {c.pk: c for c in Competency.objects.filter(pk__in=wanted, active=True)}
    competencies = [found[pk] for pk in wanted if pk in found]
    if len(competencies) != len(wanted):
        raise DomainError(
            _("Some of these competencies do not exist."),
            fields={"competencies": [_("Choose competencies of the framework.")]},
        )
    with transaction.atomic():
        question.save()
        QuestionCompetency.objects.bulk_create(
            QuestionCompetency(
                organization=question.organization,
                question=question,
                competency=competency,
                position=index,
            )
            for index, competency in enumerate(competencies)
        )
    return question


def template_section_delete(*, actor: Actor, section: TemplateSection) -> None:
    """Remove a section and its questions. Launched cycles keep their copy."""
    _require_setup_rights(actor)
    section.delete()


def template_question_delete(*, actor: Actor, question: TemplateQuestion) -> None:
    _require_setup_rights(actor)
    question.delete()

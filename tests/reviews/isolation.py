"""Review set-up objects for tests/test_isolation.py (made by the owner's HR rights)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

from perfmgmt.tenancy.context import organization_scope
from reviews.models import (
    Participant,
    QuestionKind,
    RatingScale,
    ReviewCycle,
    ReviewTemplate,
    TemplateQuestion,
    TemplateSection,
)
from reviews.services import setup as services
from reviews.services.setup import LevelInput
from tests.conftest import OrgPeople


def make_isolation_scale(people: OrgPeople) -> RatingScale:
    with organization_scope(people.organization):
        number = RatingScale.objects.count()
        return services.rating_scale_create(
            actor=people.owner,
            name=f"Scale {number}",
            levels=[LevelInput(1, "Low"), LevelInput(2, "High")],
        )


def make_isolation_template(people: OrgPeople) -> ReviewTemplate:
    with organization_scope(people.organization):
        number = ReviewTemplate.objects.count()
        return services.review_template_create(actor=people.owner, name=f"Template {number}")


def make_isolation_section(people: OrgPeople) -> TemplateSection:
    template = make_isolation_template(people)
    with organization_scope(people.organization):
        return services.template_section_create(
            actor=people.owner, template=template, title="Results"
        )


def make_isolation_question(people: OrgPeople) -> TemplateQuestion:
    section = make_isolation_section(people)
    with organization_scope(people.organization):
        return services.template_question_create(
            actor=people.owner,
            section=section,
            kind=QuestionKind.TEXT,
            prompt="What went well?",
            answered_by=["self"],
        )


REVIEWS_OBJECT_KWARGS: dict[str, type[models.Model]] = {
    "scale_id": RatingScale,
    "template_id": ReviewTemplate,
    "section_id": TemplateSection,
    "question_id": TemplateQuestion,
}

REVIEWS_MAKERS: dict[type[models.Model], Callable[[OrgPeople], models.Model]] = {
    RatingScale: make_isolation_scale,
    ReviewTemplate: make_isolation_template,
    TemplateSection: make_isolation_section,
    TemplateQuestion: make_isolation_question,
}


# Review cycles -------------------------------------------------------------------------


def make_isolation_cycle(people: OrgPeople) -> ReviewCycle:
    from tests.reviews.factories import running_cycle

    with organization_scope(people.organization):
        number = ReviewCycle.objects.count()
    return running_cycle(people, [people.report], name=f"Isolation cycle {number}")


def make_isolation_participant(people: OrgPeople) -> Participant:
    cycle = make_isolation_cycle(people)
    with organization_scope(people.organization):
        return Participant.objects.get(cycle=cycle)


REVIEWS_OBJECT_KWARGS.update({"cycle_id": ReviewCycle, "participant_id": Participant})
REVIEWS_MAKERS.update({ReviewCycle: make_isolation_cycle, Participant: make_isolation_participant})

"""HR builds rating scales and templates; cycles copy them, so later edits change nothing
already launched."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.tenancy.context import organization_scope
from reviews.models import (
    AnswerReaders,
    GoalScoring,
    QuestionKind,
    RatingLevel,
    RatingScale,
    ReviewTemplate,
)
from reviews.services import setup as services
from reviews.services.setup import LevelInput
from reviews.snapshots import template_snapshot
from tests.conftest import OrgPeople
from tests.goals.development.factories import make_competency

pytestmark = pytest.mark.django_db

FIVE = [
    LevelInput(1, "Below expectations", "Misses most goals."),
    LevelInput(2, "Partly meets"),
    LevelInput(3, "Meets expectations"),
    LevelInput(4, "Exceeds"),
    LevelInput(5, "Outstanding"),
]


def five_point(org: OrgPeople, name: str = "Five points") -> RatingScale:
    return services.rating_scale_create(actor=org.hr, name=name, levels=FIVE)


def test_a_scale_is_ordered_levels_with_values_labels_and_descriptions(scope, org) -> None:
    scale = services.rating_scale_create(
        actor=org.hr,
        name="Three",
        levels=[
            LevelInput("3", "High"),
            LevelInput(1, "Low"),
            LevelInput("2.5", "Middle", "Mostly there"),
        ],
    )
    levels = list(scale.levels.values_list("value", "label", "description"))
    assert levels == [
        (Decimal("1.00"), "Low", ""),
        (Decimal("2.50"), "Middle", "Mostly there"),
        (Decimal("3.00"), "High", ""),
    ]


@pytest.mark.parametrize(
    "levels",
    [
        [LevelInput(1, "Only one")],
        [LevelInput(1, "Low"), LevelInput(1, "Also low")],
        [LevelInput(1, "Same"), LevelInput(2, "same")],
        [LevelInput(1, "Low"), LevelInput("x", "Not a number")],
        [LevelInput(1, "Low"), LevelInput(2, "  ")],
    ],
    ids=["one level", "duplicate value", "duplicate label", "not a number", "no label"],
)
def test_a_scale_with_bad_levels_is_refused_and_nothing_is_saved(scope, org, levels) -> None:
    with pytest.raises(DomainError) as refused:
        services.rating_scale_create(actor=org.hr, name="Bad", levels=levels)
    assert "levels" in refused.value.fields
    assert not RatingScale.objects.filter(name="Bad").exists()


def test_only_hr_and_owners_set_up_reviews(scope, org) -> None:
    for actor in (org.manager, org.report):
        with pytest.raises(PermissionDeniedError):
            services.rating_scale_create(actor=actor, name="Mine", levels=FIVE)
        with pytest.raises(PermissionDeniedError):
            services.review_template_create(actor=actor, name="Mine")
    assert services.review_template_create(actor=org.owner, name="Owner's").pk


def test_names_are_unique_within_an_organization_only(org, other_org) -> None:
    with organization_scope(org.organization):
        five_point(org)
        with pytest.raises(ConflictError):
            five_point(org, name="five POINTS")
    with organization_scope(other_org.organization):
        assert five_point(other_org).pk


def test_rated_questions_need_a_scale_and_somebody_to_answer(scope, org) -> None:
    template = services.review_template_create(actor=org.hr, name="Annual")
    section = services.template_section_create(actor=org.hr, template=template, title="Goals")
    with pytest.raises(DomainError) as refused:
        services.template_question_create(
            actor=org.hr,
            section=section,
            kind=QuestionKind.RATING,
            prompt="How?",
            answered_by=["self"],
        )
    assert "scale" in refused.value.fields
    with pytest.raises(DomainError) as refused:
        services.template_question_create(
            actor=org.hr, section=section, kind=QuestionKind.TEXT, prompt="Why?", answered_by=[]
        )
    assert "answered_by" in refused.value.fields
    # Goals scored from their progress need no scale.
    question = services.template_question_create(
        actor=org.hr,
        section=section,
        kind=QuestionKind.GOALS,
        prompt="Your goals",
        answered_by=["manager"],
        goal_scoring=GoalScoring.PROGRESS,
    )
    assert question.scale is None


def test_a_negative_weight_is_refused(scope, org) -> None:
    template = services.review_template_create(actor=org.hr, name="Annual")
    with pytest.raises(DomainError) as refused:
        services.template_section_create(actor=org.hr, template=template, title="Goals", weight=-1)
    assert "weight" in refused.value.fields


def test_a_competency_question_rates_competencies_of_the_framework(scope, org, other_org):
    template = services.review_template_create(actor=org.hr, name="Annual")
    section = services.template_section_create(actor=org.hr, template=template, title="Skills")
    scale = five_point(org)
    with pytest.raises(DomainError) as refused:
        services.template_question_create(
            actor=org.hr,
            section=section,
            kind=QuestionKind.COMPETENCY,
            prompt="Skills",
            answered_by=["self", "manager"],
            scale=scale,
        )
    assert "competencies" in refused.value.fields
    foreign = make_competency(other_org, name="Elsewhere")
    with pytest.raises(DomainError):
        services.template_question_create(
            actor=org.hr,
            section=section,
            kind=QuestionKind.COMPETENCY,
            prompt="Skills",
            answered_by=["manager"],
            scale=scale,
            competency_ids=[foreign.pk],
        )


def test_a_launched_copy_keeps_the_template_and_scales_as_they_were(scope, org) -> None:
    scale = five_point(org)
    competency = make_competency(org, name="Communication")
    template = services.review_template_create(actor=org.hr, name="Annual")
    goals = services.template_section_create(
        actor=org.hr, template=template, title="Results", weight=60
    )
    skills = services.template_section_create(
        actor=org.hr, template=template, title="Skills", weight=40
    )
    services.template_question_create(
        actor=org.hr,
        section=goals,
        kind=QuestionKind.OVERALL,
        prompt="Overall",
        answered_by=["self", "manager"],
        scale=scale,
    )
    services.template_question_create(
        actor=org.hr,
        section=skills,
        kind=QuestionKind.COMPETENCY,
        prompt="Skills",
        answered_by=["manager"],
        scale=scale,
        competency_ids=[competency.pk],
        readers=AnswerReaders.MANAGERS,
    )
    copy = template_snapshot(template)

    services.rating_scale_update(
        actor=org.hr,
        scale=scale,
        name="Renamed",
        levels=[LevelInput(0, "No"), LevelInput(1, "Yes")],
    )
    assert RatingLevel.objects.filter(scale=scale).count() == 2
    assert copy != template_snapshot(template)  # the live template changed, the copy did not
    overall = copy["sections"][0]["questions"][0]
    assert [level["label"] for level in overall["scale"]["levels"]] == [lvl.label for lvl in FIVE]
    assert copy["sections"][0]["weight"] == "60.00"
    skills_question = copy["sections"][1]["questions"][0]
    assert skills_question["readers"] == "managers"
    assert [c["name"] for c in skills_question["competencies"]] == ["Communication"]
    assert skills_question["competencies"][0]["levels"][0]["name"] == "Aware"
    # ...while the live template did.
    assert template_snapshot(template)["sections"][0]["questions"][0]["scale"]["name"] == "Renamed"


def test_the_copy_takes_the_same_queries_for_a_small_and_a_large_template(scope, org) -> None:
    scale = five_point(org)
    competency = make_competency(org)

    def build(name: str, sections: int) -> ReviewTemplate:
        template = services.review_template_create(actor=org.hr, name=name)
        for index in range(sections):
            section = services.template_section_create(
                actor=org.hr, template=template, title=f"S{index}"
            )
            for kind in (QuestionKind.RATING, QuestionKind.TEXT, QuestionKind.COMPETENCY):
                services.template_question_create(
                    actor=org.hr,
                    section=section,
                    kind=kind,
                    prompt=f"{kind} {index}",
                    answered_by=["self"],
                    scale=None if kind == QuestionKind.TEXT else scale,
                    competency_ids=[competency.pk] if kind == QuestionKind.COMPETENCY else (),
                )
        return template

    counts = []
    for template in (build("small", 1), build("large", 6)):
        with CaptureQueriesContext(connection) as queries:
            template_snapshot(template)
        counts.append(len(queries))
    assert counts[0] == counts[1]

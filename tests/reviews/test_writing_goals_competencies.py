"""Goal questions rate (or score from progress) the reviewee's goals of the period;
competency questions rate each competency against its behavioural levels."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from goals.models import GoalStatus, Visibility
from perfmgmt.errors import DomainError
from perfmgmt.tenancy.context import organization_scope
from reviews.models import GoalScoring, QuestionKind, Review, ReviewerKind
from reviews.selectors.scores import review_score
from reviews.services.setup import (
    review_template_create,
    template_question_create,
    template_section_create,
)
from reviews.services.writing import AnswerInput, review_save, review_submit
from tests.conftest import OrgPeople
from tests.goals.development.factories import make_competency
from tests.goals.factories import GoalFactory
from tests.reviews.factories import make_scale, running_cycle

pytestmark = pytest.mark.django_db


def goal_template(org: OrgPeople, scoring: str, name: str = "With goals"):
    scale = make_scale(org, name=f"{name} goals scale")
    competency = make_competency(org, name="Communication")
    with organization_scope(org.organization):
        template = review_template_create(actor=org.hr, name=name)
        section = template_section_create(actor=org.hr, template=template, title="Goals")
        goals = template_question_create(
            actor=org.hr,
            section=section,
            kind=QuestionKind.GOALS,
            prompt="Your goals",
            answered_by=[ReviewerKind.SELF],
            scale=scale if scoring == GoalScoring.RATED else None,
            goal_scoring=scoring,
        )
        skills = template_question_create(
            actor=org.hr,
            section=section,
            kind=QuestionKind.COMPETENCY,
            prompt="Skills",
            answered_by=[ReviewerKind.SELF],
            scale=scale,
            competency_ids=[competency.pk],
            required=False,
        )
    return template, goals, skills, competency


def goals_of_report(org: OrgPeople):
    inside = GoalFactory.create(
        organization=org.organization,
        owner_person=org.report,
        due_date=date(2026, 6, 30),
        progress=Decimal("0.5"),
        visibility=Visibility.OWNER_AND_MANAGERS,
    )
    outside = GoalFactory.create(
        organization=org.organization, owner_person=org.report, due_date=date(2025, 6, 30)
    )
    cancelled = GoalFactory.create(
        organization=org.organization, owner_person=org.report, status=GoalStatus.CANCELLED
    )
    return inside, outside, cancelled


def test_a_goal_question_rates_each_goal_of_the_period_and_only_those(scope, org) -> None:
    template, goals_question, _skills, _competency = goal_template(org, GoalScoring.RATED)
    inside, outside, cancelled = goals_of_report(org)
    running_cycle(org, [org.report], template=template)
    review = Review.objects.get(author=org.report, kind="self")
    for goal in (outside, cancelled):
        with pytest.raises(DomainError):
            review_save(
                actor=org.report,
                review=review,
                version=0,
                answers=[AnswerInput(goals_question.pk, item_id=goal.pk, rating="3")],
            )
    with pytest.raises(DomainError) as refused:
        review_submit(actor=org.report, review=review)
    assert f"q{goals_question.pk}_{inside.pk}" in refused.value.fields
    review = review_save(
        actor=org.report,
        review=review,
        version=0,
        answers=[AnswerInput(goals_question.pk, item_id=inside.pk, rating="4")],
    )
    assert review_submit(actor=org.report, review=review).is_submitted


def test_goals_scored_from_progress_take_no_rating_and_score_their_progress(scope, org):
    template, goals_question, _skills, _competency = goal_template(
        org, GoalScoring.PROGRESS, name="Progress goals"
    )
    inside, _outside, _cancelled = goals_of_report(org)
    running_cycle(org, [org.report], template=template)
    review = Review.objects.get(author=org.report, kind="self")
    with pytest.raises(DomainError):
        review_save(
            actor=org.report,
            review=review,
            version=0,
            answers=[AnswerInput(goals_question.pk, item_id=inside.pk, rating="3")],
        )
    found = review_score(review=review, questions={goals_question.pk})
    line = found.lines[f"q{goals_question.pk}_{inside.pk}"]
    assert line.normalised == Decimal("0.5")
    assert review_submit(actor=org.report, review=review).is_submitted  # nothing to rate


def test_the_page_shows_each_goal_with_its_progress_and_each_competency_level(
    org, client_for
) -> None:
    template, goals_question, skills, competency = goal_template(
        org, GoalScoring.RATED, name="Page goals"
    )
    inside, outside, _cancelled = goals_of_report(org)
    running_cycle(org, [org.report], template=template)
    with organization_scope(org.organization):
        review = Review.objects.get(author=org.report, kind="self")
        level = competency.levels.order_by("level").first()
        assert level is not None
    html = (
        client_for(org.report)
        .get(f"/o/{org.organization.slug}/reviews/{review.pk}/")
        .content.decode()
    )
    assert inside.title in html
    assert outside.title not in html.split('id="evidence-heading"')[0]
    assert "Progress 50 %" in html
    assert f'name="q{goals_question.pk}_{inside.pk}_rating"' in html
    assert f'name="q{skills.pk}_{competency.pk}_rating"' in html
    assert "Communication" in html


def test_a_competency_is_rated_on_the_scale_once_per_competency(scope, org) -> None:
    template, _goals, skills, competency = goal_template(org, GoalScoring.PROGRESS, name="Skills")
    running_cycle(org, [org.report], template=template)
    review = Review.objects.get(author=org.report, kind="self")
    with pytest.raises(DomainError):
        review_save(
            actor=org.report,
            review=review,
            version=0,
            answers=[AnswerInput(skills.pk, item_id=0, rating="3")],
        )
    saved = review_save(
        actor=org.report,
        review=review,
        version=0,
        answers=[AnswerInput(skills.pk, item_id=competency.pk, rating="5")],
    )
    line = review_score(review=saved, questions={skills.pk}).lines[f"q{skills.pk}_{competency.pk}"]
    assert line.normalised == Decimal(1)

"""Scores built from a review's answers and snapshot, explained on the score page; the gap
is for managers and HR; the reviewee never sees manager-only questions or an unreleased score."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from perfmgmt.tenancy.context import organization_scope
from reviews.models import Participant, Review
from reviews.selectors.scores import participant_scores, review_score
from reviews.selectors.writing import snapshot_questions
from reviews.services.writing import AnswerInput, review_save, review_submit
from tests.reviews.factories import default_phases, running_cycle

pytestmark = pytest.mark.django_db


def both_open():
    return default_phases(timezone.now() - timedelta(days=8))


def ids(review: Review) -> dict[str, int]:
    return {q["prompt"]: q["id"] for _s, q in snapshot_questions(review.participant.snapshot.data)}


def answer(org, kind: str, overall: str | None, potential: str | None = None, submit=True):
    review = Review.objects.get(participant__reviewee=org.report, kind=kind)
    prompts = ids(review)
    answers = []
    if overall is not None:
        answers.append(AnswerInput(prompts["How did the period go overall?"], rating=overall))
    if potential is not None:
        answers.append(AnswerInput(prompts["Potential"], rating=potential))
    review = review_save(actor=review.author, review=review, answers=answers, version=0)
    if submit:
        review = review_submit(actor=review.author, review=review)
    return review


def test_a_score_skips_what_is_missing_instead_of_counting_it_as_zero(scope, org) -> None:
    running_cycle(org, [org.report], phases=both_open())
    review = answer(org, "manager", overall="5", potential=None, submit=False)
    found = review_score(review=review, questions=set(ids(review).values()))
    results, growth = found.score.sections
    assert results.score == Decimal("1.0000")
    assert growth.score is None  # potential unanswered, the text not scored: it drops out
    assert found.score.overall == Decimal("1.0000")
    skipped = {line.prompt: line.skipped for line in found.lines.values()}
    assert skipped["Potential"] == "unanswered"
    assert skipped["What will you learn next?"] == "not_scored"


def test_the_gap_is_for_managers_and_hr_once_the_self_assessment_is_in(scope, org) -> None:
    running_cycle(org, [org.report], phases=both_open())
    participant = Participant.objects.get(reviewee=org.report)
    answer(org, "manager", overall="4", potential="5")
    assert not participant_scores(actor=org.manager, participant=participant).show_gap
    answer(org, "self", overall="2")
    for reader in (org.manager, org.hr):
        found = participant_scores(actor=reader, participant=participant)
        assert found.show_gap
        assert found.gaps["overall"] is not None
        assert found.gaps["overall"] > 0
    mine = participant_scores(actor=org.report, participant=participant)
    assert not mine.show_gap
    assert [score.review.kind for score in mine.scores] == ["self"]  # not released yet


def test_the_score_page_explains_and_hides_manager_only_questions_from_the_reviewee(
    org, client_for
) -> None:
    running_cycle(org, [org.report], phases=both_open())
    with organization_scope(org.organization):
        answer(org, "self", overall="2")
        answer(org, "manager", overall="4", potential="5")
        participant = Participant.objects.get(reviewee=org.report)
    url = f"/o/{org.organization.slug}/reviews/participants/{participant.pk}/score/"
    manager_html = client_for(org.manager).get(url).content.decode()
    assert "Potential" in manager_html
    assert "Overall gap (manager minus self): +2" in manager_html
    assert "Not scored (free text, or no weight)" in manager_html
    reviewee = client_for(org.report)
    html = reviewee.get(url).content.decode()
    assert "Manager review" not in html
    with organization_scope(org.organization):
        participant.released_at = timezone.now()
        participant.save()
    html = reviewee.get(url).content.decode()
    assert "Manager review" in html
    assert "Potential" not in html
    assert "gap" not in html.lower()
    assert client_for(org.colleague).get(url).status_code == 404


def score_page_queries(org, client_for, goals: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reviews.models import GoalScoring, QuestionKind, ReviewerKind
    from reviews.services.setup import template_question_create, template_section_create
    from tests.factories import MembershipFactory
    from tests.goals.factories import GoalFactory
    from tests.reviews.factories import make_template

    name = f"Scored goals {goals}"
    template = make_template(org, name=name)
    with organization_scope(org.organization):
        section = template_section_create(actor=org.hr, template=template, title="Goals")
        template_question_create(
            actor=org.hr,
            section=section,
            kind=QuestionKind.GOALS,
            prompt="Goals of the period",
            answered_by=[ReviewerKind.SELF, ReviewerKind.MANAGER],
            goal_scoring=GoalScoring.PROGRESS,
        )
    reviewee = MembershipFactory.create(organization=org.organization, manager=org.manager)
    GoalFactory.create_batch(goals, organization=org.organization, owner_person=reviewee)
    running_cycle(org, [reviewee], template=template, name=name, phases=both_open())
    with organization_scope(org.organization):
        participant = Participant.objects.get(reviewee=reviewee)
    client = client_for(org.hr)
    url = f"/o/{org.organization.slug}/reviews/participants/{participant.pk}/score/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_score_page_runs_the_same_queries_at_5_and_at_50_goals(org, client_for) -> None:
    assert score_page_queries(org, client_for, 5) == score_page_queries(org, client_for, 50)

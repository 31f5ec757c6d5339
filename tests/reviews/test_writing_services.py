"""Writing a review: drafts with versions, validation against the snapshot, the phase's
clock, submitting once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from reviews.models import PhaseKind, Review, ReviewAnswer, ReviewStatus
from reviews.selectors.writing import snapshot_questions
from reviews.services.writing import (
    AnswerInput,
    ReviewConflictError,
    review_save,
    review_submit,
)
from tests.conftest import OrgPeople
from tests.reviews.factories import default_phases, running_cycle

pytestmark = pytest.mark.django_db


def questions(review: Review) -> dict[str, int]:
    """Question ids by prompt, from the review's snapshot."""
    data = review.participant.snapshot.data
    return {question["prompt"]: question["id"] for _s, question in snapshot_questions(data)}


def self_review(org: OrgPeople, **cycle_kwargs) -> Review:
    running_cycle(org, [org.report], **cycle_kwargs)
    return Review.objects.get(author=org.report, kind="self")


def manager_review(org: OrgPeople) -> Review:
    running_cycle(org, [org.report])
    return Review.objects.get(author=org.manager, kind="manager")


def test_a_draft_saves_answers_and_bumps_the_version(scope, org) -> None:
    review = self_review(org)
    ids = questions(review)
    saved = review_save(
        actor=org.report,
        review=review,
        version=0,
        answers=[
            AnswerInput(ids["How did the period go overall?"], rating="4", text=" Good year "),
            AnswerInput(ids["What will you learn next?"], text="SQL"),
        ],
    )
    assert saved.version == 1
    assert saved.status == ReviewStatus.DRAFT
    assert saved.started_at is not None
    assert saved.updated_at is not None
    stored = {a.question_id: a for a in ReviewAnswer.objects.filter(review=review)}
    assert stored[ids["How did the period go overall?"]].rating == Decimal("4")
    assert stored[ids["How did the period go overall?"]].text == "Good year"

    again = review_save(
        actor=org.report,
        review=saved,
        version=1,
        answers=[AnswerInput(ids["How did the period go overall?"], rating="5")],
    )
    assert again.version == 2
    assert ReviewAnswer.objects.get(
        review=review, question_id=ids["How did the period go overall?"]
    ).rating == Decimal("5")
    assert ReviewAnswer.objects.filter(review=review).count() == 2


def test_a_save_from_an_older_version_is_a_conflict_carrying_the_stored_answers(scope, org) -> None:
    review = self_review(org)
    ids = questions(review)
    overall = ids["How did the period go overall?"]
    review_save(
        actor=org.report, review=review, version=0, answers=[AnswerInput(overall, text="Tab one")]
    )
    with pytest.raises(ReviewConflictError) as conflict:
        review_save(
            actor=org.report,
            review=Review.objects.get(pk=review.pk),
            version=0,
            answers=[AnswerInput(overall, text="Tab two")],
        )
    assert conflict.value.status_code == 409
    assert conflict.value.current["version"] == 1
    assert conflict.value.current["answers"][0]["text"] == "Tab one"
    assert ReviewAnswer.objects.get(review=review).text == "Tab one"


@pytest.mark.parametrize(
    ("prompt", "answer", "message"),
    [
        ("How did the period go overall?", {"rating": "7"}, "scale"),
        ("How did the period go overall?", {"rating": "abc"}, "scale"),
        ("What will you learn next?", {"rating": "3"}, "not rated"),
        ("Potential", {"rating": "3"}, "not yours"),
        ("How did the period go overall?", {"text": "x" * 10_001}, "under"),
        ("How did the period go overall?", {"item_id": 5, "rating": "3"}, "not part"),
        ("How did the period go overall?", {"citations": ["password:1"]}, "cite"),
    ],
)
def test_answers_are_validated_against_the_snapshot(scope, org, prompt, answer, message) -> None:
    review = self_review(org)
    question_id = questions(review)[prompt]
    with pytest.raises(DomainError) as refused:
        review_save(
            actor=org.report,
            review=review,
            version=0,
            answers=[AnswerInput(question_id, **answer)],
        )
    [messages] = refused.value.fields.values()
    assert message in messages[0]
    review.refresh_from_db()
    assert review.version == 0
    assert not ReviewAnswer.objects.filter(review=review).exists()


def test_only_the_author_writes(scope, org) -> None:
    review = self_review(org)
    overall = questions(review)["How did the period go overall?"]
    for someone in (org.manager, org.hr, org.colleague):
        with pytest.raises(PermissionDeniedError):
            review_save(
                actor=someone, review=review, version=0, answers=[AnswerInput(overall, text="x")]
            )


def test_a_closed_phase_refuses_saying_when_it_closed(scope, org) -> None:
    start = timezone.now() - timedelta(days=30)
    review = self_review(org, phases=default_phases(start))
    overall = questions(review)["How did the period go overall?"]
    with pytest.raises(ConflictError) as refused:
        review_save(
            actor=org.report, review=review, version=0, answers=[AnswerInput(overall, text="x")]
        )
    assert "closed on" in refused.value.message
    assert str((start + timedelta(days=14)).year) in refused.value.message


def test_an_extension_keeps_the_phase_open_for_that_person(scope, org) -> None:
    start = timezone.now() - timedelta(days=30)
    review = self_review(org, phases=default_phases(start))
    participant = review.participant
    participant.self_deadline = timezone.now() + timedelta(days=1)
    participant.save()
    overall = questions(review)["How did the period go overall?"]
    saved = review_save(
        actor=org.report, review=review, version=0, answers=[AnswerInput(overall, text="x")]
    )
    assert saved.version == 1


def test_a_phase_not_open_yet_refuses(scope, org) -> None:
    review = self_review(org, phases=default_phases(timezone.now() + timedelta(days=2)))
    with pytest.raises(ConflictError) as refused:
        review_save(actor=org.report, review=review, version=0, answers=[])
    assert "opens on" in refused.value.message


def test_the_upsert_runs_the_same_queries_for_two_answers_and_for_many(scope, org) -> None:
    review = self_review(org)
    ids = questions(review)
    overall, text = ids["How did the period go overall?"], ids["What will you learn next?"]

    def count(answers: list[AnswerInput], version: int) -> int:
        fresh = Review.objects.select_related("participant__cycle", "participant__snapshot").get(
            pk=review.pk
        )
        with CaptureQueriesContext(connection) as queries:
            review_save(actor=org.report, review=fresh, version=version, answers=answers)
        return len(queries)

    few = count([AnswerInput(overall, rating="3")], 0)
    many = count([AnswerInput(overall, rating="3"), AnswerInput(text, text="more")], 1)
    assert few == many


def test_submit_needs_the_required_answers_then_is_final_and_idempotent(scope, org) -> None:
    review = self_review(org)
    overall = questions(review)["How did the period go overall?"]
    with pytest.raises(DomainError) as refused:
        review_submit(actor=org.report, review=review)
    assert f"q{overall}_0" in refused.value.fields

    review = review_save(
        actor=org.report, review=review, version=0, answers=[AnswerInput(overall, rating="4")]
    )
    submitted = review_submit(actor=org.report, review=review, version=review.version)
    assert submitted.status == ReviewStatus.SUBMITTED
    submitted_at = submitted.submitted_at
    again = review_submit(actor=org.report, review=Review.objects.get(pk=review.pk))
    assert again.submitted_at == submitted_at
    with pytest.raises(ConflictError) as locked:
        review_save(
            actor=org.report,
            review=again,
            version=again.version,
            answers=[AnswerInput(overall, rating="1")],
        )
    assert "submitted" in locked.value.message
    assert ReviewAnswer.objects.get(review=review).rating == Decimal("4")


def test_not_applicable_answers_a_required_question(scope, org) -> None:
    review = self_review(org)
    overall = questions(review)["How did the period go overall?"]
    review = review_save(
        actor=org.report,
        review=review,
        version=0,
        answers=[AnswerInput(overall, rating="4", not_applicable=True)],
    )
    assert ReviewAnswer.objects.get(review=review).rating is None
    assert review_submit(actor=org.report, review=review).is_submitted


def test_submit_is_refused_once_the_phase_closed(scope, org) -> None:
    review = manager_review(org)
    phase = review.participant.cycle.phases.get(kind=PhaseKind.MANAGER)
    phase.opens_at = timezone.now() - timedelta(days=10)
    phase.closes_at = timezone.now() - timedelta(days=1)
    phase.save()
    review = Review.objects.get(pk=review.pk)
    with pytest.raises(ConflictError):
        review_submit(actor=org.manager, review=review)


def test_an_api_key_cannot_write_a_review(scope, org) -> None:
    from tests.api.conftest import create_key

    review = self_review(org)
    credential, _key = create_key(org)
    with pytest.raises(PermissionDeniedError):
        review_save(actor=credential, review=review, version=0, answers=[])

"""Reads for writing reviews: one review with what its page needs, the goals a goal question
rates, the questions of a snapshot, and "my reviews" (the cycles a person is in and the
reviews they write).

Who reads what is decided in `reviews.policies`; these fetch, in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from goals.models import Goal, GoalStatus
from goals.selectors import goals_of
from perfmgmt.errors import NotFoundError
from perfmgmt.ids import object_id
from perfmgmt.tenancy.policies import Actor, person_of

from .. import policies
from ..models import CyclePhase, Participant, QuestionKind, Review, ReviewAnswer

# The statuses of a goal a review looks at: the ones that were worked on.
REVIEWED_GOAL_STATUSES = (GoalStatus.ACTIVE, GoalStatus.COMPLETED, GoalStatus.MISSED)


def review_queryset() -> QuerySet[Review]:
    """Reviews with their participant, cycle, phases, people and answers, in fixed queries."""
    return Review.objects.select_related(
        "participant__cycle",
        "participant__snapshot",
        "participant__reviewee__user",
        "participant__manager__user",
        "author__user",
    ).prefetch_related(
        Prefetch("participant__cycle__phases", queryset=CyclePhase.objects.order_by("opens_at")),
        Prefetch("answers", queryset=ReviewAnswer.objects.order_by("question_id", "item_id")),
    )


def review_get(*, actor: Actor, review_id: object) -> Review:
    """A review the actor may read (`policies.can_read_review`); 404 otherwise, exactly like
    a missing one or another organization's."""
    review = review_queryset().filter(pk=object_id(review_id)).first()
    if review is None or not policies.can_read_review(actor, review):
        raise NotFoundError("No such review.")
    return review


def counterpart(review: Review) -> Review | None:
    """The other open review of the same participant (self for a manager review, and the
    reverse), with its answers."""
    return (
        review_queryset()
        .filter(participant_id=review.participant_id, superseded_at=None)
        .exclude(kind=review.kind)
        .first()
    )


def snapshot_questions(snapshot_data: dict[str, Any]) -> Iterator[tuple[dict, dict]]:
    """(section, question) pairs of a snapshot, in order."""
    for section in snapshot_data.get("sections", []):
        for question in section.get("questions", []):
            yield section, question


def questions_answered_by(snapshot_data: dict[str, Any], kind: str) -> dict[int, dict]:
    """The snapshot's questions this kind of author answers, by id."""
    return {
        question["id"]: question
        for _section, question in snapshot_questions(snapshot_data)
        if kind in question.get("answered_by", [])
    }


def has_goal_questions(snapshot_data: dict[str, Any]) -> bool:
    return any(q["kind"] == QuestionKind.GOALS for _s, q in snapshot_questions(snapshot_data))


def period_goals(participant: Participant) -> list[Goal]:
    """The reviewee's own goals worked on within the cycle's period (one query)."""
    cycle = participant.cycle
    return list(
        goals_of(person=participant.reviewee_id, period=(cycle.period_start, cycle.period_end))
        .filter(status__in=REVIEWED_GOAL_STATUSES)
        .order_by("due_date", "id")
    )


def question_items(question: dict, goals: list[Goal]) -> list[int]:
    """The item ids one question is answered by: each competency, each goal, else 0."""
    if question["kind"] == QuestionKind.COMPETENCY:
        return [competency["id"] for competency in question.get("competencies", [])]
    if question["kind"] == QuestionKind.GOALS:
        return [goal.pk for goal in goals]
    return [0]


# --- My reviews --------------------------------------------------------------------------


@dataclass(frozen=True)
class MyReviews:
    own: list[Review]  # the self-assessments of the cycles the person is in
    writing: list[Review]  # the manager reviews they write (or wrote)
    manager_reviews: dict[int, Review]  # participant id -> the manager review of "own"


def my_reviews(*, actor: Actor) -> MyReviews:
    """The reviews the person writes, and the manager reviews of their own cycles (for
    their status only: what they may read of them is the review page's business)."""
    person = person_of(actor)
    if person is None:
        return MyReviews([], [], {})
    reviews = list(
        Review.objects.select_related(
            "participant__cycle", "participant__reviewee__user", "author__user"
        )
        .prefetch_related(
            Prefetch("participant__cycle__phases", queryset=CyclePhase.objects.order_by("opens_at"))
        )
        .filter(
            Q(author=person) | Q(participant__reviewee=person, kind="manager"),
            superseded_at=None,
        )
        .order_by("-participant__cycle__period_end", "participant_id", "kind", "id")
    )
    own, writing, manager_reviews = [], [], {}
    for review in reviews:
        if review.participant.reviewee_id == person.pk and review.kind == "manager":
            manager_reviews[review.participant_id] = review
        elif review.kind == "self":
            own.append(review)
        else:
            writing.append(review)
    return MyReviews(own, writing, manager_reviews)


def answers_by_key(review: Review | None) -> dict[tuple[int, int], ReviewAnswer]:
    if review is None:
        return {}
    return {(answer.question_id, answer.item_id): answer for answer in review.answers.all()}

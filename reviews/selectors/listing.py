"""Reviews as a list (the API): `policies.can_read_review` as one SQL filter, and the
answers of one review that its reader may read.

No statement grows with the reader's reporting line: "the reviewee is below me" is the
`reports_below` subquery.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from perfmgmt.tenancy.policies import Actor, person_of
from perfmgmt.tenancy.selectors import reports_below

from .. import policies
from ..models import (
    NAMED_KINDS,
    CyclePhase,
    PhaseKind,
    Review,
    ReviewAnswer,
    ReviewerKind,
    ReviewStatus,
)
from .writing import snapshot_questions

# A peer's or direct report's review is never shared: its author alone lists it.
SHARED = (Q(status=ReviewStatus.SUBMITTED) | Q(superseded_at__isnull=False)) & Q(
    kind__in=NAMED_KINDS
)


def readable_reviews_filter(actor: Actor) -> Q:
    """`policies.can_read_review` for a whole list."""
    if actor.is_api_client:
        return SHARED if policies.can_view_all_reviews(actor) else Q(pk__in=[])
    person = person_of(actor)
    if person is None:
        return Q(pk__in=[])
    if policies.can_view_all_reviews(actor):
        return Q(author=person) | SHARED
    managers = Q(participant__manager=person) | Q(
        participant__reviewee_id__in=reports_below(manager=person)
    )
    released = Q(
        participant__reviewee=person,
        kind=ReviewerKind.MANAGER,
        participant__released_at__isnull=False,
    )
    return (
        Q(author=person)
        | (SHARED & ~Q(participant__reviewee=person) & managers)
        | (SHARED & released)
    )


def _open_for_writing(kind: str, now: datetime) -> Q:
    """Reviews of `kind` whose author's window is open now (with their own extension)."""
    deadline = (
        "participant__self_deadline"
        if kind == PhaseKind.SELF
        else ("participant__manager_deadline")
    )
    phases = CyclePhase.objects.filter(
        cycle_id=OuterRef("participant__cycle_id"), kind=kind, opens_at__lte=now
    )
    return Q(kind=kind) & (
        Exists(phases.filter(closes_at__gt=now)) | (Exists(phases) & Q(**{f"{deadline}__gt": now}))
    )


def review_list(
    *,
    actor: Actor,
    cycle_id: int | None = None,
    reviewee_id: int | None = None,
    reviewer_id: int | None = None,
    status: str | None = None,
    phase: str | None = None,
    now: datetime | None = None,
) -> QuerySet[Review]:
    """The reviews `actor` may read, filtered; `phase` (self, manager): those whose author
    may write now."""
    reviews = Review.objects.filter(readable_reviews_filter(actor)).select_related(
        "participant__cycle", "participant__reviewee__user", "author__user"
    )
    if cycle_id is not None:
        reviews = reviews.filter(participant__cycle_id=cycle_id)
    if reviewee_id is not None:
        reviews = reviews.filter(participant__reviewee_id=reviewee_id)
    if reviewer_id is not None:
        reviews = reviews.filter(author_id=reviewer_id)
    if status:
        reviews = reviews.filter(status=status)
    if phase:
        reviews = reviews.filter(_open_for_writing(phase, now or timezone.now()))
    return reviews


def readable_answers(*, actor: Actor, review: Review) -> list[ReviewAnswer]:
    """The answers of `review` (which the actor may read) to the questions they may read."""
    participant = review.participant
    questions = [question for _s, question in snapshot_questions(participant.snapshot.data)]
    readable = {q["id"] for q in policies.readable_questions(actor, participant, questions)}
    return [answer for answer in review.answers.all() if answer.question_id in readable]

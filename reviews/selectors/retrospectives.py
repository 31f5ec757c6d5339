"""Reads of retrospectives: who is asked, whether one has answered, and the results.

Results are only ever combined: per question the count of each score and the mean, the
comments sorted by their text (never in the order they came), and the response rate. Below
the cycle's `anonymity_threshold` answers only the response rate is given. No read here
returns an answer row, so no page, API, export or email can show one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.functional import Promise

from perfmgmt.errors import NotFoundError
from perfmgmt.tenancy.models import SIGNING_IN, Membership
from perfmgmt.tenancy.policies import Actor, person_of

from ..models import (
    Participant,
    Retrospective,
    RetrospectiveAnswer,
    RetrospectiveParticipation,
    Review,
    ReviewCycle,
)
from ..retrospective_questions import QUESTIONS, SCORE_LABELS, SCORES


def _taking_part_q(cycle_id: Any) -> Q:
    """People the cycle reviewed, and everyone asked to write a review in it."""
    reviewed = Participant.objects.filter(cycle_id=cycle_id).values("reviewee_id")
    writing = Review.objects.filter(participant__cycle_id=cycle_id).values("author_id")
    return Q(pk__in=reviewed) | Q(pk__in=writing)


def invited_people(cycle: ReviewCycle) -> QuerySet[Membership]:
    """Everyone the retrospective of `cycle` asks, whether or not they can still answer."""
    return Membership.objects.filter(_taking_part_q(cycle.pk))


def answering_people(cycle: ReviewCycle) -> QuerySet[Membership]:
    """The asked people who can still answer (those who left cannot)."""
    return invited_people(cycle).filter(status__in=SIGNING_IN)


def is_invited(person: Membership, cycle: ReviewCycle) -> bool:
    return invited_people(cycle).filter(pk=person.pk).exists()


def has_answered(person: Membership, retrospective: Retrospective) -> bool:
    return RetrospectiveParticipation.objects.filter(
        retrospective=retrospective, membership=person
    ).exists()


def retrospective_of_cycle(cycle: ReviewCycle) -> Retrospective | None:
    return Retrospective.objects.filter(cycle=cycle).first()


def retrospective_get(*, retrospective_id: int) -> Retrospective:
    """A retrospective of the active organization (404 otherwise), with its cycle."""
    found = Retrospective.objects.select_related("cycle").filter(pk=retrospective_id).first()
    if found is None:
        raise NotFoundError("No such retrospective.")
    return found


def retrospective_to_answer(*, actor: Actor, retrospective_id: int) -> Retrospective:
    """The retrospective as one of the people it asks reads it: 404 for anyone else (another
    organization's, or a cycle they took no part in, looks like a missing one)."""
    retrospective = retrospective_get(retrospective_id=retrospective_id)
    person = person_of(actor)
    if person is None or not is_invited(person, retrospective.cycle):
        raise NotFoundError("No such retrospective.")
    return retrospective


def retrospectives_to_answer(person: Membership, now: datetime) -> QuerySet[Retrospective]:
    """Open retrospectives that ask `person` and that they have not answered (one query)."""
    reviewed = Participant.objects.filter(cycle_id=OuterRef("cycle_id"), reviewee=person)
    writing = Review.objects.filter(participant__cycle_id=OuterRef("cycle_id"), author=person)
    answered = RetrospectiveParticipation.objects.filter(
        retrospective_id=OuterRef("pk"), membership=person
    )
    return (
        Retrospective.objects.filter(opened_at__lte=now, closes_at__gt=now)
        .filter(Exists(reviewed) | Exists(writing))
        .exclude(Exists(answered))
        .select_related("cycle")
        .order_by("closes_at", "id")
    )


# Results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreCount:
    score: int
    label: Promise
    count: int


@dataclass(frozen=True)
class QuestionResult:
    key: str
    prompt: Promise
    counts: list[ScoreCount]
    mean: Decimal | None


@dataclass(frozen=True)
class RetrospectiveResults:
    invited: int
    answered: int
    threshold: int
    shown: bool
    questions: list[QuestionResult] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def rate(self) -> int:
        """The response rate, in whole per cent."""
        if not self.invited:
            return 0
        return int(
            (Decimal(100 * self.answered) / self.invited).quantize(Decimal(1), ROUND_HALF_UP)
        )


def _score_counts(retrospective: Retrospective) -> dict[str, int]:
    """Every (question, score) count, and the number of answers, in one query."""
    counts: dict[str, Any] = {"answered": Count("id")}
    for question in QUESTIONS:
        for score in SCORES:
            where = Q(**{f"scores__{question.key}": score})
            counts[f"{question.key}_{score}"] = Count("id", filter=where)
    return RetrospectiveAnswer.objects.filter(retrospective=retrospective).aggregate(**counts)


def _mean(counts: list[ScoreCount]) -> Decimal | None:
    total = sum(item.count for item in counts)
    if not total:
        return None
    weighted = sum(item.score * item.count for item in counts)
    return (Decimal(weighted) / total).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _question_results(counted: dict[str, int]) -> list[QuestionResult]:
    results = []
    for question in QUESTIONS:
        counts = [
            ScoreCount(score, SCORE_LABELS[score], counted[f"{question.key}_{score}"])
            for score in SCORES
        ]
        results.append(QuestionResult(question.key, question.prompt, counts, _mean(counts)))
    return results


def retrospective_results(retrospective: Retrospective) -> RetrospectiveResults:
    """The combined results (see the module): three queries, whatever the numbers."""
    cycle = retrospective.cycle
    counted = _score_counts(retrospective)
    answered = counted["answered"]
    # Someone who answered and was later erased or left is still counted as asked.
    invited = max(invited_people(cycle).count(), answered)
    threshold = cycle.anonymity_threshold
    if answered < threshold:
        return RetrospectiveResults(invited, answered, threshold, shown=False)
    comments = list(
        RetrospectiveAnswer.objects.filter(retrospective=retrospective)
        .exclude(comment="")
        .order_by("comment")
        .values_list("comment", flat=True)
    )
    return RetrospectiveResults(
        invited,
        answered,
        threshold,
        shown=True,
        questions=_question_results(counted),
        comments=comments,
    )

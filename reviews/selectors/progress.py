"""HR's view of a running cycle: completion per phase by team and by manager, who is late,
and the participants' released reviews.

Every number is an aggregate in SQL (GROUP BY); the late list is a query over reviews with
each one's deadline (the phase's closing, or the person's later extension) computed in SQL,
so the page's queries do not grow with the cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Greatest

from perfmgmt.errors import NotFoundError, PermissionDeniedError
from perfmgmt.ids import object_id
from perfmgmt.tenancy.policies import Actor

from .. import policies
from ..models import (
    NAMED_KINDS,
    CyclePhase,
    Participant,
    PhaseKind,
    Review,
    ReviewAnswer,
    ReviewCycle,
    ReviewerKind,
    ReviewStatus,
)
from ..phases import WRITING_PHASES
from .calibration import calibrated_questions


def cycle_get(*, cycle_id: Any) -> ReviewCycle:
    """A cycle of the organization (the services decide who may act on it); 404 if missing."""
    cycle = ReviewCycle.objects.filter(pk=object_id(cycle_id)).first()
    if cycle is None:
        raise NotFoundError("No such cycle.")
    return cycle


def participant_get_for_release(*, participant_id: Any) -> Participant:
    """A participant of the organization, for a service that checks the actor itself."""
    participant = (
        Participant.objects.select_related("cycle", "organization", "reviewee__user")
        .filter(pk=object_id(participant_id))
        .first()
    )
    if participant is None:
        raise NotFoundError("No such review.")
    return participant


def answer_get_for_correction(*, answer_id: Any) -> ReviewAnswer:
    """An answer of the organization, for the correction service (which checks the actor)."""
    # A peer's or direct report's answer is nobody's to correct (or to read back).
    answer = ReviewAnswer.objects.filter(
        pk=object_id(answer_id), review__kind__in=NAMED_KINDS
    ).first()
    if answer is None:
        raise NotFoundError("No such answer.")
    return answer


def progress_cycle_get(*, actor: Actor, cycle_id: Any) -> ReviewCycle:
    """A cycle whose progress `actor` follows (HR, keys with reviews:read); 404 if missing."""
    cycle = cycle_get(cycle_id=cycle_id)
    if not policies.can_view_all_reviews(actor):
        raise PermissionDeniedError("Only HR follows a cycle's progress.")
    return cycle


def participant_get(*, actor: Actor, participant_id: Any) -> Participant:
    """A participant `actor` may see (policies.can_view_participant); 404 otherwise."""
    participant = (
        Participant.objects.select_related(
            "cycle", "organization", "snapshot", "reviewee__user", "manager__user"
        )
        .filter(pk=object_id(participant_id))
        .first()
    )
    if participant is None or not policies.can_view_participant(actor, participant):
        raise NotFoundError("No such review.")
    return participant


def _submitted(kind: str) -> Q:
    return Q(
        reviews__kind=kind,
        reviews__status=ReviewStatus.SUBMITTED,
        reviews__superseded_at=None,
    )


COUNTS = {
    "total": Count("pk", distinct=True),
    "self_done": Count("pk", filter=_submitted(ReviewerKind.SELF), distinct=True),
    "manager_done": Count("pk", filter=_submitted(ReviewerKind.MANAGER), distinct=True),
    "released": Count("pk", filter=Q(released_at__isnull=False), distinct=True),
    "acknowledged": Count("pk", filter=Q(acknowledged_at__isnull=False), distinct=True),
}
MEASURES = ("self_done", "manager_done", "released", "acknowledged")


@dataclass(frozen=True)
class Completion:
    label: str
    total: int
    counts: dict[str, int]

    @property
    def percentages(self) -> dict[str, int]:
        if not self.total:
            return dict.fromkeys(self.counts, 0)
        return {name: round(100 * count / self.total) for name, count in self.counts.items()}

    @property
    def bars(self) -> list[tuple[str, int, int]]:
        """(measure, count, percent) in the order of the phases."""
        percentages = self.percentages
        return [(name, self.counts[name], percentages[name]) for name in MEASURES]


def _completion(label: str, row: Any) -> Completion:
    return Completion(label, row["total"], {name: row[name] for name in MEASURES})


@dataclass(frozen=True)
class CycleProgress:
    overall: Completion
    by_team: list[Completion]


def cycle_progress(*, cycle: ReviewCycle, no_team: str) -> CycleProgress:
    """Completion of the whole cycle and per team: two GROUP BY queries (an organization
    has a bounded number of teams; managers are many, see `manager_completion`)."""
    participants = Participant.objects.filter(cycle=cycle)
    overall = participants.aggregate(**COUNTS)
    teams = (
        participants.values("reviewee__team_id", "reviewee__team__name")
        .annotate(**COUNTS)
        .order_by("reviewee__team__name", "reviewee__team_id")
    )
    return CycleProgress(
        overall=_completion("", overall),
        by_team=[_completion(row["reviewee__team__name"] or no_team, row) for row in teams],
    )


def manager_completion(*, cycle: ReviewCycle) -> QuerySet[Any]:
    """Completion per manager, one row each (GROUP BY), for a page of them at a time."""
    return (
        Participant.objects.filter(cycle=cycle)
        .values("manager_id", "manager__full_name")
        .annotate(**COUNTS)
        .order_by("manager__full_name", "manager_id")
    )


def manager_row(row: Any, *, no_manager: str) -> Completion:
    return _completion(row["manager__full_name"] or no_manager, row)


def late_reviews(*, cycle: ReviewCycle, now: datetime) -> QuerySet[Review]:
    """Open reviews not submitted whose phase has opened and whose deadline (the phase's
    closing or the person's later extension) has passed or falls within the cycle's
    reminder days: oldest deadline first, each with `deadline` and `overdue`."""
    phases = {phase.kind: phase for phase in CyclePhase.objects.filter(cycle=cycle)}
    horizon = now + timedelta(days=cycle.remind_days_before_close)
    whens = []
    for kind, extension_field in WRITING_PHASES.items():
        phase = phases.get(kind)
        if phase is None or phase.opens_at > now:
            continue
        closes = Value(phase.closes_at)
        whens.append(
            When(
                kind=kind,
                then=Greatest(Coalesce(F(f"participant__{extension_field}"), closes), closes),
            )
        )
    if not whens:
        return Review.objects.none()
    return (
        Review.objects.filter(participant__cycle=cycle, superseded_at=None)
        .exclude(status=ReviewStatus.SUBMITTED)
        .filter(kind__in=[PhaseKind.SELF, PhaseKind.MANAGER])
        .annotate(deadline=Case(*whens, default=None))
        .filter(deadline__lte=horizon)
        .annotate(overdue=Case(When(deadline__lte=now, then=True), default=False))
        .select_related("author__user", "participant__reviewee")
        .order_by("deadline", "participant_id", "kind")
    )


def _level_label(question: dict[str, Any], rating: Decimal | None) -> str:
    if rating is None:
        return ""
    for level in (question.get("scale") or {}).get("levels", []):
        if Decimal(level["value"]) == rating:
            return str(level["label"])
    return ""


def released_reviews(*, actor: Actor, participant: Participant) -> list[dict[str, Any]]:
    """The participant's open reviews `actor` reads, each with the questions `actor` may
    read and the answers to them: [{"review", "sections": [{"title", "questions": [...]}]}].
    A question whose rating a locked calibration session changed says so (`calibrated`)."""
    reviews = list(
        Review.objects.filter(participant=participant, superseded_at=None, kind__in=NAMED_KINDS)
        .prefetch_related("answers")
        .order_by("kind")
    )
    calibrated = calibrated_questions(participant=participant)
    shown = []
    for review in reviews:
        review.participant = participant
        if not policies.can_read_review(actor, review):
            continue
        answers = {(answer.question_id, answer.item_id): answer for answer in review.answers.all()}
        sections = []
        for section in participant.snapshot.data.get("sections", []):
            questions = [
                question
                for question in policies.readable_questions(
                    actor, participant, section.get("questions", [])
                )
                if review.kind in question.get("answered_by", [])
            ]
            rows = [
                {
                    "question": question,
                    "answers": [
                        (answer, _level_label(question, answer.rating))
                        for (question_id, _item), answer in answers.items()
                        if question_id == question["id"]
                    ],
                    "calibrated": review.kind == ReviewerKind.MANAGER
                    and question["id"] in calibrated,
                }
                for question in questions
            ]
            if rows:
                sections.append({"title": section.get("title", ""), "questions": rows})
        shown.append({"review": review, "sections": sections})
    return shown

"""Calibration reads: which sessions and which people in them a reader may see, the
questions a session reads ratings from, and the final (calibrated) ratings rewards read.

A manager taking part sees only the people `policies.can_view_participant` lets them read,
never themselves; the rule is one SQL filter (`visible_placements`), so no statement grows
with the reader's reporting line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db.models import (
    Case,
    DecimalField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from perfmgmt.errors import NotFoundError
from perfmgmt.ids import object_id
from perfmgmt.tenancy.policies import Actor, person_of
from perfmgmt.tenancy.selectors import reports_below

from .. import policies
from ..models import (
    AnswerReaders,
    CalibrationChange,
    CalibrationManager,
    CalibrationPlacement,
    CalibrationSession,
    CycleSnapshot,
    Participant,
    QuestionKind,
    ReviewAnswer,
    ReviewCycle,
    ReviewerKind,
    ReviewStatus,
)
from .writing import snapshot_questions

PEOPLE_PAGE_SIZE = 25


# Sessions ---------------------------------------------------------------------------------


def session_queryset() -> QuerySet[CalibrationSession]:
    return CalibrationSession.objects.select_related(
        "cycle", "team", "leader", "created_by", "locked_by"
    )


def session_list(*, actor: Actor) -> QuerySet[CalibrationSession]:
    """The sessions `actor` reads: all for HR and keys with reviews:read, else those they
    take part in."""
    sessions = session_queryset()
    if policies.can_view_all_reviews(actor):
        return sessions
    person = person_of(actor)
    if person is None:
        return sessions.none()
    taking_part = CalibrationManager.objects.filter(session=OuterRef("pk"), manager=person)
    return sessions.filter(Exists(taking_part))


def session_get(*, actor: Actor, session_id: Any) -> CalibrationSession:
    """A session `actor` reads; 404 otherwise (also another organization's)."""
    session = session_list(actor=actor).filter(pk=object_id(session_id)).first()
    if session is None:
        raise NotFoundError("No such calibration session.")
    return session


def session_managers(*, session: CalibrationSession) -> QuerySet[CalibrationManager]:
    return (
        CalibrationManager.objects.filter(session=session)
        .select_related("manager")
        .order_by("manager__full_name", "manager_id")
    )


def cycles_by_ids(ids: Sequence[int]) -> list[ReviewCycle]:
    """The organization's cycles among `ids` (a few, chosen for an export), oldest first."""
    return list(ReviewCycle.objects.filter(pk__in=list(ids)).order_by("period_end", "name"))


# People in a session ----------------------------------------------------------------------


def visible_placements(*, actor: Actor, session: CalibrationSession) -> QuerySet[Any]:
    """The session's placements `actor` may read (the caller checked the session)."""
    placements = CalibrationPlacement.objects.filter(session=session)
    if policies.can_view_all_reviews(actor):
        return placements
    person = person_of(actor)
    if person is None:
        return placements.none()
    below = Q(participant__manager=person) | Q(
        participant__reviewee_id__in=reports_below(manager=person)
    )
    return placements.filter(below).exclude(participant__reviewee=person)


def placement_rows(*, actor: Actor, session: CalibrationSession) -> QuerySet[Any]:
    """Visible placements with what a people list shows, by name."""
    return (
        visible_placements(actor=actor, session=session)
        .select_related("participant__reviewee__team", "participant__manager")
        .order_by("participant__reviewee__full_name", "pk")
    )


def placement_list(*, actor: Actor) -> QuerySet[Any]:
    """Every placement `actor` reads, across sessions (the API list)."""
    placements = CalibrationPlacement.objects.select_related(
        "participant__reviewee", "participant__manager", "session"
    )
    if policies.can_view_all_reviews(actor):
        return placements
    person = person_of(actor)
    if person is None:
        return placements.none()
    taking_part = CalibrationManager.objects.filter(session=OuterRef("session_id"), manager=person)
    below = Q(participant__manager=person) | Q(
        participant__reviewee_id__in=reports_below(manager=person)
    )
    return (
        placements.filter(Exists(taking_part)).filter(below).exclude(participant__reviewee=person)
    )


def placement_get_any(*, actor: Actor, placement_id: Any) -> CalibrationPlacement:
    placement = placement_list(actor=actor).filter(pk=object_id(placement_id)).first()
    if placement is None:
        raise NotFoundError("No such placement.")
    return placement


def placement_history(*, placement: CalibrationPlacement) -> QuerySet[CalibrationChange]:
    return CalibrationChange.objects.filter(placement=placement).order_by("-created_at", "-id")


def change_list(*, actor: Actor) -> QuerySet[CalibrationChange]:
    """The changes of every placement `actor` reads (the API's adjustments list)."""
    visible = placement_list(actor=actor).values("pk")
    return CalibrationChange.objects.filter(placement_id__in=visible).select_related(
        "placement", "actor"
    )


# What a session reads from the cycle's templates ------------------------------------------


@dataclass(frozen=True)
class SnapshotQuestions:
    """Per snapshot of a cycle: its overall question (the rating calibrated) and levels."""

    overall: dict[int, int]  # snapshot id -> question id
    levels: dict[int, list[Decimal]]  # snapshot id -> the overall question's level values
    potential: dict[int, list[Decimal]]  # snapshot id -> the potential question's levels


def _levels(question: dict[str, Any]) -> list[Decimal]:
    return sorted(
        Decimal(level["value"]) for level in (question.get("scale") or {}).get("levels", [])
    )


def potential_choices(*, cycle: ReviewCycle) -> list[tuple[int, str]]:
    """The manager-only rating questions of the cycle's templates, to read potential from."""
    found: dict[int, str] = {}
    for snapshot in CycleSnapshot.objects.filter(cycle=cycle).order_by("pk"):
        for _section, question in snapshot_questions(snapshot.data):
            if (
                question["kind"] == QuestionKind.RATING
                and question.get("answered_by") == [ReviewerKind.MANAGER]
                and question.get("readers") == AnswerReaders.MANAGERS
                and len(_levels(question)) >= 2
            ):
                found.setdefault(question["id"], question["prompt"])
    return list(found.items())


def snapshot_questions_of(
    *, cycle_ids: Sequence[int], potential_question_id: int | None
) -> SnapshotQuestions:
    """The overall (and potential) question of each snapshot of these cycles (few rows)."""
    overall: dict[int, int] = {}
    levels: dict[int, list[Decimal]] = {}
    potential: dict[int, list[Decimal]] = {}
    for snapshot in CycleSnapshot.objects.filter(cycle_id__in=cycle_ids).order_by("pk"):
        for _section, question in snapshot_questions(snapshot.data):
            if (
                question["kind"] == QuestionKind.OVERALL
                and snapshot.pk not in overall
                and len(_levels(question)) >= 2
                and ReviewerKind.MANAGER in question["answered_by"]
            ):
                overall[snapshot.pk] = question["id"]
                levels[snapshot.pk] = _levels(question)
            if question["id"] == potential_question_id:
                potential[snapshot.pk] = _levels(question)
    return SnapshotQuestions(overall, levels, potential)


def _answer_rating(kind: str, question: Any) -> Subquery:
    answers = ReviewAnswer.objects.filter(
        review__participant_id=OuterRef("pk"),
        review__kind=kind,
        review__superseded_at=None,
        review__status=ReviewStatus.SUBMITTED,
        question_id=question,
        item_id=0,
    ).values("rating")[:1]
    return Subquery(answers, output_field=DecimalField(max_digits=6, decimal_places=2))


def _by_snapshot(ids: dict[int, int]) -> Any:
    """The question id of each participant's snapshot (a CASE over the cycle's few snapshots)."""
    whens = [When(snapshot_id=snapshot, then=Value(question)) for snapshot, question in ids.items()]
    if not whens:
        return Value(None, output_field=IntegerField())
    return Case(*whens, default=None, output_field=IntegerField())


def rated_participants(
    *, cycle: ReviewCycle, questions: SnapshotQuestions, potential_question_id: int | None
) -> QuerySet[Any]:
    """Participants with their submitted manager and self overall ratings and potential."""
    participants = (
        Participant.objects.filter(cycle=cycle)
        .annotate(overall_question=_by_snapshot(questions.overall))
        .annotate(
            manager_rating=_answer_rating(ReviewerKind.MANAGER, OuterRef("overall_question")),
            self_rating_value=_answer_rating(ReviewerKind.SELF, OuterRef("overall_question")),
        )
    )
    if potential_question_id is not None:
        participants = participants.annotate(
            potential_rating=_answer_rating(ReviewerKind.MANAGER, potential_question_id)
        )
    else:
        participants = participants.annotate(
            potential_rating=Value(None, output_field=DecimalField(max_digits=6, decimal_places=2))
        )
    return participants


# What rewards read ------------------------------------------------------------------------


def _locked_rating() -> Subquery:
    placements = CalibrationPlacement.objects.filter(
        participant_id=OuterRef("pk"), session__locked_at__isnull=False
    ).values("rating")[:1]
    return Subquery(placements, output_field=DecimalField(max_digits=6, decimal_places=2))


def final_ratings(
    *, cycle: ReviewCycle | None = None, cycles: Sequence[ReviewCycle] = ()
) -> QuerySet[Any]:
    """The participants of the cycle (or cycles), each with `manager_rating` (the overall
    rating as submitted; after a lock, as calibrated), `original_rating` (the manager's
    rating before calibration), `calibrated_rating` (set once their session is locked) and
    `final_rating` (the calibrated one when there is one): what rewards and exports read."""
    cycle_ids = [cycle.pk] if cycle is not None else [c.pk for c in cycles]
    questions = snapshot_questions_of(cycle_ids=cycle_ids, potential_question_id=None)
    return (
        Participant.objects.filter(cycle_id__in=cycle_ids)
        .annotate(overall_question=_by_snapshot(questions.overall))
        .annotate(
            original_rating=Subquery(
                CalibrationPlacement.objects.filter(participant_id=OuterRef("pk")).values(
                    "original_rating"
                )[:1],
                output_field=DecimalField(max_digits=6, decimal_places=2),
            ),
            manager_rating=_answer_rating(ReviewerKind.MANAGER, OuterRef("overall_question")),
            calibrated_rating=_locked_rating(),
        )
        .annotate(final_rating=Coalesce("calibrated_rating", "manager_rating"))
    )


def calibrated_rating(*, participant: Participant) -> Decimal | None:
    """The participant's calibrated overall rating, once their session is locked; None
    when they were not calibrated (their manager's rating stands)."""
    return (
        CalibrationPlacement.objects.filter(
            participant=participant, session__locked_at__isnull=False
        )
        .values_list("rating", flat=True)
        .first()
    )


def calibrated_questions(*, participant: Participant) -> set[int]:
    """The overall question whose rating a locked session changed (the release page says
    so beside the rating)."""
    found = (
        CalibrationPlacement.objects.filter(
            participant=participant, session__locked_at__isnull=False
        )
        .exclude(rating=None)
        .values_list("overall_question_id", "rating", "original_rating")
        .first()
    )
    if found is None or found[0] is None or found[1] == found[2]:
        return set()
    return {found[0]}


class _SnapshotQuestion(Func):
    """The overall question of the participant's snapshot, looked up in two arrays (two
    parameters whatever the number of snapshots, where a CASE would take two each)."""

    output_field = IntegerField()

    def __init__(self, overall: dict[int, int]) -> None:
        snapshots = list(overall)
        super().__init__(
            Value([overall[snapshot] for snapshot in snapshots], output_field=_INTEGERS),
            Value(snapshots, output_field=_INTEGERS),
            F("snapshot_id"),
        )

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        parts = [compiler.compile(expression) for expression in self.get_source_expressions()]
        (questions, question_params), (snapshots, snapshot_params), (snapshot, own) = parts
        sql = f"(({questions})::integer[])[array_position(({snapshots})::integer[], {snapshot})]"
        return sql, [*question_params, *snapshot_params, *own]


_INTEGERS = ArrayField(IntegerField())


def final_and_self_ratings(
    *, cycles: QuerySet[ReviewCycle], questions: SnapshotQuestions
) -> QuerySet[Any]:
    """The participants of `cycles` (a queryset: a subquery, not a list) with
    `final_rating` (as `final_ratings` reads it: calibrated once locked, else the manager's
    submitted overall rating) and `self_rating` (their own submitted overall rating), for
    figures over many people; never a peer's or a direct report's rating."""
    overall = _SnapshotQuestion(questions.overall)
    return (
        Participant.objects.filter(cycle_id__in=cycles.values("pk"))
        .annotate(overall_question=overall)
        .annotate(
            manager_rating=_answer_rating(ReviewerKind.MANAGER, OuterRef("overall_question")),
            self_rating=_answer_rating(ReviewerKind.SELF, OuterRef("overall_question")),
            calibrated_rating=_locked_rating(),
        )
        .annotate(final_rating=Coalesce("calibrated_rating", "manager_rating"))
    )

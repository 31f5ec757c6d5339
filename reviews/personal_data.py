"""Review cycles, reviews, calibration, improvement plans and peer nominations.

Anonymity travels with the export: a review the person wrote is theirs (a peer review too);
peer and upward feedback about them is exported only as the combined results they may read
(`peer_results` read as the person), never as rows that could name an author.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from perfmgmt.privacy.registry import (
    EraseContext,
    ExportContext,
    PersonalData,
    Table,
    Texts,
    register,
)
from perfmgmt.tenancy.models import Membership

from . import policies
from .models import (
    NAMED_KINDS,
    PRIVATE_AUTHOR_KINDS,
    CalibrationChange,
    CalibrationManager,
    CalibrationSession,
    CycleSelection,
    ImprovementPlan,
    Participant,
    PeerNomination,
    PlanOutcome,
    Retrospective,
    RetrospectiveParticipation,
    Review,
    ReviewAnswer,
    ReviewCycle,
    ReviewerKind,
)
from .selectors.listing import readable_answers, readable_reviews_filter
from .selectors.peers import ItemResult, PeerResults, peer_results, visible_nominations_filter

ANSWER_COLUMNS = ("review_id", "question_id", "item_id", "rating", "not_applicable", "text")
PEER_COLUMNS = (
    "participant_id",
    "cycle",
    "group",
    "respondents",
    "question",
    "item",
    "average",
    "rated",
    "distribution",
    "texts",
)


def _reviews(context: ExportContext) -> QuerySet[Review]:
    """What the person wrote, and the named reviews (self, manager) about them."""
    person = context.person
    about = Q(participant__reviewee=person, kind__in=NAMED_KINDS)
    return Review.objects.filter(Q(author=person) | about)


def _answers(context: ExportContext) -> Iterator[tuple[Any, ...]]:
    readable = readable_reviews_filter(context.person) & readable_reviews_filter(context.requester)
    reviews = (
        _reviews(context)
        .filter(readable)
        .distinct()
        .select_related("participant__snapshot", "participant__reviewee")
        .prefetch_related(Prefetch("answers", queryset=ReviewAnswer.objects.order_by("pk")))
        .order_by("pk")
    )
    for review in reviews:
        mine = {a.pk for a in readable_answers(actor=context.person, review=review)}
        theirs = {a.pk for a in readable_answers(actor=context.requester, review=review)}
        for answer in review.answers.all():
            if answer.pk in mine & theirs:
                yield tuple(getattr(answer, column) for column in ANSWER_COLUMNS)


def _peer_rows(participant: Participant, results: PeerResults) -> Iterator[tuple[Any, ...]]:
    for group in results.groups:
        if not group.shown:
            continue
        for question in group.questions:
            # A named cycle's answers are still exported without their authors.
            texts = question.texts or [answer.text for answer in question.named if answer.text]
            items: list[ItemResult | None] = [*question.items] or [None]
            for item in items:
                distribution = (
                    {level.label: level.count for level in item.distribution} if item else {}
                )
                yield (
                    participant.pk,
                    participant.cycle.name,
                    group.label,
                    group.respondents,
                    question.question.get("prompt", ""),
                    item.label if item else "",
                    item.average if item else "",
                    item.rated if item else 0,
                    json.dumps(distribution, ensure_ascii=False),
                    json.dumps(texts, ensure_ascii=False),
                )


def _peer_results(context: ExportContext) -> Iterator[tuple[Any, ...]]:
    participants = Participant.objects.filter(reviewee=context.person).select_related(
        "cycle", "snapshot", "reviewee"
    )
    for participant in participants.order_by("pk"):
        if not policies.can_view_participant(context.requester, participant):
            continue
        yield from _peer_rows(
            participant, peer_results(actor=context.person, participant=participant)
        )


def _review_tables(context: ExportContext) -> Iterable[Table]:
    yield Table("reviews.ReviewAnswer", ANSWER_COLUMNS, list(_answers(context)))
    yield Table("reviews.PeerResults", PEER_COLUMNS, list(_peer_results(context)))


def _erase_review_texts(context: EraseContext) -> None:
    """The texts of the person's self-assessments and peer feedback; a manager review
    they wrote is their report's record, and stays."""
    if context.blank_texts:
        kinds = (ReviewerKind.SELF, *PRIVATE_AUTHOR_KINDS)
        ReviewAnswer.objects.filter(review__author=context.person, review__kind__in=kinds).update(
            text=""
        )


def _erase_calibration_labels(context: EraseContext) -> None:
    CalibrationChange.objects.filter(actor=context.person).update(actor_label=context.name)


def _plan_readable(reader: Membership) -> Q:
    readable = ImprovementPlan.objects.filter(policies.improvement_plan_readers(reader))
    return Q(plan__in=readable.values("pk"))


register(
    PersonalData(
        ReviewCycle,
        person_fields=("created_by",),
        kept="A cycle is the organization's; only who created it is recorded.",
    )
)
register(PersonalData(CycleSelection, person_fields=("membership",)))
register(
    PersonalData(
        Participant,
        person_fields=("reviewee", "manager", "released_by"),
        texts=(Texts("reviewee", ("employee_comment",)),),
    )
)
register(
    PersonalData(
        Review,
        person_fields=("author",),
        rows=_reviews,
        readable=readable_reviews_filter,
        tables=_review_tables,
        erase=_erase_review_texts,
        kept="Ratings stay in distributions; a manager review written about a report stays.",
    )
)
register(PersonalData(CalibrationSession, person_fields=("leader", "created_by", "locked_by")))
register(PersonalData(CalibrationManager, person_fields=("manager",)))
register(
    PersonalData(
        CalibrationChange,
        person_fields=("actor",),
        erase=_erase_calibration_labels,
        kept="The written reason of a calibrated rating stays: it explains someone's rating.",
    )
)
register(
    PersonalData(
        ImprovementPlan,
        person_fields=("person", "drafted_by", "approved_by"),
        readable=policies.improvement_plan_readers,
        texts=(Texts("person", ("employee_comment",)),),
        kept="The expectations and support a manager wrote stay with the plan.",
    )
)
register(PersonalData(PlanOutcome, person_fields=("recorded_by",), readable=_plan_readable))
register(
    PersonalData(
        PeerNomination,
        person_fields=("peer", "nominated_by", "decided_by"),
        readable=visible_nominations_filter,
        texts=(Texts("peer", ("decline_reason",)),),
    )
)


# Retrospectives: that a person answered is theirs; what was answered is no one's (the
# answer rows have no author), so it is neither exported with them nor erased.


def _retrospectives_answered(context: ExportContext) -> Iterable[Table]:
    cycles = (
        RetrospectiveParticipation.objects.filter(membership=context.person)
        .order_by("retrospective__cycle__name", "pk")
        .values_list("retrospective__cycle__name", flat=True)
    )
    rows = [(name, "answered the retrospective of this cycle") for name in cycles]
    yield Table("reviews.RetrospectivesAnswered", ("cycle", "what"), rows)


def _erase_retrospective_participations(context: EraseContext) -> None:
    RetrospectiveParticipation.objects.filter(membership=context.person).delete()


register(
    PersonalData(
        Retrospective,
        person_fields=("opened_by",),
        kept="A retrospective is the organization's; only who opened it by hand is recorded.",
    )
)
register(
    PersonalData(
        RetrospectiveParticipation,
        person_fields=("membership",),
        tables=_retrospectives_answered,
        erase=_erase_retrospective_participations,
        kept="The anonymous answers stay in the results: nothing links them to anyone.",
    )
)

"""Reads of peer and upward feedback: nominations, a writer's own requests, and the
combined results with the anonymity threshold applied.

The one place that turns peer and upward answers into something another person reads:
pages, the API, the export and notifications all call `peer_results` (or `group_summary`).
A group's answers are combined (ratings as a distribution and an average, texts in
alphabetical order: neither the time nor the id of anything decides an order), shown only
once at least K people of that kind answered, and never with an author, a count below K or
a timestamp. A named cycle (HR's choice before launch) shows the names as chosen.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from perfmgmt.errors import NotFoundError
from perfmgmt.ids import object_id
from perfmgmt.tenancy.policies import Actor, person_of
from perfmgmt.tenancy.selectors import reports_below

from .. import policies
from ..models import (
    PRIVATE_AUTHOR_KINDS,
    CyclePhase,
    Participant,
    PeerNomination,
    PhaseKind,
    QuestionKind,
    Review,
    ReviewAnswer,
    ReviewCycle,
    ReviewerKind,
    ReviewStatus,
)
from .writing import item_levels, plain_value, snapshot_questions

# --- Nominations ---------------------------------------------------------------------------


def _nominations() -> QuerySet[PeerNomination]:
    return PeerNomination.objects.select_related(
        "participant__cycle", "participant__reviewee__user", "participant__manager", "peer__user"
    )


def visible_nominations_filter(actor: Actor) -> Q:
    """`policies.can_view_nominations` (and the peer's own) for a whole list, in SQL."""
    if policies.can_view_all_reviews(actor):
        return Q()
    person = person_of(actor)
    if person is None:
        return Q(pk__in=[])
    return (
        Q(peer=person)
        | Q(participant__reviewee=person)
        | Q(participant__manager=person)
        | Q(participant__reviewee_id__in=reports_below(manager=person))
    )


def nomination_list(
    *, actor: Actor, cycle_id: int | None = None, participant_id: int | None = None
) -> QuerySet[PeerNomination]:
    """The nominations `actor` may read, by id (who was asked, never who answered)."""
    nominations = _nominations().filter(visible_nominations_filter(actor))
    if cycle_id is not None:
        nominations = nominations.filter(participant__cycle_id=cycle_id)
    if participant_id is not None:
        nominations = nominations.filter(participant_id=participant_id)
    return nominations.order_by("pk")


def nomination_get(*, actor: Actor, nomination_id: object) -> PeerNomination:
    nomination = nomination_list(actor=actor).filter(pk=object_id(nomination_id)).first()
    if nomination is None:
        raise NotFoundError("No such nomination.")
    return nomination


def nominations_of(participant: Participant) -> list[PeerNomination]:
    """One participant's nominations, by the peer's name."""
    return list(
        _nominations()
        .filter(participant=participant)
        .order_by("peer__full_name", "peer__user__email", "pk")
    )


def peer_participant_get(*, actor: Actor, participant_id: object) -> Participant:
    """A participant whose nominations `actor` may see; 404 otherwise."""
    participant = (
        Participant.objects.select_related(
            "cycle", "snapshot", "reviewee__user", "manager__user", "organization"
        )
        .prefetch_related("cycle__phases")
        .filter(pk=object_id(participant_id))
        .first()
    )
    if participant is None or not policies.can_view_nominations(actor, participant):
        raise NotFoundError("No such participant.")
    return participant


def peer_phase(cycle: ReviewCycle) -> CyclePhase | None:
    """The cycle's peer phase (from prefetched phases when there are)."""
    return next((phase for phase in cycle.phases.all() if phase.kind == PhaseKind.PEER), None)


# --- A writer's own requests ---------------------------------------------------------------


def peer_requests(*, actor: Actor) -> QuerySet[Review]:
    """The peer and upward reviews `actor` writes (theirs alone), newest cycle first."""
    person = person_of(actor)
    if person is None:
        return Review.objects.none()
    return (
        Review.objects.filter(author=person, kind__in=PRIVATE_AUTHOR_KINDS, superseded_at=None)
        .select_related("participant__cycle", "participant__reviewee__user")
        .prefetch_related("participant__cycle__phases")
        .order_by("pk")
    )


def nomination_for_review(review: Review) -> PeerNomination | None:
    """The nomination behind a peer review (to decline it), for its author."""
    if review.kind != ReviewerKind.PEER:
        return None
    return PeerNomination.objects.filter(
        participant_id=review.participant_id, peer_id=review.author_id
    ).first()


# --- Combined results ----------------------------------------------------------------------

GROUP_LABELS: dict[str, Any] = {
    ReviewerKind.PEER: ReviewerKind.PEER.label,
    ReviewerKind.UPWARD: ReviewerKind.UPWARD.label,
}


@dataclass
class LevelCount:
    label: str
    value: str
    count: int
    percent: int


@dataclass
class ItemResult:
    label: str
    distribution: list[LevelCount]
    average: str  # "" when nobody rated it
    rated: int


@dataclass
class NamedAnswer:
    author: str
    rating: str
    text: str


@dataclass
class QuestionResult:
    question: dict[str, Any]
    items: list[ItemResult]
    texts: list[str]  # alphabetical, no author
    named: list[NamedAnswer] = field(default_factory=list)  # named cycles only


@dataclass
class GroupResult:
    kind: str
    label: str
    shown: bool
    respondents: int | None  # None unless shown: a count below K tells too much
    questions: list[QuestionResult]


@dataclass
class PeerResults:
    participant: Participant
    readable: bool
    anonymous: bool
    threshold: int
    groups: list[GroupResult]
    closes_at: datetime | None


def group_kinds(cycle: ReviewCycle) -> list[str]:
    """The groups a cycle has: peers when it has a peer phase, reports when upward too."""
    if peer_phase(cycle) is None:
        return []
    kinds: list[str] = [ReviewerKind.PEER.value]
    return kinds + ([ReviewerKind.UPWARD.value] if cycle.upward_reviews else [])


def _submitted(participant: Participant) -> list[Review]:
    return list(
        Review.objects.filter(
            participant=participant,
            kind__in=PRIVATE_AUTHOR_KINDS,
            superseded_at=None,
            status=ReviewStatus.SUBMITTED,
        )
        .select_related("author")
        .prefetch_related(Prefetch("answers", queryset=ReviewAnswer.objects.order_by()))
    )


def _average(ratings: list[Decimal]) -> str:
    if not ratings:
        return ""
    mean = sum(ratings, Decimal(0)) / len(ratings)
    return plain_value(mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _item_result(question: dict, item: int, answers: list[ReviewAnswer]) -> ItemResult:
    competency = next((c for c in question.get("competencies", []) if c["id"] == item), None)
    levels = item_levels(question, competency)
    ratings = [a.rating for a in answers if a.rating is not None and not a.not_applicable]
    counts = Counter(plain_value(rating) for rating in ratings)
    total = len(ratings) or 1
    distribution = [
        LevelCount(
            level["label"],
            level["value"],
            counts[level["value"]],
            round(100 * counts[level["value"]] / total),
        )
        for level in levels
    ]
    label = (competency or {}).get("name", "")
    return ItemResult(label, distribution, _average(ratings), len(ratings))


def _rating_label(question: dict, answer: ReviewAnswer) -> str:
    for level in item_levels(question, None):
        if answer.rating is not None and Decimal(level["value"]) == answer.rating:
            return f"{level['value']} · {level['label']}"
    return plain_value(answer.rating) if answer.rating is not None else ""


def _question_result(question: dict, reviews: list[Review], anonymous: bool) -> QuestionResult:
    answers = [
        (review, answer)
        for review in reviews
        for answer in review.answers.all()
        if answer.question_id == question["id"]
    ]
    items: list[ItemResult] = []
    if question["kind"] != QuestionKind.TEXT:
        item_ids = sorted({answer.item_id for _r, answer in answers}) or [0]
        for item in item_ids:
            items.append(
                _item_result(question, item, [a for _r, a in answers if a.item_id == item])
            )
    texts = sorted((a.text.strip() for _r, a in answers if a.text.strip()), key=str.casefold)
    named = []
    if not anonymous:
        named = sorted(
            (
                NamedAnswer(review.author.display_name, _rating_label(question, a), a.text)
                for review, a in answers
            ),
            key=lambda answer: answer.author.casefold(),
        )
        texts = []
    return QuestionResult(question, items, texts, named)


def _group(actor: Actor, participant: Participant, kind: str, reviews: list[Review]) -> GroupResult:
    cycle = participant.cycle
    mine = [review for review in reviews if review.kind == kind]
    label = str(GROUP_LABELS[kind])
    shown = policies.group_shown(
        respondents=len(mine), threshold=cycle.anonymity_threshold, anonymous=cycle.peers_anonymous
    )
    if not shown:
        return GroupResult(kind, label, False, None, [])
    questions = [
        question
        for question in policies.readable_questions(
            actor, participant, [q for _s, q in snapshot_questions(participant.snapshot.data)]
        )
        if kind in question.get("answered_by", [])
    ]
    results = [_question_result(q, mine, cycle.peers_anonymous) for q in questions]
    return GroupResult(kind, label, True, len(mine), results)


def peer_results(
    *, actor: Actor, participant: Participant, now: datetime | None = None
) -> PeerResults:
    """What `actor` (who may see the participant) reads of their peer and upward feedback:
    nothing before the peer phase has closed (nor, for the reviewee, before release), then
    each group combined, or "not enough responses" below the threshold. Two queries."""
    now = now or timezone.now()
    cycle = participant.cycle
    phase = peer_phase(cycle)
    closed = phase is not None and now >= phase.closes_at
    readable = policies.peer_results_readable(actor, participant, peer_closed=closed)
    groups: list[GroupResult] = []
    if readable:
        reviews = _submitted(participant)
        groups = [_group(actor, participant, kind, reviews) for kind in group_kinds(cycle)]
    return PeerResults(
        participant=participant,
        readable=readable,
        anonymous=cycle.peers_anonymous,
        threshold=cycle.anonymity_threshold,
        groups=groups,
        closes_at=phase.closes_at if phase else None,
    )


def group_summary(
    *, actor: Actor, participant: Participant, reviews: list[Review], kind: str, closed: bool
) -> str:
    """One cell of the export for one group, from the participant's prefetched open
    reviews: empty when the reader may not read it yet, "not enough responses" below K,
    else how many answered."""
    if not closed or not policies.peer_results_readable(actor, participant, peer_closed=True):
        return ""
    cycle = participant.cycle
    count = sum(
        1
        for review in reviews
        if review.kind == kind and review.is_submitted and review.superseded_at is None
    )
    if not policies.group_shown(
        respondents=count, threshold=cycle.anonymity_threshold, anonymous=cycle.peers_anonymous
    ):
        return not_enough_label()
    return str(count)


def not_enough_label() -> str:
    return _("Not enough responses")


# --- The person's peer feedback page ---------------------------------------------------

INBOX_LIMIT = 50


@dataclass(frozen=True)
class PeerInbox:
    own: list[Participant]  # the person's running cycles that have peer feedback
    to_decide: list[PeerNomination]  # nominations waiting for them (their reports'), bounded
    more_to_decide: bool


def peer_inbox(*, actor: Actor) -> PeerInbox:
    """What the person does about peer feedback: nominate their own peers, decide their
    reports' nominations (at most INBOX_LIMIT shown). Three queries."""
    person = person_of(actor)
    if person is None:
        return PeerInbox([], [], False)
    own = list(
        Participant.objects.filter(
            reviewee=person,
            cycle__status="active",
            cycle__phases__kind=PhaseKind.PEER,
        )
        .select_related("cycle")
        .order_by("-cycle__period_end", "pk")[:INBOX_LIMIT]
    )
    waiting = list(
        _nominations()
        .filter(participant__manager=person, status="nominated")
        .order_by("participant__reviewee__full_name", "peer__full_name", "pk")[: INBOX_LIMIT + 1]
    )
    return PeerInbox(own, waiting[:INBOX_LIMIT], len(waiting) > INBOX_LIMIT)


def requests_with_nominations(*, actor: Actor) -> list[tuple[Review, PeerNomination | None]]:
    """The person's own feedback requests, each with the nomination behind it (to decline
    a peer request): two queries."""
    reviews = list(peer_requests(actor=actor)[:INBOX_LIMIT])
    person = person_of(actor)
    nominations = {
        nomination.participant_id: nomination
        for nomination in PeerNomination.objects.filter(
            peer=person, participant__in=[review.participant_id for review in reviews]
        )
    }
    return [
        (review, nominations.get(review.participant_id) if review.kind == "peer" else None)
        for review in reviews
    ]

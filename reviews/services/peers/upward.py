"""Upward feedback: each participant's direct reports who take part in the same cycle are
asked to review them (the cycle's own participant rules decide who that is). At launch for
everyone; for a person added late, the same rule for the pairs they belong to: their
reports taking part review them, and they review their own manager if that one takes part.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from perfmgmt.tenancy.models import MembershipStatus

from ...models import CyclePhase, Participant, PhaseKind, Review, ReviewCycle, ReviewerKind

BATCH = 1000


def _peer_phase(cycle: ReviewCycle) -> CyclePhase | None:
    if not cycle.upward_reviews:
        return None
    return CyclePhase.objects.filter(cycle=cycle, kind=PhaseKind.PEER).first()


def _pairs(cycle: ReviewCycle, among: Q) -> QuerySet[Participant, tuple[int, int]]:
    """(participant reviewed, author) for every report taking part under a manager who
    takes part, narrowed by `among` (on the report's participant)."""
    manager_participant = Participant.objects.filter(
        cycle=cycle, reviewee_id=OuterRef("manager_id")
    ).values("pk")[:1]
    return (
        Participant.objects.filter(
            cycle=cycle, manager__isnull=False, reviewee__status=MembershipStatus.ACTIVE
        )
        .filter(among)
        .annotate(about=Subquery(manager_participant))
        .filter(about__isnull=False)
        .values_list("about", "reviewee_id")
        .order_by("pk")
    )


def _create(cycle: ReviewCycle, pairs: QuerySet[Participant, tuple[int, int]]) -> int:
    """Create the pairs' upward reviews in batches; existing ones are left (the unique
    open review per participant, kind and author decides)."""
    created = 0
    batch: list[Review] = []
    for about, author in pairs.iterator(chunk_size=BATCH):
        batch.append(
            Review(
                organization_id=cycle.organization_id,
                participant_id=about,
                kind=ReviewerKind.UPWARD,
                author_id=author,
            )
        )
        if len(batch) == BATCH:
            created += len(Review.objects.bulk_create(batch, ignore_conflicts=True))
            batch = []
    if batch:
        created += len(Review.objects.bulk_create(batch, ignore_conflicts=True))
    return created


def upward_reviews_assign(*, cycle: ReviewCycle) -> int:
    """Create the missing upward reviews of the cycle; running it again creates none twice.
    Reads the pairs in batches so memory does not grow with the organization."""
    if _peer_phase(cycle) is None:
        return 0
    return _create(cycle, _pairs(cycle, Q()))


def upward_reviews_assign_late(*, participant: Participant, now: datetime | None = None) -> int:
    """The upward reviews a late joiner belongs to: by their direct reports taking part
    (whose participant names them as manager) about them, and by them about their own
    manager if that manager takes part. Nothing once the peer phase has closed: the
    answers are final then, and a request nobody can answer would only count as missing.
    Idempotent like the launch's assignment."""
    cycle = participant.cycle
    phase = _peer_phase(cycle)
    if phase is None or (now or timezone.now()) >= phase.closes_at:
        return 0
    among = Q(manager_id=participant.reviewee_id) | Q(pk=participant.pk)
    return _create(cycle, _pairs(cycle, among))

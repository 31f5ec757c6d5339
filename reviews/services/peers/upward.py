"""Upward feedback: at launch, each participant's direct reports who take part in the same
cycle are asked to review them (the cycle's own participant rules decide who that is)."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from perfmgmt.tenancy.models import MembershipStatus

from ...models import CyclePhase, Participant, PhaseKind, Review, ReviewCycle, ReviewerKind

BATCH = 1000


def upward_reviews_assign(*, cycle: ReviewCycle) -> int:
    """Create the missing upward reviews of the cycle; running it again creates none twice.
    Reads the pairs in batches so memory does not grow with the organization."""
    if (
        not cycle.upward_reviews
        or not CyclePhase.objects.filter(cycle=cycle, kind=PhaseKind.PEER).exists()
    ):
        return 0
    manager_participant = Participant.objects.filter(
        cycle=cycle, reviewee_id=OuterRef("manager_id")
    ).values("pk")[:1]
    pairs = (
        Participant.objects.filter(
            cycle=cycle, manager__isnull=False, reviewee__status=MembershipStatus.ACTIVE
        )
        .annotate(about=Subquery(manager_participant))
        .filter(about__isnull=False)
        .values_list("about", "reviewee_id")
        .order_by("pk")
    )
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

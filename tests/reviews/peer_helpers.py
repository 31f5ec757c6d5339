"""Cycles with a peer phase, peers approved and answers submitted, for the peer tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from reviews.models import (
    NominationStatus,
    Participant,
    PeerNomination,
    PhaseKind,
    QuestionKind,
    Review,
    ReviewAnswer,
    ReviewCycle,
    ReviewerKind,
    ReviewStatus,
    ReviewTemplate,
)
from reviews.services.setup import (
    review_template_create,
    template_question_create,
    template_section_create,
)
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory
from tests.reviews.factories import make_scale, running_cycle

DAY = timedelta(days=1)
RATING, TEXT = "How well do they work with others?", "What should they keep doing?"


def peer_template(org: OrgPeople, name: str = "Peer template") -> ReviewTemplate:
    scale = make_scale(org, name=f"{name} scale")
    every = [ReviewerKind.SELF, ReviewerKind.MANAGER, ReviewerKind.PEER, ReviewerKind.UPWARD]
    with organization_scope(org.organization):
        template = review_template_create(actor=org.hr, name=name)
        section = template_section_create(actor=org.hr, template=template, title="Together")
        template_question_create(
            actor=org.hr,
            section=section,
            kind=QuestionKind.RATING,
            prompt=RATING,
            answered_by=every,
            scale=scale,
        )
        template_question_create(
            actor=org.hr,
            section=section,
            kind=QuestionKind.TEXT,
            prompt=TEXT,
            answered_by=every,
            required=False,
        )
    return template


def open_peer_phases(now: datetime | None = None) -> dict[str, tuple[datetime, datetime]]:
    now = now or timezone.now()
    return {
        PhaseKind.SELF: (now - DAY, now + 13 * DAY),
        PhaseKind.PEER: (now - DAY, now + 14 * DAY),
        PhaseKind.MANAGER: (now, now + 28 * DAY),
        PhaseKind.RELEASE: (now + 28 * DAY, now + 35 * DAY),
    }


def closed_peer_phases(now: datetime | None = None) -> dict[str, tuple[datetime, datetime]]:
    now = now or timezone.now()
    return {
        PhaseKind.SELF: (now - 40 * DAY, now - 20 * DAY),
        PhaseKind.PEER: (now - 30 * DAY, now - 10 * DAY),
        PhaseKind.MANAGER: (now - 30 * DAY, now - 2 * DAY),
        PhaseKind.RELEASE: (now - DAY, now + 10 * DAY),
        PhaseKind.ACKNOWLEDGEMENT: (now - DAY, now + 20 * DAY),
    }


def peer_cycle(
    org: OrgPeople,
    people: Sequence[Membership],
    *,
    phases: dict[str, tuple[datetime, datetime]] | None = None,
    anonymous: bool = True,
    threshold: int = 3,
    upward: bool = False,
    minimum: int = 2,
    maximum: int = 5,
    name: str = "2026 peers",
) -> ReviewCycle:
    template = peer_template(org, name=f"{name} template")
    cycle = running_cycle(
        org, people, template=template, name=name, phases=phases or open_peer_phases()
    )
    with organization_scope(org.organization):
        ReviewCycle.objects.filter(pk=cycle.pk).update(
            peers_anonymous=anonymous,
            anonymity_threshold=threshold,
            upward_reviews=upward,
            peer_minimum=minimum,
            peer_maximum=maximum,
        )
        cycle.refresh_from_db()
    return cycle


def new_peers(org: OrgPeople, count: int, prefix: str = "Peer") -> list[Membership]:
    peers = []
    for number in range(count):
        peer = MembershipFactory.create(organization=org.organization, manager=org.owner)
        peer.user.full_name = peer.full_name = f"{prefix} Zed{number}x"
        peer.user.save()
        peer.save()
        peers.append(peer)
    return peers


def approve_peers(participant: Participant, peers: Sequence[Membership]) -> list[Review]:
    """Approved nominations with their open peer reviews (directly, as the services would)."""
    reviews = []
    for peer in peers:
        PeerNomination.objects.create(
            participant=participant, peer=peer, status=NominationStatus.APPROVED
        )
        reviews.append(
            Review.objects.create(participant=participant, kind=ReviewerKind.PEER, author=peer)
        )
    return reviews


def answer(review: Review, rating: int, text: str, when: datetime | None = None) -> None:
    """Answer both peer questions and submit, at `when`."""
    questions = {
        q["prompt"]: q["id"]
        for s in review.participant.snapshot.data["sections"]
        for q in s["questions"]
    }
    ReviewAnswer.objects.create(
        review=review, question_id=questions[RATING], rating=Decimal(rating)
    )
    ReviewAnswer.objects.create(review=review, question_id=questions[TEXT], text=text)
    review.status = ReviewStatus.SUBMITTED
    review.submitted_at = when or timezone.now()
    review.save()

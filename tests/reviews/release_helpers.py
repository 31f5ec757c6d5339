"""Cycles in the release phase, with written reviews, for the release and progress tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from reviews.models import (
    Participant,
    PhaseKind,
    Review,
    ReviewAnswer,
    ReviewCycle,
    ReviewerKind,
    ReviewStatus,
)
from tests.conftest import OrgPeople
from tests.reviews.factories import running_cycle

DAY = timedelta(days=1)


def release_phases(now: datetime | None = None) -> dict[str, tuple[datetime, datetime]]:
    """Self and manager phases over, release and acknowledgement open at `now`."""
    now = now or timezone.now()
    return {
        PhaseKind.SELF: (now - 40 * DAY, now - 20 * DAY),
        PhaseKind.MANAGER: (now - 30 * DAY, now - 2 * DAY),
        PhaseKind.RELEASE: (now - DAY, now + 10 * DAY),
        PhaseKind.ACKNOWLEDGEMENT: (now - DAY, now + 20 * DAY),
    }


def questions(participant: Participant) -> dict[str, dict]:
    """The snapshot's questions by prompt."""
    return {
        question["prompt"]: question
        for section in participant.snapshot.data["sections"]
        for question in section["questions"]
    }


def submit(review: Review, ratings: dict[str, str], texts: dict[str, str] | None = None) -> None:
    """Write answers (by prompt) and submit the review directly, as the writing pages would."""
    by_prompt = questions(review.participant)
    for prompt, value in ratings.items():
        ReviewAnswer.objects.create(
            review=review, question_id=by_prompt[prompt]["id"], rating=Decimal(value)
        )
    for prompt, text in (texts or {}).items():
        ReviewAnswer.objects.create(review=review, question_id=by_prompt[prompt]["id"], text=text)
    review.status = ReviewStatus.SUBMITTED
    review.submitted_at = timezone.now()
    review.save()


def written_cycle(
    org: OrgPeople, people: Sequence[Membership], *, phases=None, name: str = "2026 annual"
) -> ReviewCycle:
    """A cycle in its release phase whose people's self and manager reviews are submitted."""
    cycle = running_cycle(org, people, phases=phases or release_phases(), name=name)
    with organization_scope(org.organization):
        for participant in cycle.participants.all():
            for review in participant.reviews.all():
                ratings = {"How did the period go overall?": "4"}
                texts = {"What will you learn next?": f"{review.kind} plans"}
                if review.kind == ReviewerKind.MANAGER:
                    ratings["Potential"] = "5"
                submit(review, ratings, texts)
    return cycle

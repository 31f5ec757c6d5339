"""The demo organization gets a review cycle in progress, once; the other one none."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Organization
from reviews.models import Participant, Review, ReviewCycle, ReviewStatus

pytestmark = pytest.mark.django_db


def test_seeding_twice_gives_one_cycle_with_submitted_released_and_acknowledged_reviews(
    capsys,
) -> None:
    call_command("seed_demo")
    call_command("seed_demo")
    demo = Organization.objects.get(slug="demo")
    with organization_scope(demo):
        cycle = ReviewCycle.objects.get(name="2026 annual review")
        assert cycle.participants.count() == 6
        submitted = Review.objects.filter(
            participant__cycle=cycle, kind="self", status=ReviewStatus.SUBMITTED
        )
        assert submitted.count() == 4
        released = Participant.objects.get(cycle=cycle, released_at__isnull=False)
        assert released.acknowledged_at is not None
        assert released.reviewee.full_name == "Aisha Khan"
    with organization_scope(Organization.objects.get(slug="globex")):
        assert not ReviewCycle.objects.exists()

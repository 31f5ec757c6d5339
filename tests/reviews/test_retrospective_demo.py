"""The demo has a closed cycle whose retrospective shows results."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Organization
from reviews.models import CycleStatus, Retrospective, RetrospectiveAnswer
from reviews.retrospective_demo import CYCLE_NAME
from reviews.selectors.retrospectives import retrospective_results

pytestmark = pytest.mark.django_db


def test_seeding_twice_gives_one_closed_cycle_with_a_retrospective_that_shows_results(
    capsys,
) -> None:
    call_command("seed_demo")
    call_command("seed_demo")
    demo = Organization.objects.get(slug="demo")
    with organization_scope(demo):
        retrospective = Retrospective.objects.select_related("cycle").get()
        assert retrospective.cycle.name == CYCLE_NAME
        assert retrospective.cycle.status == CycleStatus.CLOSED
        assert RetrospectiveAnswer.objects.count() == 4
        results = retrospective_results(retrospective)
    assert results.shown
    assert results.answered == 4
    assert results.invited > results.answered
    assert len(results.comments) == 3

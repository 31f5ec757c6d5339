"""The demo has a calibration session to open: both teams, a target, one adjustment."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Organization
from reviews.models import CalibrationChange, CalibrationSession

pytestmark = pytest.mark.django_db


def test_seeding_twice_gives_one_calibration_session_with_a_target_and_an_adjustment(
    capsys,
) -> None:
    call_command("seed_demo")
    call_command("seed_demo")
    demo = Organization.objects.get(slug="demo")
    with organization_scope(demo):
        session = CalibrationSession.objects.get()
        assert session.placements.count() == 6
        assert session.manager_links.count() == 2
        assert sum(session.target_distribution.values()) == 100
        assert session.placements.filter(potential__isnull=False).count() == 6
        change = CalibrationChange.objects.get()
        assert change.placement.participant.reviewee.full_name == "Priya Raman"
        assert (change.rating_before, change.rating_after) == (5, 4)
    with organization_scope(Organization.objects.get(slug="globex")):
        assert not CalibrationSession.objects.exists()

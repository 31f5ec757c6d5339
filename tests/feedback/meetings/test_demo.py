"""The demo 1:1s: a held and an upcoming meeting, and seeding twice adds nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from feedback.meetings.models import ActionItem, Meeting, PrivateNote, TalkingPoint
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Organization

pytestmark = pytest.mark.django_db


def counts(organization: Organization) -> tuple[int, ...]:
    with organization_scope(organization):
        return tuple(
            model.objects.count() for model in (Meeting, TalkingPoint, ActionItem, PrivateNote)
        )


def test_the_demo_has_a_held_and_an_upcoming_one_on_one_and_seeding_again_adds_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("seed_demo")
    demo = Organization.objects.get(slug="demo")
    first = counts(demo)
    with organization_scope(demo):
        statuses = sorted(Meeting.objects.values_list("status", flat=True))
        upcoming = Meeting.objects.get(status="upcoming")
        carried = upcoming.talking_points.filter(carried_from__isnull=False)
        assert [point.text for point in carried] == ["Conference budget for next year"]
    assert statuses == ["done", "upcoming"]

    call_command("seed_demo")
    assert counts(demo) == first
    capsys.readouterr()

"""The demo check-ins, feedback and coaching record; seeding twice adds nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from feedback.models import (
    CheckIn,
    CheckInCadence,
    CoachingRecord,
    Feedback,
    FeedbackAsk,
    FeedbackRequest,
)
from perfmgmt.notifications.models import Notification
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Organization

pytestmark = pytest.mark.django_db

MODELS = (CheckIn, Feedback, FeedbackRequest, FeedbackAsk, CoachingRecord, Notification)


def counts(organization: Organization) -> tuple[int, ...]:
    with organization_scope(organization):
        return tuple(model.objects.count() for model in MODELS)


def test_the_demo_has_check_ins_feedback_and_coaching_and_seeding_again_adds_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("seed_demo")
    demo = Organization.objects.get(slug="demo")
    first = counts(demo)
    with organization_scope(demo):
        assert CheckInCadence.objects.get().frequency == "weekly"
        statuses = sorted(CheckIn.objects.values_list("status", flat=True))
        assert statuses == ["reviewed", "reviewed", "submitted"]
        assert Feedback.objects.count() == 1
        assert FeedbackAsk.objects.filter(status="pending").count() == 2
        record = CoachingRecord.objects.get()
        assert record.follow_up_on is not None
    call_command("seed_demo")
    assert counts(demo) == first
    globex = Organization.objects.get(slug="globex")
    with organization_scope(globex):
        assert not CheckIn.objects.exists()
    capsys.readouterr()

"""The demo values and praise; seeding twice adds nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from perfmgmt.notifications.models import Notification
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Organization
from rewards.models import CompanyValue, Praise, PraiseRecipient

pytestmark = pytest.mark.django_db


def counts(organization: Organization) -> tuple[int, ...]:
    with organization_scope(organization):
        told = Notification.objects.filter(kind="praise-received")
        return (CompanyValue.objects.count(), Praise.objects.count(), told.count())


def test_the_demo_has_values_and_praise_and_seeding_again_adds_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("seed_demo")
    demo = Organization.objects.get(slug="demo")
    first = counts(demo)
    with organization_scope(demo):
        assert PraiseRecipient.objects.count() == first[2]
        assert all(praise.value is not None for praise in Praise.objects.all())
    assert first[0] == 3
    assert first[1] == 2
    call_command("seed_demo")
    assert counts(demo) == first
    with organization_scope(Organization.objects.get(slug="globex")):
        assert not Praise.objects.exists()
    capsys.readouterr()

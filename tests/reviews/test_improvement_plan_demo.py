"""The demo organization gets one approved improvement plan (Lukas's), once; the other
demo organization none."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Organization
from reviews.models import ImprovementPlan, PlanStatus

pytestmark = pytest.mark.django_db


def test_seeding_twice_gives_one_approved_plan_with_review_dates(capsys) -> None:
    call_command("seed_demo")
    call_command("seed_demo")
    with organization_scope(Organization.objects.get(slug="demo")):
        plan = ImprovementPlan.objects.select_related("person", "drafted_by").get()
        assert plan.person.full_name == "Lukas Wolf"
        assert plan.drafted_by is not None
        assert plan.drafted_by.full_name == "Sofia Russo"
        assert plan.status == PlanStatus.APPROVED
        assert plan.review_dates.count() == 2
        assert plan.expectations.count() == 2
    with organization_scope(Organization.objects.get(slug="globex")):
        assert not ImprovementPlan.objects.exists()

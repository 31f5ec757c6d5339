"""The demo seed builds a framework and an agreed plan, and running it again adds nothing."""

from __future__ import annotations

import pytest

from goals.development.demo import seed_development
from goals.development.models import (
    Competency,
    CompetencyLevel,
    DevelopmentAction,
    DevelopmentObjective,
    DevelopmentPlan,
    PlanStatus,
)
from perfmgmt.tenancy.context import organization_scope
from tests.conftest import OrgPeople

pytestmark = pytest.mark.django_db


def test_the_demo_seed_is_idempotent(org: OrgPeople) -> None:
    people = {
        "hr": org.hr,
        "employee": org.report,
        "manager": org.manager,
        "director": org.owner,
    }
    with organization_scope(org.organization):
        seed_development(organization=org.organization, people=people)
        counts = [
            model.objects.count()
            for model in (Competency, CompetencyLevel, DevelopmentPlan, DevelopmentObjective)
        ] + [DevelopmentAction.objects.count()]
        seed_development(organization=org.organization, people=people)
        again = [
            model.objects.count()
            for model in (Competency, CompetencyLevel, DevelopmentPlan, DevelopmentObjective)
        ] + [DevelopmentAction.objects.count()]
        plan = DevelopmentPlan.objects.get()
    assert counts == again == [4, 12, 1, 2, 3]
    assert (plan.person, plan.status, plan.agreed_by) == (
        org.report,
        PlanStatus.AGREED,
        org.manager,
    )

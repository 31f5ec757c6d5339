"""Migration goals 0004 recomputes the progress cached by the old rule with the new one."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from goals.models import Goal, GoalType, OwnerKind
from perfmgmt.tenancy.context import organization_scope
from tests.conftest import OrgPeople

from .factories import agree_goal, create_goal, create_roll_up_goal, post_update

pytestmark = pytest.mark.django_db

migration = importlib.import_module("goals.migrations.0004_progress_by_one_rule")


def test_the_migration_gives_every_goal_the_figure_the_services_compute(
    org: OrgPeople,
) -> None:
    measured = create_goal(
        org.manager, owner_kind=OwnerKind.TEAM, owner_team=org.report.team, title="Incidents",
        start_value=Decimal("20"), target_value=Decimal("5"),
    )  # fmt: skip
    post_update(org.manager, measured, value=Decimal("10"))
    company = create_roll_up_goal(org.hr, owner_kind=OwnerKind.ORGANIZATION)
    counted = agree_goal(org.manager, create_goal(org.report, parent=company))
    post_update(org.report, counted, value=Decimal("30"))
    create_goal(org.report2, parent=company, title="A proposal")
    done_below = agree_goal(org.manager, create_goal(org.report, parent=measured))
    post_update(org.report, done_below, value=Decimal("100"))
    guide = create_goal(org.report, goal_type=GoalType.QUALITATIVE, milestones=["A", "B"])
    with organization_scope(org.organization):
        expected = dict(Goal.objects.values_list("pk", "progress"))
        Goal.objects.update(progress=Decimal("0.9"))  # what the old rule cached, say
        migration.recompute(apps, None)
        assert dict(Goal.objects.values_list("pk", "progress")) == expected
    assert expected[measured.pk] == Decimal("0.6667")
    assert expected[company.pk] == Decimal("0.3")
    assert expected[guide.pk] == Decimal("0")

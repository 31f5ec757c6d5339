"""Development plan objects for tests/test_isolation.py.

Each object is one the organization's owner (the caller the isolation test signs in as) may
see and change: the plan of a new person reporting to the owner, so the own-organization
control request finds it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import models

from goals.development import services
from goals.development.models import (
    Competency,
    CompetencyCategory,
    DevelopmentAction,
    DevelopmentObjective,
    DevelopmentPlan,
)
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory


def make_isolation_plan(people: OrgPeople) -> DevelopmentPlan:
    person: Membership = MembershipFactory.create(
        organization=people.organization, manager=people.owner
    )
    with organization_scope(people.organization):
        return services.plan_create(
            actor=person,
            person=person,
            period="2026",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
        )


def make_isolation_action(people: OrgPeople) -> DevelopmentAction:
    plan = make_isolation_plan(people)
    with organization_scope(people.organization):
        return services.action_create(actor=plan.person, plan=plan, kind="reading", title="A book")


def make_isolation_objective(people: OrgPeople) -> DevelopmentObjective:
    plan = make_isolation_plan(people)
    with organization_scope(people.organization):
        return services.objective_add(actor=plan.person, plan=plan, title="Learn to listen")


def make_isolation_category(people: OrgPeople) -> CompetencyCategory:
    with organization_scope(people.organization):
        number = CompetencyCategory.objects.count()
        return services.competency_category_create(actor=people.hr, name=f"Category {number}")


def make_isolation_competency(people: OrgPeople) -> Competency:
    category = make_isolation_category(people)
    with organization_scope(people.organization):
        return services.competency_create(
            actor=people.hr,
            category=category,
            name=f"Competency of {category.name}",
            levels=[("Aware", "Explains the basics.")],
        )


DEVELOPMENT_OBJECT_KWARGS: dict[str, type[models.Model]] = {
    "plan_id": DevelopmentPlan,
    "action_id": DevelopmentAction,
    "objective_id": DevelopmentObjective,
    "competency_id": Competency,
    "category_id": CompetencyCategory,
}

DEVELOPMENT_MAKERS: dict[type[models.Model], Callable[[OrgPeople], models.Model]] = {
    DevelopmentPlan: make_isolation_plan,
    DevelopmentAction: make_isolation_action,
    DevelopmentObjective: make_isolation_objective,
    Competency: make_isolation_competency,
    CompetencyCategory: make_isolation_category,
}

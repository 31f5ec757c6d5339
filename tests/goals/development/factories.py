"""Development plan test data, made through the services (so every rule applies)."""

from __future__ import annotations

from datetime import date

from goals.development import services
from goals.development.models import Competency, CompetencyCategory, DevelopmentPlan
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople

LEVELS = (
    ("Aware", "Explains the basics when asked."),
    ("Practising", "Applies it in their own work without help."),
    ("Leading", "Coaches others and sets the standard for the team."),
)


def make_competency(
    people: OrgPeople, name: str = "Communication", category: str = "Core"
) -> Competency:
    with organization_scope(people.organization):
        found = CompetencyCategory.objects.filter(name=category).first()
        if found is None:
            found = services.competency_category_create(actor=people.hr, name=category)
        return services.competency_create(actor=people.hr, category=found, name=name, levels=LEVELS)


def make_plan(
    people: OrgPeople, person: Membership | None = None, period: str = "2026"
) -> DevelopmentPlan:
    person = person or people.report
    with organization_scope(people.organization):
        return services.plan_create(
            actor=person,
            person=person,
            period=period,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            aspiration="Grow into a tech lead.",
        )

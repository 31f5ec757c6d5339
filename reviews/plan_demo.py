"""The demo's improvement plan (called from reviews/demo.py): Lukas's plan, drafted by his
manager Sofia, approved by HR, with a review date soon, so the plan page, its PDF, the 1:1
agenda item and the reminder have something to show. Drafted through the services;
created once (found again by its person)."""

from __future__ import annotations

from datetime import timedelta

from perfmgmt.notifications.sweep import local_now
from perfmgmt.tenancy.models import Membership

from .models import ImprovementPlan
from .services.improvement_plans.common import ExpectationInput, PlanInput
from .services.improvement_plans.decisions import improvement_plan_approve
from .services.improvement_plans.drafting import improvement_plan_create, improvement_plan_submit

PERSON, DRAFTER = "lukas", "manager2"


def seed_improvement_plan(*, people: dict[str, Membership]) -> ImprovementPlan | None:
    if not {"hr", PERSON, DRAFTER} <= set(people):
        return None
    person = people[PERSON]
    existing = ImprovementPlan.objects.filter(person=person).first()
    if existing is not None:
        return existing
    today = local_now(person.organization).date()
    data = PlanInput(
        start_date=today - timedelta(days=14),
        end_date=today + timedelta(days=46),
        reason="Fewer qualified meetings booked than agreed for three months in a row.",
        support="A weekly call-coaching hour with Sofia; a seat in the objection-handling course.",
        expectations=[
            ExpectationInput("Book qualified meetings", "At least 12 a month, from the CRM"),
            ExpectationInput("Log every call the same day", "No call older than a day unlogged"),
        ],
        review_dates=[today + timedelta(days=7), today + timedelta(days=30)],
    )
    plan = improvement_plan_create(actor=people[DRAFTER], person=person, data=data)
    improvement_plan_submit(actor=people[DRAFTER], plan=plan)
    return improvement_plan_approve(actor=people["hr"], plan=plan)

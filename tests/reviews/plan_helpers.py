"""Improvement plans built through the services, for the plan tests."""

from __future__ import annotations

from datetime import date, timedelta

from perfmgmt.notifications.sweep import local_now
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from reviews.models import ImprovementPlan
from reviews.services.improvement_plans.common import ExpectationInput, PlanInput
from reviews.services.improvement_plans.decisions import improvement_plan_approve
from reviews.services.improvement_plans.drafting import (
    improvement_plan_create,
    improvement_plan_submit,
)
from tests.conftest import OrgPeople

REASON = "Missed the agreed delivery dates four times this quarter."
SUPPORT = "Weekly pairing with a senior engineer; a planning course."


def today(org: OrgPeople) -> date:
    return local_now(org.organization).date()


def plan_input(org: OrgPeople, **changes: object) -> PlanInput:
    start = today(org) - timedelta(days=7)
    values: dict[str, object] = {
        "start_date": start,
        "end_date": start + timedelta(days=60),
        "reason": REASON,
        "support": SUPPORT,
        "expectations": [ExpectationInput("Deliver on the agreed date", "4 of 4 sprints")],
        "review_dates": [start + timedelta(days=30)],
        **changes,
    }
    return PlanInput(**values)  # type: ignore[arg-type]


def make_plan(
    org: OrgPeople,
    *,
    person: Membership | None = None,
    drafter: Membership | None = None,
    approve: bool = False,
    **changes: object,
) -> ImprovementPlan:
    person = person or org.report
    drafter = drafter or org.manager
    with organization_scope(org.organization):
        plan = improvement_plan_create(
            actor=drafter, person=person, data=plan_input(org, **changes)
        )
        if approve:
            improvement_plan_submit(actor=drafter, plan=plan)
            plan = improvement_plan_approve(actor=org.hr, plan=plan)
        return plan

"""A manager above the person drafts a plan, edits it while it is a draft (or after HR sent
it back), and submits it to HR."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.tenancy.models import Membership, MembershipStatus
from perfmgmt.tenancy.selectors import hr_people

from ... import policies
from ...locks import lock_improvement_plan
from ...models import ImprovementPlan, PlanExpectation, PlanReviewDate, PlanStatus
from ...selectors.improvement_plans import draftable_people
from .common import PlanInput, notify_readers, require_person, validate_plan_input

SUBMITTED_KIND = "improvement-plan-submitted"


def _check_person(actor: Membership, person: Membership) -> None:
    if person.status == MembershipStatus.LEFT:
        raise DomainError(
            gettext("%(name)s has left the organization.") % {"name": person.display_name},
            fields={"person": [gettext("This person has left.")]},
        )
    if not draftable_people(actor=actor).filter(pk=person.pk).exists():
        raise DomainError(
            gettext("You can draft a plan only for someone below you in the reporting line."),
            fields={"person": [gettext("Choose someone below you in the reporting line.")]},
        )


def _write_contents(plan: ImprovementPlan, data: PlanInput) -> None:
    """Replace the plan's expectations and review dates by those given."""
    plan.expectations.all().delete()
    plan.review_dates.all().delete()
    PlanExpectation.objects.bulk_create(
        PlanExpectation(
            organization_id=plan.organization_id,
            plan=plan,
            description=item.description.strip(),
            measure=item.measure.strip(),
            goal_id=item.goal_id,
            position=position,
        )
        for position, item in enumerate(data.expectations)
    )
    PlanReviewDate.objects.bulk_create(
        PlanReviewDate(organization_id=plan.organization_id, plan=plan, on=day)
        for day in sorted(set(data.review_dates))
    )


def _summary(data: PlanInput) -> dict[str, Any]:
    return {
        "start_date": data.start_date.isoformat(),
        "end_date": data.end_date.isoformat(),
        "expectations": len(data.expectations),
        "review_dates": sorted({day.isoformat() for day in data.review_dates}),
    }


def improvement_plan_create(*, actor: Any, person: Membership, data: PlanInput) -> ImprovementPlan:
    """A draft plan about `person`, by someone above them (audited)."""
    drafter = require_person(actor)
    _check_person(drafter, person)
    validate_plan_input(actor=drafter, person=person, data=data)
    with transaction.atomic():
        plan = ImprovementPlan.objects.create(
            person=person,
            drafted_by=drafter,
            reason=data.reason.strip(),
            support=data.support.strip(),
            start_date=data.start_date,
            end_date=data.end_date,
        )
        _write_contents(plan, data)
        audit_record(
            actor=drafter, action="improvement_plan.drafted", target=plan, changes=_summary(data)
        )
    return plan


def _editable(actor: Membership, plan: ImprovementPlan) -> None:
    if not plan.is_editable:
        raise ConflictError(gettext("This plan was submitted; it can no longer be edited."))
    if not policies.can_change_improvement_plan(actor, plan):
        raise PermissionDeniedError(gettext("Only a manager above the person edits this plan."))


def improvement_plan_update(
    *, actor: Any, plan: ImprovementPlan, data: PlanInput
) -> ImprovementPlan:
    """Change a draft (or a plan HR sent back): everything is replaced by `data`."""
    editor = require_person(actor)
    validate_plan_input(actor=editor, person=plan.person, data=data)
    with transaction.atomic():
        plan = lock_improvement_plan(plan.pk)
        _editable(editor, plan)
        plan.reason, plan.support = data.reason.strip(), data.support.strip()
        plan.start_date, plan.end_date = data.start_date, data.end_date
        plan.save()
        _write_contents(plan, data)
        audit_record(
            actor=editor, action="improvement_plan.edited", target=plan, changes=_summary(data)
        )
    return plan


def improvement_plan_submit(*, actor: Any, plan: ImprovementPlan) -> ImprovementPlan:
    """Send the plan to HR for approval; submitting a submitted plan changes nothing."""
    submitter = require_person(actor)
    with transaction.atomic():
        plan = lock_improvement_plan(plan.pk)
        if plan.status == PlanStatus.SUBMITTED:
            return plan
        _editable(submitter, plan)
        plan.status, plan.submitted_at = PlanStatus.SUBMITTED, timezone.now()
        plan.save(update_fields=["status", "submitted_at", "updated_at"])
        audit_record(actor=submitter, action="improvement_plan.submitted", target=plan)
        approvers = [
            person for person in hr_people() if person.pk not in (plan.person_id, submitter.pk)
        ]
        notify_readers(
            plan,
            approvers,
            kind=SUBMITTED_KIND,
            key=f"{SUBMITTED_KIND}:{plan.pk}:{plan.submitted_at.timestamp():.0f}",
            texts=(
                gettext_noop("An improvement plan for %(name)s waits for your approval"),
                gettext_noop("Read it, then approve it or send it back with a reason."),
            ),
        )
    return plan

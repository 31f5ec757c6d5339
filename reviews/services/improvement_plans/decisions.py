"""HR approves a submitted plan or sends it back with a reason; the person acknowledges it
(optionally with a comment); the outcome is recorded with a dated note."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.notifications.models import subject_of
from perfmgmt.notifications.services import notifications_resolve
from perfmgmt.notifications.sweep import local_now

from ... import policies
from ...locks import lock_improvement_plan
from ...models import ImprovementPlan, PlanOutcome, PlanOutcomeKind, PlanReviewDate, PlanStatus
from .common import TEXT_MAX_LENGTH, notify_readers, require_person
from .drafting import SUBMITTED_KIND

APPROVED_KIND = "improvement-plan-approved"
APPROVED_INFO_KIND = "improvement-plan-approved-info"
RETURNED_KIND = "improvement-plan-returned"


def _required_text(value: str, field: str, message: str) -> str:
    value = value.strip()
    if not value:
        raise DomainError(message, fields={field: [message]})
    if len(value) > TEXT_MAX_LENGTH:
        too_long = gettext("Write at most %(count)d characters.") % {"count": TEXT_MAX_LENGTH}
        raise DomainError(too_long, fields={field: [too_long]})
    return value


def _decidable(actor: Any, plan: ImprovementPlan) -> None:
    if plan.status != PlanStatus.SUBMITTED:
        raise ConflictError(gettext("Only a submitted plan can be approved or sent back."))
    if not policies.can_approve_improvement_plan(actor, plan):
        raise PermissionDeniedError(
            gettext("HR approves a plan; not the person it is about, nor the one who drafted it.")
        )


def improvement_plan_approve(*, actor: Any, plan: ImprovementPlan) -> ImprovementPlan:
    """HR approves: the plan starts and the person is asked to read and acknowledge it.
    Approving an approved plan changes nothing."""
    approver = require_person(actor)
    with transaction.atomic():
        plan = lock_improvement_plan(plan.pk)
        if plan.status == PlanStatus.APPROVED:
            return plan
        _decidable(approver, plan)
        plan.status, plan.approved_at, plan.approved_by = (
            PlanStatus.APPROVED,
            timezone.now(),
            approver,
        )
        plan.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
        audit_record(actor=approver, action="improvement_plan.approved", target=plan)
        notifications_resolve(subject=subject_of(plan), kinds=[SUBMITTED_KIND], by=approver)
        _tell_approved(plan)
    return plan


def _tell_approved(plan: ImprovementPlan) -> None:
    """The person is asked to read and acknowledge; the drafter learns it was approved."""
    notify_readers(
        plan,
        [plan.person],
        kind=APPROVED_KIND,
        key=f"{APPROVED_KIND}:{plan.pk}",
        texts=(
            gettext_noop("Please read and acknowledge your improvement plan"),
            gettext_noop(
                "Your manager and HR agreed on a plan with you. Read what is expected and "
                "the support offered, and acknowledge it."
            ),
        ),
    )
    notify_readers(
        plan,
        [plan.drafted_by],
        kind=APPROVED_INFO_KIND,
        key=f"{APPROVED_INFO_KIND}:{plan.pk}",
        texts=(gettext_noop("HR approved the improvement plan for %(name)s"), ""),
    )


def improvement_plan_return(*, actor: Any, plan: ImprovementPlan, reason: str) -> ImprovementPlan:
    """HR sends a submitted plan back to its drafter with a reason."""
    approver = require_person(actor)
    reason = _required_text(reason, "reason", gettext("Say why the plan is sent back."))
    with transaction.atomic():
        plan = lock_improvement_plan(plan.pk)
        if plan.status == PlanStatus.RETURNED and plan.return_reason == reason:
            return plan
        _decidable(approver, plan)
        plan.status, plan.returned_at, plan.return_reason = (
            PlanStatus.RETURNED,
            timezone.now(),
            reason,
        )
        plan.save(update_fields=["status", "returned_at", "return_reason", "updated_at"])
        audit_record(
            actor=approver,
            action="improvement_plan.returned",
            target=plan,
            changes={"reason": reason},
        )
        notifications_resolve(subject=subject_of(plan), kinds=[SUBMITTED_KIND], by=approver)
        notify_readers(
            plan,
            [plan.drafted_by],
            kind=RETURNED_KIND,
            key=f"{RETURNED_KIND}:{plan.pk}:{plan.returned_at.timestamp():.0f}",
            texts=(
                gettext_noop("HR sent the improvement plan for %(name)s back"),
                gettext_noop("Read HR's reason on the plan, change it and submit it again."),
            ),
        )
    return plan


def improvement_plan_acknowledge(
    *, actor: Any, plan: ImprovementPlan, comment: str = ""
) -> ImprovementPlan:
    """The person records that they read the plan (with an optional comment), once."""
    person = require_person(actor)
    comment = comment.strip()
    if len(comment) > TEXT_MAX_LENGTH:
        raise DomainError(
            gettext("Write at most %(count)d characters.") % {"count": TEXT_MAX_LENGTH},
            fields={"comment": [gettext("Too long.")]},
        )
    with transaction.atomic():
        plan = lock_improvement_plan(plan.pk)
        if person.pk != plan.person_id:
            raise PermissionDeniedError(
                gettext("Only the person the plan is about acknowledges it.")
            )
        if plan.acknowledged_at is not None:
            raise ConflictError(gettext("You have already acknowledged this plan."))
        if not policies.can_acknowledge_improvement_plan(person, plan):
            raise ConflictError(gettext("This plan is not approved yet."))
        plan.acknowledged_at, plan.employee_comment = timezone.now(), comment
        plan.save(update_fields=["acknowledged_at", "employee_comment", "updated_at"])
        audit_record(
            actor=person,
            action="improvement_plan.acknowledged",
            target=plan,
            changes={"comment": bool(comment)},
        )
        notifications_resolve(subject=subject_of(plan), kinds=[APPROVED_KIND], by=person)
    return plan


@dataclass(frozen=True)
class OutcomeInput:
    outcome: str
    note: str
    decided_on: date | None = None
    new_end_date: date | None = None


def _check_outcome(plan: ImprovementPlan, data: OutcomeInput, decided_on: date) -> None:
    if data.outcome not in PlanOutcomeKind.values:
        message = gettext("Choose met, extended or not met.")
        raise DomainError(message, fields={"outcome": [message]})
    if decided_on < plan.start_date:
        message = gettext("An outcome is decided on or after the plan's start.")
        raise DomainError(message, fields={"decided_on": [message]})
    extended = data.outcome == PlanOutcomeKind.EXTENDED
    if extended and (data.new_end_date is None or data.new_end_date <= plan.end_date):
        message = gettext("An extension needs a new end date after the current one.")
        raise DomainError(message, fields={"new_end_date": [message]})
    if not extended and data.new_end_date is not None:
        message = gettext("Only an extension has a new end date.")
        raise DomainError(message, fields={"new_end_date": [message]})


def _repeats_last(plan: ImprovementPlan, data: OutcomeInput, note: str) -> bool:
    last = PlanOutcome.objects.filter(plan=plan).order_by("-recorded_at", "-id").first()
    return (
        last is not None
        and (last.outcome, last.note) == (data.outcome, note)
        and (data.new_end_date is None or last.new_end_date == data.new_end_date)
    )


def _outcome_state(plan: ImprovementPlan) -> None:
    if plan.status == PlanStatus.CLOSED:
        raise ConflictError(gettext("This plan is closed; its outcome is recorded."))
    if plan.status != PlanStatus.APPROVED:
        raise ConflictError(gettext("An outcome is recorded only once HR has approved the plan."))


def improvement_plan_record_outcome(
    *, actor: Any, plan: ImprovementPlan, data: OutcomeInput
) -> ImprovementPlan:
    """Met or not met close the plan; extended moves its end date (and adds a review on the
    new last day). Recording the same outcome with the same note again changes nothing."""
    recorder = require_person(actor)
    note = _required_text(data.note, "note", gettext("Write a note about the outcome."))
    decided_on = data.decided_on or local_now(plan.organization).date()
    with transaction.atomic():
        plan = lock_improvement_plan(plan.pk)
        if not policies.can_decide_improvement_plan_outcome(recorder, plan):
            raise PermissionDeniedError(
                gettext("A manager above the person, or HR, records the outcome.")
            )
        if _repeats_last(plan, data, note):
            return plan
        _outcome_state(plan)
        _check_outcome(plan, data, decided_on)
        _record(plan, data, note=note, decided_on=decided_on, recorder=recorder)
    return plan


def _record(
    plan: ImprovementPlan, data: OutcomeInput, *, note: str, decided_on: date, recorder: Any
) -> None:
    previous_end = plan.end_date
    PlanOutcome.objects.create(
        plan=plan,
        outcome=data.outcome,
        note=note,
        decided_on=decided_on,
        previous_end_date=previous_end,
        new_end_date=data.new_end_date,
        recorded_by=recorder,
    )
    _apply_outcome(plan, data)
    audit_record(
        actor=recorder,
        action="improvement_plan.outcome",
        target=plan,
        changes={
            "outcome": data.outcome,
            "decided_on": decided_on.isoformat(),
            "end_date": [previous_end.isoformat(), plan.end_date.isoformat()],
        },
    )


def _apply_outcome(plan: ImprovementPlan, data: OutcomeInput) -> None:
    if data.outcome == PlanOutcomeKind.EXTENDED:
        assert data.new_end_date is not None
        plan.end_date = data.new_end_date
        plan.save(update_fields=["end_date", "updated_at"])
        PlanReviewDate.objects.get_or_create(plan=plan, on=data.new_end_date)
        return
    plan.status, plan.closed_at = PlanStatus.CLOSED, timezone.now()
    plan.save(update_fields=["status", "closed_at", "updated_at"])

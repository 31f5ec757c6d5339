"""Development plans: drafting, submitting, commenting, agreeing and closing.

Rows are locked through `goals.development.locks` (the plan first). A change to an agreed
plan's content sends it back for agreement (`_send_back_for_agreement`); the managers are
asked again.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goals.policies import can_agree_goal
from goals.services.agreement import goal_agree
from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError, full_clean_or_raise
from perfmgmt.localization import reader_locale
from perfmgmt.notifications.models import subject_of
from perfmgmt.notifications.services import notifications_resolve, notify
from perfmgmt.tenancy.context import current_organization
from perfmgmt.tenancy.models import Membership, MembershipStatus
from perfmgmt.tenancy.policies import Actor, person_of
from perfmgmt.tenancy.selectors import manager_chain_ids

from .. import policies
from ..locks import lock_plan
from ..models import DevelopmentObjective, DevelopmentPlan, PlanStatus
from ._common import _UNSET, _page_url, _same_organization


def _require_edit(actor: Actor, plan: DevelopmentPlan) -> None:
    if plan.status == PlanStatus.CLOSED:
        raise ConflictError(_("This plan is closed; start a plan for a new period instead."))
    if not policies.can_edit_plan(actor, plan):
        raise PermissionDeniedError(_("Only the person and their managers change this plan."))


def _validate_period(period: str, start: date | None, end: date | None) -> None:
    errors: dict[str, list[str]] = {}
    if not period.strip():
        errors["period"] = [_('Name the period, for example "2026" or "2026-H1".')]
    if start is None:
        errors["period_start"] = [_("When does the period start?")]
    if end is None:
        errors["period_end"] = [_("When does the period end?")]
    if start is not None and end is not None and end < start:
        errors["period_end"] = [_("The period cannot end before it starts.")]
    if errors:
        raise DomainError(_("Some fields are not valid."), fields=errors)


def _period_conflict(person: Membership, period: str, exclude_pk: int | None) -> None:
    clash = DevelopmentPlan.objects.filter(person=person, period__iexact=period)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ConflictError(
            _("%(name)s already has a plan for %(period)s.")
            % {"name": person.display_name, "period": period},
            fields={"period": [_("There is already a plan for this period.")]},
        )


def plan_create(
    *,
    actor: Actor,
    person: Membership,
    period: str,
    period_start: date | None,
    period_end: date | None,
    aspiration: str = "",
) -> DevelopmentPlan:
    """Start a draft plan for one period; one plan per person and period."""
    _same_organization(person, "person", _("Unknown person."))
    if person.status == MembershipStatus.LEFT:
        raise DomainError(
            _("This person has left."), fields={"person": [_("This person has left.")]}
        )
    if not policies.can_create_plan_for(actor, person):
        raise PermissionDeniedError(_("People start their own plan; their managers may too."))
    period = period.strip()
    _validate_period(period, period_start, period_end)
    assert period_start is not None
    assert period_end is not None
    _period_conflict(person, period, None)
    plan = DevelopmentPlan(
        organization=current_organization(),
        person=person,
        period=period,
        period_start=period_start,
        period_end=period_end,
        aspiration=aspiration.strip(),
        created_by=person_of(actor),
    )
    full_clean_or_raise(plan, exclude=["organization"], validate_unique=False)
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:  # a concurrent request created the same period first
        raise ConflictError(
            _("There is already a plan for this period."),
            fields={"period": [_("There is already a plan for this period.")]},
        ) from None
    return plan


_AGREEMENT_FIELDS = (
    "status",
    "agreed_by",
    "agreed_at",
    "last_agreed_by",
    "last_agreed_at",
    "submitted_at",
)


def _send_back_for_agreement(actor: Actor, plan: DevelopmentPlan, reason: str) -> None:
    """A change to an agreed plan's content needs the manager's agreement again."""
    # As stored now: the goal service may have sent it back already in this transaction
    # (an objective's goal lost its agreement), and once is enough.
    plan.refresh_from_db(fields=_AGREEMENT_FIELDS)
    if plan.status != PlanStatus.AGREED:
        return
    plan.last_agreed_by_id = plan.agreed_by_id
    plan.last_agreed_at = plan.agreed_at
    plan.agreed_by = None
    plan.agreed_at = None
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.save(update_fields=[*_AGREEMENT_FIELDS, "updated_at"])
    audit_record(
        actor=actor, action="development_plan.reopen", target=plan, changes={"why": reason}
    )
    _notify_managers_to_agree(plan, key_suffix=plan.submitted_at.isoformat())


@transaction.atomic
def plan_update(
    *,
    actor: Actor,
    plan: DevelopmentPlan,
    period: str = _UNSET,
    period_start: date | None = _UNSET,
    period_end: date | None = _UNSET,
    aspiration: str = _UNSET,
) -> DevelopmentPlan:
    """Change the period or the aspiration; moving an agreed plan's period re-opens it."""
    plan = lock_plan(plan.pk)
    _require_edit(actor, plan)
    before = (plan.period, plan.period_start, plan.period_end)
    if period is not _UNSET:
        plan.period = period.strip()
    if period_start is not _UNSET:
        plan.period_start = period_start  # type: ignore[assignment]
    if period_end is not _UNSET:
        plan.period_end = period_end  # type: ignore[assignment]
    if aspiration is not _UNSET:
        plan.aspiration = aspiration.strip()
    _validate_period(plan.period, plan.period_start, plan.period_end)
    _period_conflict(plan.person, plan.period, plan.pk)
    full_clean_or_raise(plan, exclude=["organization"], validate_unique=False)
    plan.save()
    if before != (plan.period, plan.period_start, plan.period_end):
        _send_back_for_agreement(actor, plan, "period changed")
    return plan


def _direct_or_chain_managers(person: Membership) -> list[Membership]:
    """Whom to ask for agreement: the direct manager, else the nearest one up the chain."""
    if person.manager_id is not None:
        manager = Membership.objects.filter(pk=person.manager_id).select_related("user").first()
        if manager is not None and manager.can_sign_in:
            return [manager]
    chain = manager_chain_ids(membership=person)
    return list(
        Membership.objects.filter(
            pk__in=chain, status__in=[MembershipStatus.ACTIVE, MembershipStatus.ON_LEAVE]
        )
    )[:1]


def _notify_managers_to_agree(plan: DevelopmentPlan, *, key_suffix: str) -> None:
    url = _page_url("development:plan", plan_id=plan.pk)
    for manager in _direct_or_chain_managers(plan.person):
        with reader_locale(user=manager.user, organization=current_organization()):
            title = _("%(name)s asks you to agree their development plan for %(period)s") % {
                "name": plan.person.display_name,
                "period": plan.period,
            }
        notify(
            recipient=manager,
            kind="development-plan-submitted",
            key=f"development-plan-submitted:{plan.pk}:{key_suffix}"[:200],
            title=title,
            url=url,
            subject=subject_of(plan),
        )


# The notifications asking a manager to agree a plan; done once it is agreed or closed.
AGREEMENT_ASKS = ("development-plan-submitted", "development-plan-waiting")


@transaction.atomic
def plan_submit(*, actor: Actor, plan: DevelopmentPlan) -> DevelopmentPlan:
    """The person hands the draft to their manager. Submitting twice changes nothing."""
    plan = lock_plan(plan.pk)
    if plan.status == PlanStatus.SUBMITTED and actor.pk == plan.person_id:
        return plan
    if not policies.can_submit_plan(actor, plan):
        if plan.status in (PlanStatus.AGREED, PlanStatus.CLOSED) and actor.pk == plan.person_id:
            raise ConflictError(
                _("This plan is already %(status)s.")
                % {"status": plan.get_status_display().lower()}
            )
        raise PermissionDeniedError(_("Only the person submits their own plan."))
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.save(update_fields=["status", "submitted_at", "updated_at"])
    _notify_managers_to_agree(plan, key_suffix=plan.submitted_at.isoformat())
    return plan


@transaction.atomic
def plan_comment(*, actor: Actor, plan: DevelopmentPlan, comment: str) -> DevelopmentPlan:
    """The manager's comment on the plan (the latest one is shown; the audit log keeps all)."""
    plan = lock_plan(plan.pk)
    if not policies.can_comment_plan(actor, plan):
        raise PermissionDeniedError(_("A manager of this person comments on the plan."))
    comment = comment.strip()
    if not comment:
        raise DomainError(_("Write a comment."), fields={"comment": [_("Write a comment.")]})
    plan.manager_comment = comment
    plan.commented_by = actor  # type: ignore[assignment]
    plan.commented_at = timezone.now()
    plan.save(update_fields=["manager_comment", "commented_by", "commented_at", "updated_at"])
    audit_record(
        actor=actor, action="development_plan.comment", target=plan, changes={"comment": comment}
    )
    return plan


@transaction.atomic
def plan_agree(*, actor: Actor, plan: DevelopmentPlan, comment: str = "") -> DevelopmentPlan:
    """A manager in the person's chain agrees a submitted plan, recording who and when.

    The learning goals of the plan that wait for the manager's side are agreed with it
    (goals proposed by the manager still wait for the person). Agreeing twice is a no-op.
    """
    plan = lock_plan(plan.pk)
    if plan.status == PlanStatus.AGREED:
        return plan
    if plan.status == PlanStatus.DRAFT and policies.can_comment_plan(actor, plan):
        raise ConflictError(_("The plan is still a draft: the person submits it first."))
    if not policies.can_agree_plan(actor, plan):
        raise PermissionDeniedError(_("A manager of this person agrees the plan."))
    if comment.strip():
        plan.manager_comment = comment.strip()
        plan.commented_by = actor  # type: ignore[assignment]
        plan.commented_at = timezone.now()
    plan.status = PlanStatus.AGREED
    plan.agreed_by = actor  # type: ignore[assignment]
    plan.agreed_at = timezone.now()
    plan.save()
    for objective in DevelopmentObjective.objects.filter(plan=plan).select_related(
        "goal__owner_person"
    ):
        if can_agree_goal(actor, objective.goal):
            goal_agree(actor=actor, goal=objective.goal)
    audit_record(actor=actor, action="development_plan.agree", target=plan)
    notifications_resolve(subject=subject_of(plan), kinds=AGREEMENT_ASKS, by=person_of(actor))
    with reader_locale(user=plan.person.user, organization=current_organization()):
        title = _("%(name)s agreed your development plan for %(period)s") % {
            "name": actor.display_name,
            "period": plan.period,
        }
    notify(
        recipient=plan.person,
        kind="development-plan-agreed",
        key=f"development-plan-agreed:{plan.pk}:{plan.agreed_at.isoformat()}"[:200],
        title=title,
        url=_page_url("development:plan", plan_id=plan.pk),
    )
    return plan


@transaction.atomic
def plan_close(*, actor: Actor, plan: DevelopmentPlan) -> DevelopmentPlan:
    """End the plan (the period is over). Closed plans are read-only. Closing twice: no-op."""
    plan = lock_plan(plan.pk)
    if plan.status == PlanStatus.CLOSED:
        return plan
    if not policies.can_close_plan(actor, plan):
        raise PermissionDeniedError(_("The person, their managers or HR close a plan."))
    plan.status = PlanStatus.CLOSED
    plan.closed_at = timezone.now()
    plan.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(actor=actor, action="development_plan.close", target=plan)
    notifications_resolve(subject=subject_of(plan), kinds=AGREEMENT_ASKS, by=person_of(actor))
    return plan

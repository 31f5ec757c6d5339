"""Actions (courses, mentoring, ...): how the plan is carried out.

They and their status change without a new agreement of the plan.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perfmgmt.errors import DomainError, full_clean_or_raise
from perfmgmt.notifications.models import subject_of
from perfmgmt.notifications.services import notifications_resolve
from perfmgmt.tenancy.models import Membership, MembershipStatus
from perfmgmt.tenancy.policies import Actor, person_of
from perfmgmt.tenancy.selectors import manager_chain_ids

from ..locks import lock_action, lock_plan
from ..models import ActionKind, ActionStatus, DevelopmentAction, DevelopmentPlan
from ._common import _UNSET, _same_organization
from .plans import _require_edit


def _check_action_owner(plan: DevelopmentPlan, owner: Membership) -> None:
    """The person or someone above them: everyone who owns an action can read the plan."""
    _same_organization(owner, "owner", _("Unknown person."))
    allowed = owner.pk == plan.person_id or owner.pk in manager_chain_ids(membership=plan.person)
    if not allowed or owner.status == MembershipStatus.LEFT:
        raise DomainError(
            _("The owner is the person or one of their managers."),
            fields={"owner": [_("Choose the person or one of their managers.")]},
        )


def _validate_action(action: DevelopmentAction) -> None:
    if action.kind not in ActionKind.values:
        raise DomainError(_("Unknown kind."), fields={"kind": [_("Choose a kind of action.")]})
    if action.status not in ActionStatus.values:
        raise DomainError(_("Unknown status."), fields={"status": [_("Choose a status.")]})
    full_clean_or_raise(action, exclude=["organization"])


@transaction.atomic
def action_create(
    *,
    actor: Actor,
    plan: DevelopmentPlan,
    kind: str,
    title: str,
    owner: Membership | None = None,
    due_date: date | None = None,
    notes: str = "",
    status: str = ActionStatus.NOT_STARTED,
) -> DevelopmentAction:
    """Add an action to the plan; the owner defaults to the plan's person."""
    plan = lock_plan(plan.pk)
    _require_edit(actor, plan)
    owner = owner or plan.person
    _check_action_owner(plan, owner)
    action = DevelopmentAction(
        organization=plan.organization,
        plan=plan,
        kind=kind,
        title=title.strip(),
        owner=owner,
        due_date=due_date,
        notes=notes.strip(),
        status=status,
        completed_at=timezone.now() if status == ActionStatus.DONE else None,
    )
    _validate_action(action)
    action.save()
    return action


@transaction.atomic
def action_update(
    *,
    actor: Actor,
    action: DevelopmentAction,
    kind: str = _UNSET,
    title: str = _UNSET,
    owner: Membership = _UNSET,
    due_date: date | None = _UNSET,
    notes: str = _UNSET,
    status: str = _UNSET,
) -> DevelopmentAction:
    """Change an action; marking it done records when (and undoing that clears it)."""
    plan = lock_plan(action.plan_id)
    _require_edit(actor, plan)
    action = lock_action(action.pk)
    if owner is not _UNSET:
        _check_action_owner(plan, owner)
        action.owner = owner
    for name, value in (("kind", kind), ("due_date", due_date), ("status", status)):
        if value is not _UNSET:
            setattr(action, name, value)
    if title is not _UNSET:
        action.title = title.strip()
    if notes is not _UNSET:
        action.notes = notes.strip()
    if action.status == ActionStatus.DONE and action.completed_at is None:
        action.completed_at = timezone.now()
    elif action.status != ActionStatus.DONE:
        action.completed_at = None
    _validate_action(action)
    action.save()
    if action.status in (ActionStatus.DONE, ActionStatus.CANCELLED):
        notifications_resolve(
            subject=subject_of(action), kinds=("development-action-overdue",), by=person_of(actor)
        )
    return action

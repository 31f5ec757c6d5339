"""Writes on goals: create, change, assign to many people, organization settings.

Agreeing, and what a change of an agreed goal does, live in `agreement`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goals import hooks, locks, policies
from goals.models import Goal, GoalStatus, GoalType, Milestone, OwnerKind
from perfmgmt.audit.services import audit_record
from perfmgmt.errors import DomainError, PermissionDeniedError
from perfmgmt.integrations.webhooks.events import emit
from perfmgmt.tenancy.context import current_organization
from perfmgmt.tenancy.models import Membership, MembershipStatus, Organization, Team
from perfmgmt.tenancy.policies import Actor, person_of

from . import agreement
from .progress import ancestor_ids, refresh_progress

STALE_AFTER_SETTING = "goals_stale_after_days"
DEFAULT_STALE_AFTER_DAYS = 14

EDITABLE_FIELDS = frozenset(
    {
        "title",
        "description",
        "goal_type",
        "unit",
        "start_value",
        "target_value",
        "current_value",
        "start_date",
        "due_date",
        "weight",
        "visibility",
        "status",
        "parent",
        "reward_text",
        "reward_amount",
    }
)


def stale_after_days(organization: Organization) -> int:
    """After how many days without an update a goal counts as "not updated" (default 14)."""
    value = (organization.settings or {}).get(STALE_AFTER_SETTING, DEFAULT_STALE_AFTER_DAYS)
    try:
        days = int(value)
    except (TypeError, ValueError):
        return DEFAULT_STALE_AFTER_DAYS
    return days if days > 0 else DEFAULT_STALE_AFTER_DAYS


def goal_settings_update(
    *, actor: Actor, organization: Organization, stale_after_days: int
) -> Organization:
    """HR admins set after how many days without an update a goal needs attention."""
    if not policies.can_change_goal_settings(actor):
        raise PermissionDeniedError(_("Only HR admins change goal settings."))
    if not 1 <= stale_after_days <= 365:
        raise DomainError(
            _("Choose between 1 and 365 days."), fields={"stale_after_days": [_("1 to 365 days.")]}
        )
    with transaction.atomic():
        locked = locks.lock_organization(organization.pk)
        settings = dict(locked.settings or {})
        settings[STALE_AFTER_SETTING] = stale_after_days
        locked.settings = settings
        locked.save(update_fields=["settings"])
        audit_record(
            actor=actor,
            action="goals.settings_changed",
            target=locked,
            changes={STALE_AFTER_SETTING: stale_after_days},
        )
    organization.settings = locked.settings
    return locked


def _check_owner(
    actor: Actor, *, owner_kind: str, person: Membership | None, team: Team | None
) -> None:
    organization_id = current_organization().pk
    if owner_kind == OwnerKind.PERSON:
        if person is None or person.organization_id != organization_id:
            raise DomainError(
                _("Choose whose goal this is."), fields={"owner_person": [_("Unknown person.")]}
            )
        if person.status == MembershipStatus.LEFT:
            raise DomainError(
                _("This person has left."), fields={"owner_person": [_("This person has left.")]}
            )
    elif owner_kind == OwnerKind.TEAM:
        if team is None or team.organization_id != organization_id:
            raise DomainError(_("Choose the team."), fields={"owner_team": [_("Unknown team.")]})
    elif owner_kind != OwnerKind.ORGANIZATION:
        raise DomainError(
            _("Unknown owner."), fields={"owner_kind": [_("Choose person, team or organization.")]}
        )
    if not policies.can_create_goal_for(actor, owner_kind=owner_kind, person=person, team=team):
        raise PermissionDeniedError(_("You may not set goals for this owner."))


def _check_parent(actor: Actor, goal: Goal, parent: Goal | None) -> None:
    """Same organization, visible to the actor, and no cycle."""
    if parent is None:
        return
    if parent.organization_id != current_organization().pk or not policies.can_view_goal(
        actor, parent
    ):
        raise DomainError(_("Unknown parent goal."), fields={"parent": [_("Unknown goal.")]})
    if goal.pk is not None and (
        parent.pk == goal.pk or goal.pk in ancestor_ids(parent.pk, parent.organization_id)
    ):
        raise DomainError(
            _("A goal cannot support itself or one of the goals below it."),
            fields={
                "parent": [_("This would make a cycle: choose a goal that is not below this one.")]
            },
        )


def _check_measure(goal: Goal) -> None:
    if goal.goal_type == GoalType.QUANTITATIVE and not goal.has_measure:
        raise DomainError(
            _("A quantitative goal needs a start value and a target."),
            fields={
                name: [_("Required for a quantitative goal.")]
                for name in ("start_value", "target_value")
                if getattr(goal, name) is None
            },
        )
    if (goal.start_value is None) != (goal.target_value is None):
        raise DomainError(
            _("A measure needs both a start value and a target."),
            fields={"target_value": [_("Give both the start value and the target, or neither.")]},
        )


def _validate(goal: Goal) -> None:
    _check_measure(goal)
    if goal.has_measure and goal.target_value == goal.start_value:
        raise DomainError(
            _("The target must differ from the start value."),
            fields={"target_value": [_("The target must differ from the start value.")]},
        )
    if goal.start_date and goal.due_date and goal.due_date < goal.start_date:
        raise DomainError(
            _("The due date cannot be before the start date."),
            fields={"due_date": [_("The due date cannot be before the start date.")]},
        )
    try:
        goal.full_clean(exclude=["organization"])
    except ValidationError as error:
        raise DomainError.from_validation_error(error) from None


def _milestone_titles(titles: Sequence[str]) -> list[str]:
    return [title.strip()[:200] for title in titles if title and title.strip()]


def _add_milestones(goal: Goal, titles: Sequence[str], first_order: int = 0) -> None:
    Milestone.objects.bulk_create(
        Milestone(organization=goal.organization, goal=goal, title=title, order=first_order + i)
        for i, title in enumerate(_milestone_titles(titles))
    )


@transaction.atomic
def goal_create(
    *,
    actor: Actor,
    owner_kind: str,
    title: str,
    owner_person: Membership | None = None,
    owner_team: Team | None = None,
    description: str = "",
    goal_type: str = GoalType.QUANTITATIVE,
    unit: str = "",
    start_value: Decimal | None = None,
    target_value: Decimal | None = None,
    current_value: Decimal | None = None,
    start_date: date | None = None,
    due_date: date | None = None,
    weight: Decimal = Decimal("1"),
    visibility: str = Goal.Visibility.TEAM_AND_MANAGERS,
    parent: Goal | None = None,
    milestones: Sequence[str] = (),
    reward_text: str = "",
    reward_amount: Decimal | None = None,
) -> Goal:
    """Propose a goal (a draft, proposed by the actor) and refresh its parents' progress.

    Refused: an owner the actor may not set goals for, a parent in another organization or
    not visible to the actor, a target equal to the start, a due date before the start.
    """
    _check_owner(actor, owner_kind=owner_kind, person=owner_person, team=owner_team)
    person = owner_person if owner_kind == OwnerKind.PERSON else None
    team = owner_team if owner_kind == OwnerKind.TEAM else None
    membership = person_of(actor)
    now = timezone.now()
    goal = Goal(
        organization=current_organization(),
        owner_kind=owner_kind,
        owner_person=person,
        owner_team=team,
        title=title.strip(),
        description=description,
        goal_type=goal_type,
        unit=unit,
        start_value=start_value,
        target_value=target_value,
        current_value=current_value if current_value is not None else start_value,
        start_date=start_date,
        due_date=due_date,
        weight=weight,
        visibility=visibility,
        status=GoalStatus.DRAFT,
        parent=parent,
        reward_text=reward_text,
        reward_amount=reward_amount,
        proposed_by=membership,
        proposed_at=now,
        created_by=membership,
        created_at=now,
    )
    _check_parent(actor, goal, parent)
    _validate(goal)
    goal.save()
    _add_milestones(goal, milestones)
    refresh_progress(goal.pk)
    goal.refresh_from_db()
    emit("goal.created", resource=goal)
    return goal


def _apply_changes(actor: Actor, goal: Goal, changes: dict[str, Any]) -> None:
    if "parent" in changes:
        _check_parent(actor, goal, changes["parent"])
    for name, value in changes.items():
        setattr(goal, name, value.strip() if name == "title" and isinstance(value, str) else value)
    _validate(goal)


def _refresh_progress_after_change(goal: Goal, old_parent_id: int | None) -> None:
    refresh_progress(goal.pk)
    if old_parent_id != goal.parent_id:
        refresh_progress(old_parent_id)
    goal.refresh_from_db()


@transaction.atomic
def goal_update(
    *, actor: Actor, goal: Goal, milestones: Sequence[str] = (), **changes: Any
) -> Goal:
    """Change a goal. Only the fields given change; a change that changes nothing is a no-op.

    Changing what was agreed on an agreed goal (see `agreement.AGREED_TERMS`, and adding
    milestones) keeps the agreed version (a `GoalRevision`), asks the other side to agree
    again and is audited; so is any other change of an agreed goal. Re-parenting,
    cancelling or completing refreshes the progress of the old and the new parents.
    `milestones` appends new ones. Apps built on goals follow through `goals.hooks`: they
    lock their rows before the goal's (`before_goal_locked`) and react after the change
    (`goal_changed`), in this transaction.
    """
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise DomainError(
            _("These fields cannot be changed."), fields={n: [_("Not editable.")] for n in unknown}
        )
    if not policies.can_edit_goal(actor, goal):
        raise PermissionDeniedError(_("You may not change this goal."))
    hooks.before_goal_locked.run(goal=goal)
    goal = locks.lock_goal(goal.pk, related=["agreed_by__user"])
    changes = agreement.effective_changes(goal, changes)
    new_milestones = _milestone_titles(milestones)
    if not changes and not new_milestones:
        return goal
    agreed_version = agreement.revision_snapshot(goal)
    before = {name: agreement.plain(getattr(goal, name)) for name in changes}
    before["milestones"] = agreed_version["milestones"]
    old_parent_id = goal.parent_id
    was_agreed = goal.is_agreed
    was_cancelled = goal.status == GoalStatus.CANCELLED
    was_completed = goal.status == GoalStatus.COMPLETED
    agreement_cleared = was_agreed and agreement.terms_changed(changes, new_milestones)
    _apply_changes(actor, goal, changes)
    goal.version += 1
    revision = None
    if agreement_cleared:
        revision = agreement.agreement_reopen(actor=actor, goal=goal, agreed_version=agreed_version)
    goal.save()
    _add_milestones(goal, new_milestones, first_order=len(agreed_version["milestones"]))
    _refresh_progress_after_change(goal, old_parent_id)
    if was_agreed:
        agreement.audit_agreed_goal_change(
            actor=actor, goal=goal, before=before, new_milestones=new_milestones
        )
    if revision is not None:
        agreement.ask_other_side(actor=actor, goal=goal, revision=revision)
    hooks.goal_changed.run(
        actor=actor,
        goal=goal,
        agreement_cleared=agreement_cleared,
        cancelled=not was_cancelled and goal.status == GoalStatus.CANCELLED,
    )
    if not was_completed and goal.status == GoalStatus.COMPLETED:
        emit("goal.completed", resource=goal)
    return goal


def goal_assign_many(
    *,
    actor: Actor,
    people: Sequence[Membership],
    title: str,
    **fields: Any,
) -> list[Goal]:
    """Give each person their own copy of the same goal, all linked to the same parent.

    All or nothing: if the actor may not set goals for one of them, nobody gets one.
    """
    if not policies.can_assign_goals(actor):
        raise PermissionDeniedError(_("Only HR admins and managers assign goals to others."))
    unique = list({person.pk: person for person in people}.values())
    if not unique:
        raise DomainError(
            _("Choose at least one person."), fields={"people": [_("Choose someone.")]}
        )
    with transaction.atomic():
        return [
            goal_create(
                actor=actor, owner_kind=OwnerKind.PERSON, owner_person=person, title=title, **fields
            )
            for person in unique
        ]

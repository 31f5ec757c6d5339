"""Every write on development plans and the competency framework.

The flow: the person drafts a plan and submits it; a manager in their chain comments and
agrees it (who and when are recorded, and the learning goals the person proposed are agreed
with it). Changing the objectives or competencies of an agreed plan sends it back for
agreement: it becomes "waiting for agreement" again and the previous agreement is kept in
`last_agreed_by` / `last_agreed_at`. Actions (courses, mentoring, ...) and their status are
how the plan is carried out, so they change without a new agreement.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from goals.models import Goal, GoalStatus, GoalType, OwnerKind, Visibility
from goals.policies import can_agree_goal
from goals.services.goals import goal_agree, goal_create, goal_update
from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.notifications.services import notify
from perfmgmt.tenancy.context import current_organization
from perfmgmt.tenancy.models import Membership, MembershipStatus
from perfmgmt.tenancy.policies import Actor
from perfmgmt.tenancy.selectors import manager_chain_ids

from . import policies
from .models import (
    ActionKind,
    ActionStatus,
    Competency,
    CompetencyCategory,
    CompetencyLevel,
    DevelopmentAction,
    DevelopmentObjective,
    DevelopmentPlan,
    PlanCompetency,
    PlanStatus,
)

_UNSET: Any = object()
MAX_LEVELS = 10


def _full_clean(instance: models.Model, **kwargs: Any) -> None:
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        raise DomainError.from_validation_error(error) from None


def _same_organization(obj: models.Model | None, field: str, message: str) -> None:
    """Refuse an object of another organization exactly like an unknown one."""
    if obj is not None and getattr(obj, "organization_id", None) != current_organization().pk:
        raise DomainError(message, fields={field: [message]})


def _person(actor: Actor) -> Membership | None:
    return actor if isinstance(actor, Membership) else None


def _page_url(name: str, **kwargs: Any) -> str:
    from perfmgmt.web.links import optional_reverse

    return optional_reverse(name, org_slug=current_organization().slug, **kwargs)


# --- The competency framework -------------------------------------------------------------


def _require_framework_rights(actor: Actor) -> None:
    if not policies.can_manage_framework(actor):
        raise PermissionDeniedError("Only HR admins and owners edit the competency framework.")


def _unique_name(model: type[models.Model], name: str, exclude_pk: int | None) -> None:
    clash = model.objects.filter(name__iexact=name)  # type: ignore[attr-defined]
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ConflictError("This name is in use.", fields={"name": ["Already in use."]})


def competency_category_create(
    *, actor: Actor, name: str, description: str = "", position: int = 0
) -> CompetencyCategory:
    _require_framework_rights(actor)
    category = CompetencyCategory(
        organization=current_organization(),
        name=name.strip(),
        description=description.strip(),
        position=position,
    )
    _full_clean(category, exclude=["organization"], validate_unique=False)
    _unique_name(CompetencyCategory, category.name, None)
    category.save()
    audit_record(actor=actor, action="competency_category.create", target=category)
    return category


def competency_category_update(
    *,
    actor: Actor,
    category: CompetencyCategory,
    name: str = _UNSET,
    description: str = _UNSET,
    position: int = _UNSET,
) -> CompetencyCategory:
    _require_framework_rights(actor)
    if name is not _UNSET:
        category.name = name.strip()
    if description is not _UNSET:
        category.description = description.strip()
    if position is not _UNSET:
        category.position = position
    _full_clean(category, exclude=["organization"], validate_unique=False)
    _unique_name(CompetencyCategory, category.name, category.pk)
    category.save()
    audit_record(actor=actor, action="competency_category.update", target=category)
    return category


def _clean_levels(levels: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(name, behaviour) pairs in order; blank rows dropped; each level needs both."""
    cleaned: list[tuple[str, str]] = []
    errors: list[str] = []
    for number, (name, behaviour) in enumerate(levels, start=1):
        name, behaviour = (name or "").strip(), (behaviour or "").strip()
        if not name and not behaviour:
            continue
        if not name or not behaviour:
            errors.append(f"Level {number}: give both a name and the behaviour it shows.")
        elif len(name) > 120:
            errors.append(f"Level {number}: the name is at most 120 characters.")
        cleaned.append((name, behaviour))
    if len(cleaned) > MAX_LEVELS:
        errors.append(f"At most {MAX_LEVELS} levels.")
    if errors:
        raise DomainError("Some levels are not complete.", fields={"levels": errors})
    return cleaned


def _store_levels(competency: Competency, levels: list[tuple[str, str]]) -> None:
    """Levels are numbered 1..n in the order given; rows are updated in place so anything
    that references a level (a plan's target, later a review answer) keeps pointing at it."""
    existing = {
        level.level: level for level in CompetencyLevel.objects.filter(competency=competency)
    }
    for number, (name, behaviour) in enumerate(levels, start=1):
        row = existing.pop(number, None)
        if row is None:
            CompetencyLevel.objects.create(
                organization=competency.organization,
                competency=competency,
                level=number,
                name=name,
                behaviour=behaviour,
            )
        elif (row.name, row.behaviour) != (name, behaviour):
            row.name, row.behaviour = name, behaviour
            row.save(update_fields=["name", "behaviour"])
    if existing:
        # Dropped levels: plans aiming at them lose the target (SET_NULL), nothing else.
        CompetencyLevel.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()


@transaction.atomic
def competency_create(
    *,
    actor: Actor,
    category: CompetencyCategory,
    name: str,
    description: str = "",
    levels: Sequence[tuple[str, str]] = (),
    position: int = 0,
) -> Competency:
    """Add a competency with its levels ((name, observable behaviour) pairs, lowest first)."""
    _require_framework_rights(actor)
    _same_organization(category, "category", "Unknown category.")
    competency = Competency(
        organization=current_organization(),
        category=category,
        name=name.strip(),
        description=description.strip(),
        position=position,
    )
    _full_clean(competency, exclude=["organization"], validate_unique=False)
    cleaned = _clean_levels(levels)
    _unique_name(Competency, competency.name, None)
    competency.save()
    _store_levels(competency, cleaned)
    audit_record(
        actor=actor,
        action="competency.create",
        target=competency,
        changes={"name": competency.name, "levels": len(cleaned)},
    )
    return competency


@transaction.atomic
def competency_update(
    *,
    actor: Actor,
    competency: Competency,
    category: CompetencyCategory = _UNSET,
    name: str = _UNSET,
    description: str = _UNSET,
    active: bool = _UNSET,
    position: int = _UNSET,
    levels: Sequence[tuple[str, str]] | None = None,
) -> Competency:
    """Change a competency; `levels`, when given, replaces the list (kept rows keep ids).

    Retiring (`active=False`) hides it from new plans; plans that use it keep it.
    """
    _require_framework_rights(actor)
    if category is not _UNSET:
        _same_organization(category, "category", "Unknown category.")
        competency.category = category
    if name is not _UNSET:
        competency.name = name.strip()
    if description is not _UNSET:
        competency.description = description.strip()
    if active is not _UNSET:
        competency.active = active
    if position is not _UNSET:
        competency.position = position
    _full_clean(competency, exclude=["organization"], validate_unique=False)
    cleaned = _clean_levels(levels) if levels is not None else None
    _unique_name(Competency, competency.name, competency.pk)
    competency.save()
    if cleaned is not None:
        _store_levels(competency, cleaned)
    audit_record(actor=actor, action="competency.update", target=competency)
    return competency


# --- Plans ------------------------------------------------------------------------------


def _lock(plan: DevelopmentPlan) -> DevelopmentPlan:
    """The plan row, locked for the rest of the transaction (one place takes the lock)."""
    return DevelopmentPlan.objects.select_for_update().get(pk=plan.pk)


def _require_edit(actor: Actor, plan: DevelopmentPlan) -> None:
    if plan.status == PlanStatus.CLOSED:
        raise ConflictError("This plan is closed; start a plan for a new period instead.")
    if not policies.can_edit_plan(actor, plan):
        raise PermissionDeniedError("Only the person and their managers change this plan.")


def _validate_period(period: str, start: date | None, end: date | None) -> None:
    errors: dict[str, list[str]] = {}
    if not period.strip():
        errors["period"] = ['Name the period, for example "2026" or "2026-H1".']
    if start is None:
        errors["period_start"] = ["When does the period start?"]
    if end is None:
        errors["period_end"] = ["When does the period end?"]
    if start is not None and end is not None and end < start:
        errors["period_end"] = ["The period cannot end before it starts."]
    if errors:
        raise DomainError("Some fields are not valid.", fields=errors)


def _period_conflict(person: Membership, period: str, exclude_pk: int | None) -> None:
    clash = DevelopmentPlan.objects.filter(person=person, period__iexact=period)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ConflictError(
            f"{person.display_name} already has a plan for {period}.",
            fields={"period": ["There is already a plan for this period."]},
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
    _same_organization(person, "person", "Unknown person.")
    if person.status == MembershipStatus.LEFT:
        raise DomainError("This person has left.", fields={"person": ["This person has left."]})
    if not policies.can_create_plan_for(actor, person):
        raise PermissionDeniedError("People start their own plan; their managers may too.")
    period = period.strip()
    _validate_period(period, period_start, period_end)
    assert period_start is not None and period_end is not None
    _period_conflict(person, period, None)
    plan = DevelopmentPlan(
        organization=current_organization(),
        person=person,
        period=period,
        period_start=period_start,
        period_end=period_end,
        aspiration=aspiration.strip(),
        created_by=_person(actor),
    )
    _full_clean(plan, exclude=["organization"], validate_unique=False)
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:  # a concurrent request created the same period first
        raise ConflictError(
            "There is already a plan for this period.",
            fields={"period": ["There is already a plan for this period."]},
        ) from None
    return plan


def _send_back_for_agreement(actor: Actor, plan: DevelopmentPlan, reason: str) -> None:
    """A change to an agreed plan's content needs the manager's agreement again."""
    if plan.status != PlanStatus.AGREED:
        return
    plan.last_agreed_by_id = plan.agreed_by_id
    plan.last_agreed_at = plan.agreed_at
    plan.agreed_by = None
    plan.agreed_at = None
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.save(
        update_fields=[
            "last_agreed_by",
            "last_agreed_at",
            "agreed_by",
            "agreed_at",
            "status",
            "submitted_at",
            "updated_at",
        ]
    )
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
    plan = _lock(plan)
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
    _full_clean(plan, exclude=["organization"], validate_unique=False)
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
        notify(
            recipient=manager,
            kind="development-plan-submitted",
            key=f"development-plan-submitted:{plan.pk}:{key_suffix}"[:200],
            title=f"{plan.person.display_name} asks you to agree their development plan "
            f"for {plan.period}",
            url=url,
        )


@transaction.atomic
def plan_submit(*, actor: Actor, plan: DevelopmentPlan) -> DevelopmentPlan:
    """The person hands the draft to their manager. Submitting twice changes nothing."""
    plan = _lock(plan)
    if plan.status == PlanStatus.SUBMITTED and actor.pk == plan.person_id:
        return plan
    if not policies.can_submit_plan(actor, plan):
        if plan.status in (PlanStatus.AGREED, PlanStatus.CLOSED) and actor.pk == plan.person_id:
            raise ConflictError(f"This plan is already {plan.get_status_display().lower()}.")
        raise PermissionDeniedError("Only the person submits their own plan.")
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.save(update_fields=["status", "submitted_at", "updated_at"])
    _notify_managers_to_agree(plan, key_suffix=plan.submitted_at.isoformat())
    return plan


@transaction.atomic
def plan_comment(*, actor: Actor, plan: DevelopmentPlan, comment: str) -> DevelopmentPlan:
    """The manager's comment on the plan (the latest one is shown; the audit log keeps all)."""
    plan = _lock(plan)
    if not policies.can_comment_plan(actor, plan):
        raise PermissionDeniedError("A manager of this person comments on the plan.")
    comment = comment.strip()
    if not comment:
        raise DomainError("Write a comment.", fields={"comment": ["Write a comment."]})
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
    plan = _lock(plan)
    if plan.status == PlanStatus.AGREED:
        return plan
    if plan.status == PlanStatus.DRAFT and policies.can_comment_plan(actor, plan):
        raise ConflictError("The plan is still a draft: the person submits it first.")
    if not policies.can_agree_plan(actor, plan):
        raise PermissionDeniedError("A manager of this person agrees the plan.")
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
    notify(
        recipient=plan.person,
        kind="development-plan-agreed",
        key=f"development-plan-agreed:{plan.pk}:{plan.agreed_at.isoformat()}"[:200],
        title=f"{actor.display_name} agreed your development plan for {plan.period}",
        url=_page_url("development:plan", plan_id=plan.pk),
    )
    return plan


@transaction.atomic
def plan_close(*, actor: Actor, plan: DevelopmentPlan) -> DevelopmentPlan:
    """End the plan (the period is over). Closed plans are read-only. Closing twice: no-op."""
    plan = _lock(plan)
    if plan.status == PlanStatus.CLOSED:
        return plan
    if not policies.can_close_plan(actor, plan):
        raise PermissionDeniedError("The person, their managers or HR close a plan.")
    plan.status = PlanStatus.CLOSED
    plan.closed_at = timezone.now()
    plan.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(actor=actor, action="development_plan.close", target=plan)
    return plan


# --- Objectives: learning goals of the plan ----------------------------------------------


def _check_competency(competency: Competency | None, field: str = "competency") -> None:
    _same_organization(competency, field, "Unknown competency.")


@transaction.atomic
def objective_add(
    *,
    actor: Actor,
    plan: DevelopmentPlan,
    title: str,
    description: str = "",
    competency: Competency | None = None,
    start_date: date | None = None,
    due_date: date | None = None,
    milestones: Sequence[str] = (),
) -> DevelopmentObjective:
    """Add a development objective: a learning goal owned by the plan's person.

    The goal gets the SMART fields of any goal (dates default to the plan's period,
    milestones measure it) and is readable by the person and their managers only, like the
    plan. Adding one to an agreed plan sends the plan back for agreement.
    """
    plan = _lock(plan)
    _require_edit(actor, plan)
    _check_competency(competency)
    goal = goal_create(
        actor=actor,
        owner_kind=OwnerKind.PERSON,
        owner_person=plan.person,
        title=title,
        description=description,
        goal_type=GoalType.LEARNING,
        start_date=start_date or plan.period_start,
        due_date=due_date or plan.period_end,
        visibility=Visibility.OWNER_AND_MANAGERS,
        milestones=milestones,
    )
    objective = DevelopmentObjective.objects.create(
        organization=plan.organization, plan=plan, goal=goal, competency=competency
    )
    _send_back_for_agreement(actor, plan, f"objective added: {goal.title}")
    return objective


@transaction.atomic
def objective_update(
    *,
    actor: Actor,
    objective: DevelopmentObjective,
    competency: Competency | None = _UNSET,
    milestones: Sequence[str] = (),
    **goal_changes: Any,
) -> DevelopmentObjective:
    """Change an objective (its goal's fields through the goal service, or its competency).

    Any change to an agreed plan's objective sends the plan back for agreement.
    """
    plan = _lock(objective.plan)
    _require_edit(actor, plan)
    changed = bool(milestones)
    if competency is not _UNSET:
        _check_competency(competency)
        if objective.competency_id != (competency.pk if competency else None):
            objective.competency = competency
            objective.save(update_fields=["competency"])
            changed = True
    if goal_changes or milestones:
        goal = Goal.objects.get(pk=objective.goal_id)
        before = {name: getattr(goal, name) for name in goal_changes}
        objective.goal = goal_update(actor=actor, goal=goal, milestones=milestones, **goal_changes)
        changed = changed or any(
            getattr(objective.goal, name) != value for name, value in before.items()
        )
    if changed:
        _send_back_for_agreement(actor, plan, f"objective changed: {objective.goal.title}")
    return objective


@transaction.atomic
def objective_remove(*, actor: Actor, objective: DevelopmentObjective) -> None:
    """Take an objective out of the plan: its learning goal is cancelled, not deleted."""
    plan = _lock(objective.plan)
    _require_edit(actor, plan)
    goal = Goal.objects.get(pk=objective.goal_id)
    title = goal.title
    objective.delete()
    if goal.status != GoalStatus.CANCELLED:
        goal_update(actor=actor, goal=goal, status=GoalStatus.CANCELLED)
    _send_back_for_agreement(actor, plan, f"objective removed: {title}")


# --- Competencies the plan builds ---------------------------------------------------------


def _check_target(competency: Competency, target_level: CompetencyLevel | None) -> None:
    if target_level is not None and target_level.competency_id != competency.pk:
        raise DomainError(
            "Choose a level of this competency.",
            fields={"target_level": ["Not a level of this competency."]},
        )


@transaction.atomic
def plan_competency_set(
    *,
    actor: Actor,
    plan: DevelopmentPlan,
    competency: Competency,
    target_level: CompetencyLevel | None = None,
) -> PlanCompetency:
    """Add a competency to the plan, or change the level aimed for (idempotent)."""
    plan = _lock(plan)
    _require_edit(actor, plan)
    _check_competency(competency)
    _same_organization(target_level, "target_level", "Unknown level.")
    _check_target(competency, target_level)
    existing = PlanCompetency.objects.filter(plan=plan, competency=competency).first()
    if existing is not None:
        if existing.target_level_id == (target_level.pk if target_level else None):
            return existing
        existing.target_level = target_level
        existing.save(update_fields=["target_level"])
        _send_back_for_agreement(actor, plan, f"target level changed: {competency.name}")
        return existing
    if not competency.active:
        raise DomainError(
            "This competency is retired.", fields={"competency": ["This competency is retired."]}
        )
    link = PlanCompetency.objects.create(
        organization=plan.organization, plan=plan, competency=competency, target_level=target_level
    )
    _send_back_for_agreement(actor, plan, f"competency added: {competency.name}")
    return link


@transaction.atomic
def plan_competency_remove(*, actor: Actor, link: PlanCompetency) -> None:
    plan = _lock(link.plan)
    _require_edit(actor, plan)
    name = link.competency.name
    link.delete()
    _send_back_for_agreement(actor, plan, f"competency removed: {name}")


# --- Actions ------------------------------------------------------------------------------


def _check_action_owner(plan: DevelopmentPlan, owner: Membership) -> None:
    """The person or someone above them: everyone who owns an action can read the plan."""
    _same_organization(owner, "owner", "Unknown person.")
    allowed = owner.pk == plan.person_id or owner.pk in manager_chain_ids(membership=plan.person)
    if not allowed or owner.status == MembershipStatus.LEFT:
        raise DomainError(
            "The owner is the person or one of their managers.",
            fields={"owner": ["Choose the person or one of their managers."]},
        )


def _validate_action(action: DevelopmentAction) -> None:
    if action.kind not in ActionKind.values:
        raise DomainError("Unknown kind.", fields={"kind": ["Choose a kind of action."]})
    if action.status not in ActionStatus.values:
        raise DomainError("Unknown status.", fields={"status": ["Choose a status."]})
    _full_clean(action, exclude=["organization"])


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
    plan = _lock(plan)
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
    plan = _lock(action.plan)
    _require_edit(actor, plan)
    action = DevelopmentAction.objects.select_for_update().get(pk=action.pk)
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
    return action

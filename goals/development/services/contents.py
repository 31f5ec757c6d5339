"""What the plan agrees: its objectives (learning goals) and the competencies it builds.

Adding, changing or removing either on an agreed plan sends the plan back for agreement.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from goals.models import Goal, GoalStatus, GoalType, OwnerKind, Visibility
from goals.services.goals import goal_create, goal_update
from perfmgmt.errors import DomainError
from perfmgmt.tenancy.policies import Actor

from ..locks import lock_plan
from ..models import (
    Competency,
    CompetencyLevel,
    DevelopmentObjective,
    DevelopmentPlan,
    PlanCompetency,
)
from ._common import _UNSET, _same_organization
from .plans import _require_edit, _send_back_for_agreement

# --- Objectives: learning goals of the plan ----------------------------------------------


def _check_competency(competency: Competency | None, field: str = "competency") -> None:
    _same_organization(competency, field, _("Unknown competency."))


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
    plan = lock_plan(plan.pk)
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
    plan = lock_plan(objective.plan_id)
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
    plan = lock_plan(objective.plan_id)
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
        message = _(
            "“%(level)s” is a level of %(other)s, not of %(competency)s: choose one of "
            "%(competency)s's levels, or no target level."
        ) % {
            "level": target_level.name,
            "other": target_level.competency.name,
            "competency": competency.name,
        }
        raise DomainError(
            _("Choose a level of %(competency)s.") % {"competency": competency.name},
            fields={"target_level": [message]},
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
    plan = lock_plan(plan.pk)
    _require_edit(actor, plan)
    _check_competency(competency)
    _same_organization(target_level, "target_level", _("Unknown level."))
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
            _("This competency is retired."),
            fields={"competency": [_("This competency is retired.")]},
        )
    link = PlanCompetency.objects.create(
        organization=plan.organization, plan=plan, competency=competency, target_level=target_level
    )
    _send_back_for_agreement(actor, plan, f"competency added: {competency.name}")
    return link


@transaction.atomic
def plan_competency_remove(*, actor: Actor, link: PlanCompetency) -> None:
    plan = lock_plan(link.plan_id)
    _require_edit(actor, plan)
    name = link.competency.name
    link.delete()
    _send_back_for_agreement(actor, plan, f"competency removed: {name}")

"""Reads with rules about development plans and the competency framework.

Visibility lives here so pages, the API and exports agree: a plan is visible to its person,
everyone above them in the reporting line and HR admins (API keys with `development:read`).
An object one may not see is answered exactly like a missing one: 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from perfmgmt.ids import object_id
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.policies import Actor
from perfmgmt.tenancy.selectors import manager_chain_ids, reports_below

from . import policies
from .models import (
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

# --- The competency framework -------------------------------------------------------------


def competency_category_list() -> QuerySet[CompetencyCategory]:
    return CompetencyCategory.objects.annotate(
        competency_count=Count("competencies", filter=Q(competencies__active=True))
    )


def competency_category_get(*, category_id: Any) -> CompetencyCategory:
    try:
        return CompetencyCategory.objects.get(pk=object_id(category_id))
    except CompetencyCategory.DoesNotExist:
        raise Http404("No such category.") from None


def competency_list(
    *, active: bool | None = None, category_id: int | None = None, search: str = ""
) -> QuerySet[Competency]:
    """Competencies with their category and levels (three queries, whatever the number)."""
    competencies = Competency.objects.select_related("category").prefetch_related(
        Prefetch("levels", queryset=CompetencyLevel.objects.order_by("level"))
    )
    if active is not None:
        competencies = competencies.filter(active=active)
    if category_id is not None:
        competencies = competencies.filter(category_id=category_id)
    if search:
        competencies = competencies.filter(
            Q(name__icontains=search) | Q(description__icontains=search)
        )
    return competencies


def competency_get(*, competency_id: Any) -> Competency:
    try:
        return competency_list().get(pk=object_id(competency_id))
    except Competency.DoesNotExist:
        raise Http404("No such competency.") from None


@dataclass
class FrameworkCategory:
    category: CompetencyCategory
    competencies: list[Competency]


def framework(*, include_retired: bool = False) -> list[FrameworkCategory]:
    """The framework grouped by category, for the framework page (fixed number of queries)."""
    competencies = competency_list(active=None if include_retired else True)
    by_category: dict[int, list[Competency]] = {}
    for competency in competencies:
        by_category.setdefault(competency.category_id, []).append(competency)
    return [
        FrameworkCategory(category, by_category.get(category.pk, []))
        for category in CompetencyCategory.objects.all()
    ]


# --- Plans ------------------------------------------------------------------------------


def _count_of(queryset: QuerySet[Any]) -> Coalesce:
    counted = queryset.values("plan_id").annotate(number=Count("id")).values("number")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def plan_queryset() -> QuerySet[DevelopmentPlan]:
    """Plans with their people and counts for progress, in one query per page."""
    actions = DevelopmentAction.objects.filter(plan=OuterRef("pk"))
    objectives = DevelopmentObjective.objects.filter(plan=OuterRef("pk"))
    return DevelopmentPlan.objects.select_related(
        "person__user", "person__team", "agreed_by__user", "commented_by__user"
    ).annotate(
        action_count=_count_of(actions.exclude(status=ActionStatus.CANCELLED)),
        actions_done=_count_of(actions.filter(status=ActionStatus.DONE)),
        objective_count=_count_of(objectives),
        objective_progress=Coalesce(
            Subquery(
                objectives.values("plan_id").annotate(mean=Avg("goal__progress")).values("mean"),
                output_field=DecimalField(max_digits=5, decimal_places=4),
            ),
            Value(Decimal("0")),
        ),
    )


def plans_readable_filter(actor: Actor, person_field: str) -> Q:
    """Whose plans the actor may read, as a filter on `person_field` (the plan's person):
    everyone's (an empty Q), or their own and everyone's below them, in SQL."""
    if policies.can_view_all_plans(actor):
        return Q()
    if not isinstance(actor, Membership):
        return Q(pk__in=[])
    below = reports_below(manager=actor)
    return Q(**{person_field: actor.pk}) | Q(**{f"{person_field}__in": below})


def plan_person_choices(*, actor: Membership) -> QuerySet[Membership]:
    """Whose plan the actor may start: their own, and everyone below them."""
    people = Q(pk=actor.pk) | Q(pk__in=reports_below(manager=actor))
    return Membership.objects.filter(people).select_related("user")


def plan_list(
    *,
    actor: Actor,
    person_id: int | None = None,
    team_id: int | None = None,
    status: str | None = None,
    period: str | None = None,
    ends_before: date | None = None,
    ends_after: date | None = None,
) -> QuerySet[DevelopmentPlan]:
    plans = plan_queryset().filter(plans_readable_filter(actor, "person_id"))
    if person_id is not None:
        plans = plans.filter(person_id=person_id)
    if team_id is not None:
        plans = plans.filter(person__team_id=team_id)
    if status:
        plans = plans.filter(status=status)
    if period:
        plans = plans.filter(period=period)
    if ends_before is not None:
        plans = plans.filter(period_end__lte=ends_before)
    if ends_after is not None:
        plans = plans.filter(period_end__gte=ends_after)
    return plans


def plans_of(*, actor: Actor, person: Membership) -> QuerySet[DevelopmentPlan]:
    """One person's plans, if the actor may read them (one rule on the person: no list of
    the reader's reports travels into the statement)."""
    plans = plan_queryset().filter(person=person)
    return plans if policies.can_view_plans_of(actor, person) else plans.none()


def plan_get(*, actor: Actor, plan_id: Any) -> DevelopmentPlan:
    """A plan the actor may see, or 404 (also for another organization's id)."""
    try:
        plan = plan_queryset().get(pk=object_id(plan_id))
    except DevelopmentPlan.DoesNotExist:
        raise Http404("No such development plan.") from None
    if not policies.can_view_plan(actor, plan):
        raise Http404("No such development plan.")
    return plan


def current_plan_for(*, person: Membership, today: date) -> DevelopmentPlan | None:
    """The person's plan whose period includes today, else their latest one."""
    plans = DevelopmentPlan.objects.filter(person=person).order_by("-period_start", "-id")
    current = plans.filter(period_start__lte=today, period_end__gte=today).first()
    return current or plans.first()


def plan_objectives(*, plan: DevelopmentPlan) -> list[DevelopmentObjective]:
    return list(
        DevelopmentObjective.objects.filter(plan=plan)
        .select_related("goal", "competency")
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class PlanCapabilities:
    """What the reader may do with one plan: the plan page's forms and the API's
    `capabilities` both come from here."""

    edit: bool
    comment: bool
    submit: bool
    agree: bool
    close: bool


def plan_capabilities(*, actor: Actor, plan: DevelopmentPlan) -> PlanCapabilities:
    return PlanCapabilities(
        edit=policies.can_edit_plan(actor, plan),
        comment=policies.can_comment_plan(actor, plan),
        submit=policies.can_submit_plan(actor, plan) and plan.status == PlanStatus.DRAFT,
        agree=policies.can_agree_plan(actor, plan) and plan.status == PlanStatus.SUBMITTED,
        close=policies.can_close_plan(actor, plan),
    )


def objective_list(
    *,
    actor: Actor,
    plan_id: int | None = None,
    person_id: int | None = None,
    competency_id: int | None = None,
) -> QuerySet[DevelopmentObjective]:
    """Objectives of the plans the actor may read, with their goal and plan."""
    objectives = DevelopmentObjective.objects.select_related("goal", "plan__person__user")
    objectives = objectives.filter(plans_readable_filter(actor, "plan__person_id"))
    if plan_id is not None:
        objectives = objectives.filter(plan_id=plan_id)
    if person_id is not None:
        objectives = objectives.filter(plan__person_id=person_id)
    if competency_id is not None:
        objectives = objectives.filter(competency_id=competency_id)
    return objectives


def objective_get(*, actor: Actor, objective_id: Any) -> DevelopmentObjective:
    """An objective of a plan the actor may read, or 404."""
    found = objective_list(actor=actor).filter(pk=object_id(objective_id)).first()
    if found is None:
        raise Http404("No such objective.")
    return found


def plan_competencies(*, plan: DevelopmentPlan) -> list[PlanCompetency]:
    return list(
        PlanCompetency.objects.filter(plan=plan)
        .select_related("competency__category", "target_level")
        .order_by("competency__name")
    )


def plan_actions(*, plan: DevelopmentPlan) -> list[DevelopmentAction]:
    return list(
        DevelopmentAction.objects.filter(plan=plan)
        .select_related("owner__user")
        .order_by("status", "due_date", "id")
    )


@dataclass(frozen=True)
class PlanProgress:
    """Shown to both sides: objectives' progress (from their goals) and actions done."""

    objective_count: int
    objective_percent: int | None
    action_count: int
    actions_done: int

    @property
    def action_percent(self) -> int | None:
        if not self.action_count:
            return None
        return round(100 * self.actions_done / self.action_count)

    @property
    def overall_percent(self) -> int | None:
        """Every objective and every action that is not cancelled weighs the same."""
        parts = self.objective_count + self.action_count
        if not parts:
            return None
        objectives = (self.objective_percent or 0) * self.objective_count
        return round((objectives + 100 * self.actions_done) / parts)


def plan_progress(
    *, plan: DevelopmentPlan, objectives: list[DevelopmentObjective] | None = None
) -> PlanProgress:
    """Progress of a plan from `plan_queryset()` annotations (lists) or its objectives."""
    if objectives is None and getattr(plan, "objective_progress", None) is not None:
        count = plan.objective_count  # type: ignore[attr-defined]
        percent = round(plan.objective_progress * 100) if count else None  # type: ignore[attr-defined]
    else:
        objectives = plan_objectives(plan=plan) if objectives is None else objectives
        percents = [objective.goal.progress_percent for objective in objectives]
        count = len(percents)
        percent = round(sum(percents) / count) if percents else None
    actions = getattr(plan, "action_count", None)
    done = getattr(plan, "actions_done", None)
    if actions is None or done is None:
        counts = DevelopmentAction.objects.filter(plan=plan).aggregate(
            total=Count("id", filter=~Q(status=ActionStatus.CANCELLED)),
            done=Count("id", filter=Q(status=ActionStatus.DONE)),
        )
        actions, done = counts["total"], counts["done"]
    return PlanProgress(
        objective_count=count, objective_percent=percent, action_count=actions, actions_done=done
    )


def action_list(
    *,
    actor: Actor,
    plan_id: int | None = None,
    owner_id: int | None = None,
    person_id: int | None = None,
    team_id: int | None = None,
    status: str | None = None,
    kind: str | None = None,
    due_before: date | None = None,
    due_after: date | None = None,
) -> QuerySet[DevelopmentAction]:
    actions = DevelopmentAction.objects.select_related("owner__user", "plan__person__user")
    actions = actions.filter(plans_readable_filter(actor, "plan__person_id"))
    if plan_id is not None:
        actions = actions.filter(plan_id=plan_id)
    if owner_id is not None:
        actions = actions.filter(owner_id=owner_id)
    if person_id is not None:
        actions = actions.filter(plan__person_id=person_id)
    if team_id is not None:
        actions = actions.filter(plan__person__team_id=team_id)
    if status:
        actions = actions.filter(status=status)
    if kind:
        actions = actions.filter(kind=kind)
    if due_before is not None:
        actions = actions.filter(due_date__lte=due_before)
    if due_after is not None:
        actions = actions.filter(due_date__gte=due_after)
    return actions


def action_get(*, actor: Actor, action_id: Any) -> DevelopmentAction:
    try:
        action = DevelopmentAction.objects.select_related("owner__user", "plan__person").get(
            pk=object_id(action_id)
        )
    except DevelopmentAction.DoesNotExist:
        raise Http404("No such action.") from None
    if not policies.can_view_plan(actor, action.plan):
        raise Http404("No such action.")
    return action


def action_owner_choices(*, plan: DevelopmentPlan) -> QuerySet[Membership]:
    """Who can own an action: the person and anyone above them (they all see the plan)."""
    ids = manager_chain_ids(membership=plan.person) | {plan.person_id}
    return Membership.objects.filter(pk__in=ids).select_related("user")

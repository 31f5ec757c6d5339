"""Goals as a reader may read them: the visibility rule applied to querysets, the lists
the pages and the API page through (`goal_list`, `goal_rows`), one goal with what the
reader may do with it, its updates and revisions."""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.http import Http404
from django.utils.translation import gettext as _

from perfmgmt.tenancy.policies import Actor

from .. import policies
from ..models import (
    NEEDS_AGREEMENT,
    Goal,
    GoalRevision,
    GoalUpdate,
)
from ..services.progress import progress_breakdown

_PERIOD = re.compile(r"^(?P<year>\d{4})(?:-(?:Q(?P<quarter>[1-4])|(?P<month>0[1-9]|1[0-2])))?$")


GOAL_JOINS = (
    "owner_person__user",
    "owner_person__team",
    "owner_team",
    "agreed_by__user",
    "proposed_by__user",
)


# What the goal list pages show of a goal's people: the owner's name (or their team's).
LIST_JOINS = ("owner_person__user", "owner_team")


def goal_queryset() -> QuerySet[Goal]:
    return Goal.objects.select_related(*GOAL_JOINS, "parent")


def as_column(rule: Q) -> Any:
    """A filter as a true/false value of each row (an empty Q holds for every row)."""
    if not rule:
        return Value(True)
    return Case(When(rule, then=Value(True)), default=Value(False), output_field=BooleanField())


def visible_goals(*, actor: Actor) -> QuerySet[Goal]:
    """Every goal of the active organization this actor may read.

    `parent` is loaded only when the actor may read it too (else None; `parent_id` stays),
    so a page never names a goal its reader may not open. `reward_visible` says whether the
    actor may read the goal's expected reward (`policies.goal_reward_filter`): pages and the
    API show the reward only where it is true.
    """
    return _readable(actor, GOAL_JOINS).annotate(
        reward_visible=as_column(policies.goal_reward_filter(actor))
    )


def listed_goals(*, actor: Actor) -> QuerySet[Goal]:
    """`visible_goals` as the goal list pages read them: the owner's name and team loaded
    (`LIST_JOINS`), no reward (a list never shows one), so the list statement stays small."""
    return _readable(actor, LIST_JOINS)


def _readable(actor: Actor, joins: Sequence[str]) -> QuerySet[Goal]:
    rule = policies.visible_goals_filter(actor)
    return (
        Goal.objects.select_related(*joins)
        .filter(rule)
        .prefetch_related(Prefetch("parent", queryset=Goal.objects.filter(rule)))
    )


def period_bounds(period: str) -> tuple[date, date]:
    """`2026`, `2026-Q4` or `2026-11` as (first day, last day); ValueError otherwise."""
    match = _PERIOD.match(period.strip())
    if match is None:
        raise ValueError(_("Use a year (2026), a quarter (2026-Q4) or a month (2026-11)."))
    year = int(match["year"])
    if match["quarter"]:
        first_month = (int(match["quarter"]) - 1) * 3 + 1
        months = 3
    elif match["month"]:
        first_month, months = int(match["month"]), 1
    else:
        first_month, months = 1, 12
    start = date(year, first_month, 1)
    end_month = first_month + months
    end = date(year + (end_month > 12), (end_month - 1) % 12 + 1, 1) - timedelta(days=1)
    return start, end


def goal_list(
    *,
    actor: Actor,
    owner_id: int | None = None,
    team_id: int | None = None,
    owner_kind: str | None = None,
    status: str | None = None,
    goal_type: str | None = None,
    parent_id: int | None = None,
    period: tuple[date, date] | None = None,
    due_before: date | None = None,
    due_after: date | None = None,
    search: str = "",
) -> QuerySet[Goal]:
    """Visible goals with filters. `team_id` matches the team's goals and its people's goals;
    `period` matches goals whose start..due span overlaps it."""
    return _filtered(
        visible_goals(actor=actor),
        owner_id=owner_id,
        team_id=team_id,
        owner_kind=owner_kind,
        status=status,
        goal_type=goal_type,
        parent_id=parent_id,
        period=period,
        due_before=due_before,
        due_after=due_after,
        search=search,
    )


def goal_rows(*, actor: Actor, **filters: Any) -> QuerySet[Any]:
    """`goal_list` for the API's list, which reads its ids, `reward_visible` and
    `agreement_needed` (decided in SQL) and has PostgreSQL write the page
    (`serializers.GOAL_JSON`): no join, no other column."""
    goals = _filtered(Goal.objects.filter(policies.visible_goals_filter(actor)), **filters)
    return goals.annotate(
        reward_visible=as_column(policies.goal_reward_filter(actor)),
        agreement_needed=as_column(NEEDS_AGREEMENT),
    )


def visible_goals_through(*, actor: Actor, link: str) -> Q:
    """`policies.visible_goals_filter` seen from a row that links to a goal through the
    field `link` (a check-in's goal link: "goal"), so another app's rows can name just the
    goals their reader may read, in the same statement."""
    return _through(policies.visible_goals_filter(actor), f"{link}__")


def _through(rule: Q, prefix: str) -> Q:
    reached = copy.copy(rule)
    reached.children = [
        _through(child, prefix) if isinstance(child, Q) else _lookup(child, prefix)
        for child in rule.children
    ]
    return reached


def _lookup(child: Any, prefix: str) -> tuple[str, Any]:
    name, value = child
    return f"{prefix}{name}", value


def _filtered(
    goals: QuerySet[Goal],
    *,
    owner_id: int | None = None,
    team_id: int | None = None,
    owner_kind: str | None = None,
    status: str | None = None,
    goal_type: str | None = None,
    parent_id: int | None = None,
    period: tuple[date, date] | None = None,
    due_before: date | None = None,
    due_after: date | None = None,
    search: str = "",
) -> QuerySet[Goal]:
    if owner_id is not None:
        goals = goals.filter(owner_person_id=owner_id)
    if team_id is not None:
        goals = goals.filter(Q(owner_team_id=team_id) | Q(owner_person__team_id=team_id))
    if owner_kind:
        goals = goals.filter(owner_kind=owner_kind)
    if status:
        goals = goals.filter(status=status)
    if goal_type:
        goals = goals.filter(goal_type=goal_type)
    if parent_id is not None:
        goals = goals.filter(parent_id=parent_id)
    if period is not None:
        first, last = period
        goals = goals.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=last),
            Q(due_date__isnull=True) | Q(due_date__gte=first),
        )
    if due_before is not None:
        goals = goals.filter(due_date__lte=due_before)
    if due_after is not None:
        goals = goals.filter(due_date__gte=due_after)
    if search:
        goals = goals.filter(Q(title__icontains=search) | Q(description__icontains=search))
    return goals


def goal_get(*, actor: Actor, goal_id: int | str) -> Goal:
    """A goal the actor may read, or 404 (also for another organization's id)."""
    try:
        return visible_goals(actor=actor).get(pk=int(goal_id))
    except (Goal.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such goal.") from None


@dataclass(frozen=True)
class GoalCapabilities:
    """What the reader may do with one goal: the goal page's buttons and the API's
    `capabilities` both come from here, so they cannot disagree."""

    edit: bool
    post_update: bool
    agree: bool


def goal_capabilities(*, actor: Actor, goal: Goal) -> GoalCapabilities:
    return GoalCapabilities(
        edit=policies.can_edit_goal(actor, goal),
        post_update=goal.accepts_updates and policies.can_post_update(actor, goal),
        agree=policies.can_agree_goal(actor, goal),
    )


def goal_update_list(
    *,
    actor: Actor,
    goal_id: int | None = None,
    author_id: int | None = None,
    confidence: str | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
    period: tuple[date, date] | None = None,
) -> QuerySet[GoalUpdate]:
    """Updates of the goals the actor may read; `period` matches the day posted, in UTC."""
    updates = GoalUpdate.objects.filter(goal_id__in=visible_goals(actor=actor).values("pk"))
    if goal_id is not None:
        updates = updates.filter(goal_id=goal_id)
    if author_id is not None:
        updates = updates.filter(author_id=author_id)
    if confidence:
        updates = updates.filter(confidence=confidence)
    if created_after is not None:
        updates = updates.filter(created_at__gte=created_after)
    if created_before is not None:
        updates = updates.filter(created_at__lt=created_before)
    if period is not None:
        first, last = period
        updates = updates.filter(created_at__date__gte=first, created_at__date__lte=last)
    return updates


def goal_revisions(*, goal: Goal) -> QuerySet[GoalRevision]:
    """The earlier agreed versions of a goal the caller has read (`goal_get`), newest first.

    Each says, as its goal does, whether the caller may read the reward (`reward_visible`).
    """
    return (
        GoalRevision.objects.filter(goal=goal)
        .select_related("changed_by__user")
        .annotate(reward_visible=Value(bool(getattr(goal, "reward_visible", False))))
    )


def goal_detail(*, actor: Actor, goal_id: int | str) -> Goal:
    """`goal_get` with milestones, visible children and history loaded, and what its
    progress was computed from as `progress_breakdown` (fixed query count)."""
    goal = goal_get(actor=actor, goal_id=goal_id)
    goal.progress_breakdown = progress_breakdown(goal)  # type: ignore[attr-defined]
    children = visible_goals(actor=actor).filter(parent_id=goal.pk).order_by("due_date", "id")
    updates = GoalUpdate.objects.select_related("author__user").order_by("created_at", "id")
    prefetch_related_objects(
        [goal],
        "milestones",
        Prefetch("children", queryset=children, to_attr="visible_children"),
        Prefetch("updates", queryset=updates, to_attr="history"),
        Prefetch("revisions", queryset=GoalRevision.objects.select_related("changed_by__user")),
    )
    return goal

"""Reads of goals with their visibility rules, shared by pages, API and other apps.

Every list applies `policies.visible_goals_filter`, so a goal someone may not read is never
listed, and `goal_get` answers 404 for it exactly as for another organization's id. Lists
load owners, teams and parents with joins and never recurse: roll-up progress is cached on
each row by the services. The API's list reads rows instead (`goal_rows`): the columns
its serializer answers (`GOAL_ROWS.columns`), the owner's name and milestones in the same
statement.

Other apps (check-ins and 1:1s in `feedback/`, reviews, rewards) call the functions in the
last section; they take the people they are about explicitly.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import JSONObject
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from perfmgmt.tenancy.models import Membership, MembershipStatus, Organization, Team
from perfmgmt.tenancy.policies import Actor
from perfmgmt.tenancy.selectors import below_q, display_name_sql, people_for_in, reports_below

from . import policies
from .models import (
    OPEN_STATUSES,
    Confidence,
    Goal,
    GoalRevision,
    GoalStatus,
    GoalUpdate,
    Milestone,
    OwnerKind,
)
from .services.goals import stale_after_days
from .services.progress import progress_breakdown

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
    """`goal_list` for the API's list, which reads it as rows of the columns its presenter
    names (`GOAL_ROWS.columns`), in one statement: the owner's name and the milestones
    (`milestone_rows`) read with the goal, `reward_visible` decided in SQL; no parent, no
    other join."""
    goals = _filtered(Goal.objects.filter(policies.visible_goals_filter(actor)), **filters)
    milestones = (
        Milestone.objects.filter(goal=OuterRef("pk"))
        .order_by("order", "id")
        .values(row=JSONObject(id="id", title="title", done="done", order="order"))
    )
    return goals.annotate(
        owner_shown_name=Case(
            When(
                owner_kind=OwnerKind.PERSON,
                owner_person__isnull=False,
                then=display_name_sql("owner_person__"),
            ),
            When(owner_kind=OwnerKind.TEAM, owner_team__isnull=False, then=F("owner_team__name")),
            default=Value(_("Organization")),
            output_field=CharField(),
        ),
        milestone_rows=ArraySubquery(milestones),
        agreement_needed=as_column(Q(agreed_at__isnull=True, status__in=OPEN_STATUSES)),
        reward_visible=as_column(policies.goal_reward_filter(actor)),
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


def my_goals(*, actor: Membership) -> QuerySet[Goal]:
    """The person's own goals, and the goals of their team, newest first."""
    query = Q(owner_kind=OwnerKind.PERSON, owner_person=actor)
    if actor.team_id is not None:
        query |= Q(owner_kind=OwnerKind.TEAM, owner_team_id=actor.team_id)
    return listed_goals(actor=actor).filter(query).order_by("-created_at", "-id")


TEAM_GOALS_ORDER = ("-listed_at", "-id")


def team_goals(*, actor: Membership) -> tuple[QuerySet[Goal], QuerySet[Goal]]:
    """Goals of everyone below this manager (whole chain) and of their teams, newest first
    (`listed_at`, the goal's `created_at`, then id: `TEAM_GOALS_ORDER`), as two lists that
    a keyset page merges in one statement.

    People's goals walk the manager's rows of `GoalOwnerLine` newest first, so the walk
    meets only goals of people below, however many the other branches hold; team goals
    walk the organization's team goals (few) and keep those of teams below."""
    visible = listed_goals(actor=actor)
    people = owned_below(visible, manager=actor).annotate(listed_at=F("owner_lines__created_at"))
    below = below_q(manager=actor, person_field="")
    teams = Membership.objects.filter(below, team__isnull=False).values("team_id")
    shared = visible.filter(owner_kind=OwnerKind.TEAM, owner_team_id__in=teams).annotate(
        listed_at=F("created_at")
    )
    return people, shared


def owned_below(goals: QuerySet[Goal], *, manager: Membership) -> QuerySet[Goal]:
    """People's goals whose owner is below `manager` at any depth: `below_q` on the owner,
    read from the copy of the owner's line kept with each goal (`GoalOwnerLine`), joined
    once (a goal has one row per person above its owner)."""
    return goals.filter(
        owner_kind=OwnerKind.PERSON,
        owner_lines__organization_id=manager.organization_id,
        owner_lines__above=manager,
    )


def goals_set_for_others(*, actor: Membership) -> QuerySet[Goal]:
    """Goals this person proposed for other people (assigned to many, or set for a report),
    that they may still read, newest first: where "Assign to many" lands."""
    return (
        listed_goals(actor=actor)
        .filter(owner_kind=OwnerKind.PERSON, created_by=actor)
        .exclude(owner_person=actor)
        .order_by("-created_at", "-id")
    )


def assignable_people(actor: Actor) -> QuerySet[Membership]:
    """Whose goals this actor may set: HR everyone, others themselves and their chain."""
    people = Membership.objects.exclude(status=MembershipStatus.LEFT).select_related("user")
    if not isinstance(actor, Membership) or actor.is_hr:
        return people
    return people.filter(Q(pk=actor.pk) | Q(pk__in=reports_below(manager=actor)))


def assignable_teams(actor: Actor) -> QuerySet[Team]:
    """Teams whose goals this actor may set: HR all, managers those they manage people in."""
    if not isinstance(actor, Membership) or actor.is_hr:
        return Team.objects.all()
    reports = Membership.objects.filter(pk__in=reports_below(manager=actor))
    return Team.objects.filter(pk__in=reports.values("team_id"))


def assignable_team_members(*, actor: Actor, team: Team) -> QuerySet[Membership]:
    """ "Everyone in the team" for bulk assignment: the people of the team the actor may set
    goals for, not the actor themselves."""
    people = assignable_people(actor).filter(team=team)
    if isinstance(actor, Membership):
        people = people.exclude(pk=actor.pk)
    return people


def parent_choices(*, actor: Actor, exclude: Goal | None = None) -> QuerySet[Goal]:
    """Goals one may align a goal under: visible and not cancelled, except that a goal's
    current parent stays a choice (so the goal can be edited after its parent closed)."""
    goals = visible_goals(actor=actor)
    open_goals = ~Q(status=GoalStatus.CANCELLED)
    if exclude is not None and exclude.pk is not None:
        goals = goals.exclude(pk=exclude.pk)
        if exclude.parent_id is not None:
            open_goals |= Q(pk=exclude.parent_id)
    return goals.filter(open_goals).order_by("owner_kind", "title")


def needs_attention_filter(*, organization: Organization, now: datetime | None = None) -> Q:
    """Active goals that are at risk / off track, or have not been updated in N days."""
    moment = now or timezone.now()
    stale_before = moment - timedelta(days=stale_after_days(organization))
    return Q(status=GoalStatus.ACTIVE) & (
        Q(last_confidence__in=[Confidence.AT_RISK, Confidence.OFF_TRACK])
        | Q(last_update_at__lt=stale_before)
        | Q(last_update_at__isnull=True, created_at__lt=stale_before)
    )


def goals_needing_attention(
    *, actor: Actor, organization: Organization, now: datetime | None = None
) -> QuerySet[Goal]:
    """Visible goals at risk or not updated in the organization's N days."""
    return (
        listed_goals(actor=actor)
        .filter(needs_attention_filter(organization=organization, now=now))
        .order_by("last_update_at", "due_date", "id")
    )


# --- For other apps (check-ins, 1:1s, reviews, rewards) ----------------------------------


def goals_at_risk_for(
    *, people: Iterable[Membership | int] | QuerySet[Membership], now: datetime | None = None
) -> QuerySet[Goal]:
    """Active goals of these people that are at risk, off track or not updated in N days.

    `people` a bounded batch, or a queryset of people (read as a subquery, so the statement
    does not grow with them). Not filtered by a viewer: the caller decides who may see the
    result (a manager's team dashboard passes their reports). Uses the active organization's N.
    """
    from perfmgmt.tenancy.context import current_organization

    owners = people_for_in(people)
    return (
        goal_queryset()
        .filter(owner_kind=OwnerKind.PERSON, owner_person_id__in=owners)
        .filter(needs_attention_filter(organization=current_organization(), now=now))
        .order_by("owner_person_id", "due_date", "id")
    )


def goal_updates_by(
    *, person: Membership | int, since: datetime, until: datetime | None = None
) -> QuerySet[GoalUpdate]:
    """Goal updates this person posted in [since, until), newest first, with their goals.

    For check-ins and reviews ("what progressed"); the caller decides who may see them.
    """
    person_id = person if isinstance(person, int) else person.pk
    updates = GoalUpdate.objects.filter(author_id=person_id, created_at__gte=since)
    if until is not None:
        updates = updates.filter(created_at__lt=until)
    return updates.select_related("goal", "goal__owner_person__user", "goal__owner_team")


def goals_of(
    *,
    person: Membership | int | None = None,
    people: Sequence[int] = (),
    period: tuple[date, date] | None = None,
) -> QuerySet[Goal]:
    """A person's own goals (including learning goals of development plans), or those of
    several `people` (ids, a bounded batch), optionally those overlapping a period. The
    caller decides who may see them."""
    goals = goal_queryset().filter(owner_kind=OwnerKind.PERSON)
    if person is not None:
        goals = goals.filter(owner_person_id=person if isinstance(person, int) else person.pk)
    else:
        goals = goals.filter(owner_person_id__in=list(people))
    if period is not None:
        first, last = period
        goals = goals.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=last),
            Q(due_date__isnull=True) | Q(due_date__gte=first),
        )
    return goals


# --- The home page's "what's next" -------------------------------------------------------


@dataclass(frozen=True)
class GoalSummary:
    due_soon: int
    needs_update: int
    to_agree: int


DUE_SOON = timedelta(days=14)


def whats_next_summary(*, actor: Membership, now: datetime | None = None) -> GoalSummary:
    """For the home page, in two queries: the person's own open goals due in the next two
    weeks, their active goals at risk or not updated in N days, and goals waiting for them
    to agree (proposed by a report, or proposed to them by a manager; team and organization
    goals proposed by someone below them; for HR admins and owners also the goals of people
    nobody manages and the shared goals proposed by someone with nobody above them)."""
    moment = now or timezone.now()
    today = timezone.localdate(moment, actor.organization.zone)
    reports = reports_below(manager=actor)
    owner_below = below_q(manager=actor, person_field="owner_person")
    own = Q(owner_kind=OwnerKind.PERSON, owner_person=actor)
    awaiting = Q(agreed_at__isnull=True, status__in=[GoalStatus.DRAFT, GoalStatus.ACTIVE])
    proposed_by_owner = Q(owner_kind=OwnerKind.PERSON, proposed_by_id=F("owner_person_id"))
    waiting_for_actor = (owner_below & proposed_by_owner) | (
        own & ~Q(proposed_by=actor) & Q(proposed_by__isnull=False)
    )
    # Team and organization goals proposed by someone below the actor (see policies).
    shared = Q(owner_kind__in=[OwnerKind.TEAM, OwnerKind.ORGANIZATION])
    waiting_for_actor |= shared & Q(proposed_by_id__in=reports)
    if actor.is_hr:
        # Nobody manages these people: HR admins and owners agree their goals (see policies).
        waiting_for_actor |= proposed_by_owner & Q(owner_person__manager__isnull=True) & ~own
        # Nobody is above who proposed these: HR admins and owners agree them.
        waiting_for_actor |= shared & Q(proposed_by__manager__isnull=True) & ~Q(proposed_by=actor)
    to_agree = awaiting & waiting_for_actor
    counts = Goal.objects.aggregate(
        due_soon=Count(
            "pk",
            filter=own
            & Q(status__in=[GoalStatus.DRAFT, GoalStatus.ACTIVE])
            & Q(due_date__gte=today, due_date__lte=today + DUE_SOON),
        ),
        needs_update=Count(
            "pk",
            filter=own & needs_attention_filter(organization=actor.organization, now=moment),
        ),
        to_agree=Count("pk", filter=to_agree),
    )
    return GoalSummary(**counts)

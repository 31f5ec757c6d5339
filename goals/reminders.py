"""Goal reminders, run by the periodic sweep (see perfmgmt/notifications/sweep.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from perfmgmt.localization import format_day
from perfmgmt.notifications.ledger import Due, deliver, keyset
from perfmgmt.notifications.models import subject_of
from perfmgmt.notifications.sweep import reminder
from perfmgmt.tenancy.models import MembershipStatus, Organization

from .models import Goal, GoalStatus, OwnerKind
from .services.goals import stale_after_days


def _goal_url(organization: Organization, goal: Goal) -> str:
    try:
        return reverse("goals:detail", kwargs={"org_slug": organization.slug, "goal_id": goal.pk})
    except NoReverseMatch:
        return reverse("notifications:inbox", kwargs={"org_slug": organization.slug})


@reminder("goal-not-updated")
def goal_not_updated(organization: Organization, now: datetime) -> int:
    """Owners of active goals with no update in N days (the organization's setting) get one
    reminder per period of N days without an update.

    The key names the goal, the moment it was last touched and how many whole periods have
    passed since, so a late, repeated or concurrent sweep sends nothing new, a new period of
    silence sends one more, and an update starts over.
    """
    days = stale_after_days(organization)
    stale_before = now - timedelta(days=days)
    goals = (
        Goal.objects.filter(
            owner_kind=OwnerKind.PERSON,
            status=GoalStatus.ACTIVE,
            owner_person__status=MembershipStatus.ACTIVE,
        )
        .filter(
            Q(last_update_at__lt=stale_before)
            | Q(last_update_at__isnull=True, created_at__lt=stale_before)
        )
        .select_related("owner_person__user")
    )
    return deliver(_due(organization, goal, now, days) for goal in keyset(goals))


def _due(organization: Organization, goal: Goal, now: datetime, days: int) -> Due:
    since = goal.last_update_at or goal.created_at
    periods = (now - since) // timedelta(days=days)
    owner = goal.owner_person
    assert owner is not None
    return Due(
        recipient=owner,
        kind="goal-not-updated",
        key=f"goal-not-updated:{goal.pk}:{since.timestamp():.0f}:{periods}",
        texts=partial(_texts, goal, since),
        url=_goal_url(organization, goal),
        subject=subject_of(goal),
    )


def _texts(goal: Goal, since: datetime) -> tuple[str, str]:
    title = gettext("Update your goal “%(title)s”") % {"title": goal.title}
    if goal.last_update_at is None:
        body = gettext(
            "It has had no update since it was created on %(day)s. A short update with "
            "your confidence helps your manager see how it is going."
        )
    else:
        body = gettext(
            "Its last update was on %(day)s. A short update with your confidence helps "
            "your manager see how it is going."
        )
    return title, body % {"day": format_day(since)}

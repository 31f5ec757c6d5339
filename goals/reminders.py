"""Goal reminders, run by the periodic sweep (see perfmgmt/notifications/sweep.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.db.models import (
    BigIntegerField,
    CharField,
    DateTimeField,
    Exists,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from perfmgmt.localization import format_day
from perfmgmt.notifications.ledger import Due, deliver_rows
from perfmgmt.notifications.models import Notification, subject_of
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
        .filter(~Exists(_reminded(now, days)))
        .select_related("owner_person__user")
    )
    return deliver_rows(goals, lambda page: [_due(organization, goal, now, days) for goal in page])


def _reminded(now: datetime, days: int) -> QuerySet[Notification]:
    """The goal's reminder of this period, its key built in SQL as `_due` builds it in
    Python, so a repeat sweep reads no goal at all. Only a shortcut: should the two ever
    differ (a timestamp on exactly half a second rounds differently), the ledger's own
    check of the Python key still keeps the reminder single."""
    since = Coalesce(OuterRef("last_update_at"), OuterRef("created_at"))
    seconds = Func(
        since,
        template="ROUND(EXTRACT(EPOCH FROM %(expressions)s))::bigint",
        output_field=BigIntegerField(),
    )
    elapsed = Func(
        Value(now, output_field=DateTimeField()),
        since,
        template=f"(FLOOR(EXTRACT(EPOCH FROM (%(expressions)s)) / {days * 86400}))::bigint",
        arg_joiner=" - ",
        output_field=BigIntegerField(),
    )
    key = Concat(
        Value("goal-not-updated:"),
        Cast(OuterRef("pk"), CharField()),
        Value(":"),
        Cast(seconds, CharField()),
        Value(":"),
        Cast(elapsed, CharField()),
        output_field=CharField(),
    )
    return Notification.objects.filter(recipient_id=OuterRef("owner_person_id"), key=key)


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

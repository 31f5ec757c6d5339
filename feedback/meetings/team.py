"""The manager's team page: one row per direct report, in a fixed number of queries.

Check-ins, feedback and goals come from their own parts of the product (their selectors
decide what they count); 1:1 facts come from the 1:1 series between the manager and each
report. Five queries in all, whatever the size of the team.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from perfmgmt.tenancy.models import Membership, MembershipStatus

from .models import ActionItem, Meeting, MeetingStatus, OneOnOneSeries
from .selectors import _count

FEEDBACK_WINDOW = timedelta(days=90)


@dataclass
class TeamRow:
    person: Membership
    series_id: int | None
    days_since_one_on_one: int | None
    next_meeting_at: datetime | None
    open_action_items: int
    last_checkin: Any = None
    feedback_given: int = 0
    feedback_received: int = 0
    goals_at_risk: list[Any] | None = None


def _pair(manager: Membership, prefix: str = "") -> Q:
    """Series between the manager and the outer row's person, whoever leads them."""
    return Q(**{f"{prefix}manager": manager, f"{prefix}report": OuterRef("pk")}) | Q(
        **{f"{prefix}manager": OuterRef("pk"), f"{prefix}report": manager}
    )


def team_overview(*, manager: Membership, now: datetime | None = None) -> list[TeamRow]:
    moment = now or timezone.now()
    held = Meeting.objects.filter(
        _pair(manager, "series__"), status=MeetingStatus.DONE, scheduled_for__lte=moment
    ).order_by("-scheduled_for")
    upcoming = Meeting.objects.filter(
        _pair(manager, "series__"), status=MeetingStatus.UPCOMING, scheduled_for__gte=moment
    ).order_by("scheduled_for")
    reports = list(
        Membership.objects.filter(manager=manager)
        .exclude(status=MembershipStatus.LEFT)
        .select_related("user", "team")
        .annotate(
            series_id=Subquery(OneOnOneSeries.objects.filter(_pair(manager)).values("pk")[:1]),
            last_one_on_one=Subquery(held.values("scheduled_for")[:1]),
            next_one_on_one=Subquery(upcoming.values("scheduled_for")[:1]),
            open_items=_count(
                ActionItem.objects.filter(_pair(manager, "series__"), done_at__isnull=True)
            ),
        )
    )
    rows = [
        TeamRow(
            person=person,
            series_id=person.series_id,
            days_since_one_on_one=(
                (moment - person.last_one_on_one).days if person.last_one_on_one else None
            ),
            next_meeting_at=person.next_one_on_one,
            open_action_items=person.open_items,
        )
        for person in reports
    ]
    if rows:
        _add_monitoring(rows, manager=manager, moment=moment)
    return rows


def _add_monitoring(rows: list[TeamRow], *, manager: Membership, moment: datetime) -> None:
    """Last check-in, feedback counts (only what the manager may read) and goals at risk."""
    from feedback.selectors import feedback_counts_for, last_checkins_for
    from goals.selectors import goals_at_risk_for

    # The same people as the rows, as a subquery: no statement grows with the team.
    people = Membership.objects.filter(manager=manager).exclude(status=MembershipStatus.LEFT)
    checkins = last_checkins_for(people)
    counts = feedback_counts_for(people, since=moment - FEEDBACK_WINDOW, viewer=manager)
    at_risk: dict[int, list[Any]] = {}
    for goal in goals_at_risk_for(people=people, now=moment):
        if goal.owner_person_id is not None:
            at_risk.setdefault(goal.owner_person_id, []).append(goal)
    for row in rows:
        row.last_checkin = checkins.get(row.person.pk)
        count = counts.get(row.person.pk)
        row.feedback_given = count.given if count else 0
        row.feedback_received = count.received if count else 0
        row.goals_at_risk = at_risk.get(row.person.pk, [])

"""The manager's team page: one row per direct report, in a fixed number of queries.

Check-ins, feedback and goals come from their own parts of the product (their selectors
decide what they count); 1:1 facts come from the 1:1 series between the manager and each
report. Every figure of a row is a correlated subquery of one statement over the reports,
and the goals at risk a second statement that reads the reports as a subquery: nothing in
either grows with the size of the team or the manager's reporting line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from perfmgmt.tenancy.models import Membership, MembershipStatus

from .models import ActionItem, Meeting, MeetingStatus, OneOnOneSeries
from .selectors import _count

FEEDBACK_WINDOW = timedelta(days=90)
# Days since the last 1:1 up to which it reads as recent, then as due; after that, overdue.
ONE_ON_ONE_RECENT_DAYS = 14
ONE_ON_ONE_DUE_DAYS = 30


@dataclass
class TeamRow:
    person: Membership
    series_id: int | None
    days_since_one_on_one: int | None
    next_meeting_at: datetime | None
    open_action_items: int
    overdue_action_items: int = 0
    checkin_score: int | None = None
    checkin_submitted_at: datetime | None = None
    feedback_given: int = 0
    feedback_received: int = 0
    goals_at_risk: list[Any] = field(default_factory=list)

    @property
    def one_on_one_state(self) -> str:
        """ "recent", "due", "overdue" or "never": what the cue beside the days shows."""
        days = self.days_since_one_on_one
        if days is None:
            return "never"
        if days <= ONE_ON_ONE_RECENT_DAYS:
            return "recent"
        return "due" if days <= ONE_ON_ONE_DUE_DAYS else "overdue"

    @property
    def one_on_one_fill(self) -> int:
        """How full the days bar is, in fifths of `ONE_ON_ONE_DUE_DAYS` (0 to 5)."""
        days = self.days_since_one_on_one
        if days is None:
            return 5
        return min(5, -(-days * 5 // ONE_ON_ONE_DUE_DAYS))


def _pair(manager: Membership, prefix: str = "") -> Q:
    """Series between the manager and the outer row's person, whoever leads them."""
    return Q(**{f"{prefix}manager": manager, f"{prefix}report": OuterRef("pk")}) | Q(
        **{f"{prefix}manager": OuterRef("pk"), f"{prefix}report": manager}
    )


def _reports(manager: Membership) -> QuerySet[Membership]:
    return Membership.objects.filter(manager=manager).exclude(status=MembershipStatus.LEFT)


def _annotated_reports(manager: Membership, moment: datetime) -> QuerySet[Any]:
    """The reports, each with its 1:1, action item, check-in and feedback figures."""
    from feedback.selectors import feedback_about, latest_checkins

    today = timezone.localdate(moment, manager.organization.zone)
    since = moment - FEEDBACK_WINDOW
    held = Meeting.objects.filter(
        _pair(manager, "series__"), status=MeetingStatus.DONE, scheduled_for__lte=moment
    ).order_by("-scheduled_for")
    upcoming = Meeting.objects.filter(
        _pair(manager, "series__"), status=MeetingStatus.UPCOMING, scheduled_for__gte=moment
    ).order_by("scheduled_for")
    open_items = ActionItem.objects.filter(_pair(manager, "series__"), done_at__isnull=True)
    checkins = latest_checkins(OuterRef("pk"))
    return (
        _reports(manager)
        .select_related("user", "team")
        .annotate(
            series_id=Subquery(OneOnOneSeries.objects.filter(_pair(manager)).values("pk")[:1]),
            last_one_on_one=Subquery(held.values("scheduled_for")[:1]),
            next_one_on_one=Subquery(upcoming.values("scheduled_for")[:1]),
            open_items=_count(open_items),
            overdue_items=_count(open_items.filter(due_date__lt=today)),
            checkin_score=Subquery(checkins.values("score")[:1]),
            checkin_submitted_at=Subquery(checkins.values("submitted_at")[:1]),
            given=_count(feedback_about(viewer=manager, since=since, giver=OuterRef("pk"))),
            received=_count(feedback_about(viewer=manager, since=since, recipient=OuterRef("pk"))),
        )
    )


def team_overview(*, manager: Membership, now: datetime | None = None) -> list[TeamRow]:
    """One row per direct report still here, in two statements whatever the team's size."""
    from goals.selectors import goals_at_risk_for

    moment = now or timezone.now()
    rows = [
        TeamRow(
            person=person,
            series_id=person.series_id,
            days_since_one_on_one=(
                (moment - person.last_one_on_one).days if person.last_one_on_one else None
            ),
            next_meeting_at=person.next_one_on_one,
            open_action_items=person.open_items,
            overdue_action_items=person.overdue_items,
            checkin_score=person.checkin_score,
            checkin_submitted_at=person.checkin_submitted_at,
            feedback_given=person.given,
            feedback_received=person.received,
        )
        for person in _annotated_reports(manager, moment)
    ]
    if rows:
        by_person = {row.person.pk: row for row in rows}
        for goal in goals_at_risk_for(people=_reports(manager), now=moment):
            row = by_person.get(goal.owner_person_id or 0)
            if row is not None:
                row.goals_at_risk.append(goal)
    return rows

"""Rows at chosen moments for the analytics tests (the services stamp "now"; the figures
are about months gone by), and a reader of the figures as the page and the file show them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import translation

from feedback.meetings.models import Meeting, MeetingStatus, OneOnOneSeries
from feedback.models import CheckIn, CheckInStatus, Feedback, FeedbackVisibility
from goals.models import Goal, GoalStatus
from perfmgmt.analytics.scope import Period
from perfmgmt.analytics.selectors import analytics_scope, metric_figures, period_for
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, Team
from tests.goals.factories import GoalFactory

Figures = dict[tuple[str, str, str], str]


def checkin_at(person: Membership, moment: datetime, *, draft: bool = False) -> CheckIn:
    """A check-in of the week holding `moment`, submitted then (a draft is never submitted)."""
    start = moment.date() - timedelta(days=moment.weekday())
    with organization_scope(person.organization):
        return CheckIn.objects.create(
            person=person,
            period_start=start,
            period_end=start + timedelta(days=6),
            due_on=start + timedelta(days=4),
            answers=["Done", "", ""],
            status=CheckInStatus.DRAFT if draft else CheckInStatus.SUBMITTED,
            submitted_at=None if draft else moment,
        )


def meeting_at(
    manager: Membership, report: Membership, moment: datetime, *, done: bool = True
) -> Meeting:
    with organization_scope(manager.organization):
        series, _created = OneOnOneSeries.objects.get_or_create(
            manager=manager, report=report, defaults={"created_by": manager}
        )
        status = MeetingStatus.DONE if done else MeetingStatus.UPCOMING
        return Meeting.objects.create(series=series, scheduled_for=moment, status=status)


def feedback_at(
    giver: Membership,
    recipient: Membership,
    moment: datetime,
    visibility: str = FeedbackVisibility.PRIVATE,
) -> Feedback:
    with organization_scope(giver.organization):
        return Feedback.objects.create(
            giver=giver,
            recipient=recipient,
            situation="In the review",
            visibility=visibility,
            created_at=moment,
        )


def goal_due(
    person: Membership, due: date, status: str = GoalStatus.ACTIVE, progress: str = "0"
) -> Goal:
    goal: Goal = GoalFactory.create(
        organization=person.organization,
        owner_person=person,
        due_date=due,
        status=status,
        progress=Decimal(progress),
    )
    return goal


def figures_for(reader: Membership, *, team: Team | None = None, months: int = 12) -> Figures:
    """Every figure `reader` reads, by (table, row, column), as the page prints it."""
    with organization_scope(reader.organization), translation.override("en"):
        scope = analytics_scope(actor=reader, team=team)
        period: Period = period_for(scope, months)
        return {
            (table.key, row.label, column): str(figure)
            for found in metric_figures(scope=scope, period=period)
            for table in found.tables
            for row in table.rows
            for column, figure in zip(table.columns, row.figures, strict=True)
        }

"""The goal page's history chart: dates on its axis in the organization's time zone, the
target line, and the same figures as a table (issue 10, item 13)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from goals.charts import LEFT, WIDTH, goal_chart
from goals.models import Goal
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople

from .factories import create_goal, post_update

pytestmark = pytest.mark.django_db

ClientFor = Callable[[Membership], Client]
BERLIN = ZoneInfo("Europe/Berlin")
# 23:30 in London's winter (UTC) is already the next day in Berlin.
LATE_EVENING_UTC = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)


def latency_goal(org: OrgPeople, **kwargs: object) -> Goal:
    return create_goal(
        org.report,
        title="Cut p95 latency",
        unit="ms",
        start_value=Decimal("800"),
        target_value=Decimal("300"),
        start_date=date(2026, 1, 1),
        due_date=date(2026, 12, 31),
        **kwargs,
    )


def history(goal: Goal) -> list:
    with organization_scope(goal.organization):
        return list(goal.updates.select_related("author").order_by("created_at", "id"))


def test_one_update_is_drawn_on_a_dated_axis_from_the_start_to_the_due_date(
    org: OrgPeople,
) -> None:
    goal = latency_goal(org)
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        post_update(org.report, goal, value=Decimal("550"))
    chart = goal_chart(goal, history(goal), zone=BERLIN)
    assert chart is not None
    labels = [tick.label for tick in chart.x_ticks]
    assert labels[0] == "1 Jan 2026"
    assert labels[-1] == "31 Dec"
    assert len(labels) >= 3
    start, update = chart.points
    assert (start.x, start.percent) == (LEFT, 0), "a measure starts at 0% on its start date"
    assert start.x < update.x < WIDTH / 2, "mid-March sits early in the year"
    assert update.percent == 50
    assert update.label == "11 Mar 2026: 50%"
    assert chart.target_label == "Target: 300 ms by 31 Dec"
    assert chart.target_y < update.y, "the target line is above the progress"
    assert chart.rows[0].when == "11 Mar 2026, 00:30"
    assert "1 update" in chart.summary


def test_without_dates_the_axis_runs_from_the_goals_creation_to_its_last_update(
    org: OrgPeople,
) -> None:
    with time_machine.travel(datetime(2026, 2, 1, 9, tzinfo=UTC), tick=False):
        goal = create_goal(org.report, title="Grow the newsletter", unit="subscribers")
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        post_update(org.report, goal, value=Decimal("20"))
    chart = goal_chart(goal, history(goal), zone=BERLIN)
    assert chart is not None
    assert chart.x_ticks[0].label == "1 Feb 2026"
    assert chart.x_ticks[-1].label == "11 Mar"
    assert [point.percent for point in chart.points] == [20]
    assert chart.target_label == "Target: 100 subscribers"


def test_no_chart_before_the_first_update(org: OrgPeople) -> None:
    goal = latency_goal(org)
    assert goal_chart(goal, history(goal), zone=BERLIN) is None


def test_the_goal_page_draws_dates_the_target_and_a_table_in_the_organizations_zone(
    org: OrgPeople, client_for: ClientFor
) -> None:
    goal = latency_goal(org)
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        post_update(org.report, goal, value=Decimal("550"), comment="Caching is live")
    url = reverse("goals:detail", args=[org.organization.slug, goal.pk])
    page = client_for(org.manager).get(url).content.decode()
    svg = page.split('<figure class="goal-chart">', 1)[1].split("</svg>", 1)[0]
    assert 'class="goal-chart-label goal-chart-date"' in svg
    assert ">1 Jan 2026</text>" in svg
    assert 'class="goal-chart-target"' in svg
    assert "Target: 300 ms by 31 Dec" in svg
    assert "<polyline" in svg
    table = page.split('id="goal-chart-table"', 1)[1].split("</table>", 1)[0]
    assert "11 Mar 2026, 00:30" in table
    assert "550 ms" in table
    assert "10 Mar 2026 23:30" not in page, "no time is shown in UTC"

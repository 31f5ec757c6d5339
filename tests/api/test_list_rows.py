"""The list endpoints answer each row exactly as their detail endpoint answers the object.

The lists have PostgreSQL write their pages (`JsonRows`); the detail endpoints read model
instances and present them with the serializer the OpenAPI description is built from. For
the same data and reader the two must be the same object: every field, every guarded part
(rewards, details, readable linked goals), every format (dates, date-times, decimals), in
the organization's zone (the test organizations are in Europe/Berlin) and in UTC (where the
page's text is embedded as PostgreSQL wrote it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers
from rest_framework.test import APIClient

from feedback.models import CheckInGoal, Feedback
from goals.models import Goal, Milestone, OwnerKind, Visibility
from perfmgmt.api.jsonrows import JsonRows
from perfmgmt.api.models import Scope
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, Organization
from tests.api.conftest import create_key, key_client
from tests.conftest import OrgPeople
from tests.feedback.factories import make_checkin_for_period, make_feedback
from tests.feedback.meetings.factories import make_meeting, make_series
from tests.goals.factories import GoalFactory

pytestmark = pytest.mark.django_db

ApiAs = Callable[[Membership], APIClient]
READ_SCOPES = [Scope.GOALS_READ, Scope.MEMBERS_READ, Scope.ONE_ON_ONES_READ]


def _base(org: OrgPeople) -> str:
    return f"/api/v1/orgs/{org.organization.slug}/"


def assert_rows_are_the_details(
    client: APIClient, org: OrgPeople, resource: str, drop: tuple[str, ...] = ()
) -> int:
    response = client.get(f"{_base(org)}{resource}/", {"page_size": 200})
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    for row in rows:
        detail = client.get(f"{_base(org)}{resource}/{row['id']}/")
        assert detail.status_code == 200, (resource, row["id"], detail.content)
        expected = {key: value for key, value in detail.json().items() if key not in drop}
        assert row == expected, (resource, row["id"])
    return len(rows)


def _nameless(person: Membership) -> None:
    """Shown by their login's email."""
    with organization_scope(person.organization):
        Membership.objects.filter(pk=person.pk).update(full_name="")


def _goals(org: OrgPeople) -> None:
    _nameless(org.report2)
    mine = GoalFactory.create(
        organization=org.organization,
        owner_person=org.report,
        visibility=Visibility.OWNER_AND_MANAGERS,
        current_value=Decimal("12.5"),
        progress=Decimal("0.125"),
        weight=Decimal("2.5"),
        start_date=date(2026, 1, 1),
        due_date=date(2026, 6, 30),
        reward_text="A day off",
        reward_amount=Decimal("250"),
    )
    GoalFactory.create(
        organization=org.organization,
        owner_person=org.report,
        parent=mine,
        title="Key result",
        visibility=Visibility.EVERYONE,
        reward_text="Hidden from colleagues",
    )
    GoalFactory.create(organization=org.organization, owner_person=org.report2)
    GoalFactory.create(
        organization=org.organization,
        owner_kind=OwnerKind.TEAM,
        owner_person=None,
        owner_team=org.report.team,
        visibility=Visibility.EVERYONE,
        start_value=None,
        target_value=None,
        current_value=None,
    )
    GoalFactory.create(
        organization=org.organization,
        owner_kind=OwnerKind.ORGANIZATION,
        owner_person=None,
        visibility=Visibility.EVERYONE,
    )
    with organization_scope(org.organization):
        for order, title in enumerate(["Draft", "Pilot"]):
            Milestone.objects.create(
                organization=org.organization, goal=mine, title=title, order=2 - order
            )


@pytest.mark.parametrize("who", ["owner", "manager", "report", "colleague", "key"])
def test_goal_and_key_result_rows_are_their_details(
    org: OrgPeople, api_as: ApiAs, who: str
) -> None:
    _goals(org)
    if who == "key":
        client = key_client(create_key(org, READ_SCOPES)[1])
    else:
        client = api_as(getattr(org, who))

    assert assert_rows_are_the_details(client, org, "goals", drop=("capabilities",)) >= 3
    assert assert_rows_are_the_details(client, org, "key-results", drop=("capabilities",)) == 1


@pytest.mark.parametrize("who", ["owner", "manager", "report", "colleague", "key"])
def test_member_rows_are_their_details(org: OrgPeople, api_as: ApiAs, who: str) -> None:
    _nameless(org.report2)
    with organization_scope(org.organization):
        Membership.objects.filter(pk=org.report.pk).update(
            external_id="HR-7", start_date=date(2025, 3, 1)
        )
    if who == "key":
        client = key_client(create_key(org, READ_SCOPES)[1])
    else:
        client = api_as(getattr(org, who))

    assert assert_rows_are_the_details(client, org, "members") >= 6


@pytest.mark.parametrize("who", ["manager", "report", "colleague"])
def test_feedback_rows_are_their_details(org: OrgPeople, api_as: ApiAs, who: str) -> None:
    _nameless(org.report2)
    make_feedback(org.colleague, org.report, Feedback.Visibility.RECIPIENT_AND_MANAGER)
    make_feedback(org.colleague, org.report, Feedback.Visibility.MANAGER_ONLY)
    make_feedback(org.report2, org.report, Feedback.Visibility.PRIVATE)
    make_feedback(org.report, org.colleague, Feedback.Visibility.PRIVATE)

    assert assert_rows_are_the_details(api_as(getattr(org, who)), org, "feedback") >= 1


def _checkins_with_goals(org: OrgPeople) -> None:
    _nameless(org.report2)
    readable = GoalFactory.create(
        organization=org.organization, owner_person=org.report, due_date=date(2026, 9, 1)
    )
    earlier = GoalFactory.create(
        organization=org.organization, owner_person=org.report, due_date=date(2026, 3, 1)
    )
    # A colleague's private goal: the check-in names it, its readers do not all see it.
    hidden = GoalFactory.create(
        organization=org.organization,
        owner_person=org.colleague,
        visibility=Visibility.OWNER_AND_MANAGERS,
    )
    for week, person in enumerate([org.report, org.report, org.report2]):
        checkin = make_checkin_for_period(person, date(2026, 1, 5) + timedelta(weeks=week))
        with organization_scope(org.organization):
            for goal in (readable, hidden, earlier):
                CheckInGoal.objects.create(
                    organization=org.organization, checkin=checkin, goal=goal
                )


@pytest.mark.parametrize("who", ["manager", "report", "owner"])
def test_check_in_rows_are_their_details_with_only_readable_goals(
    org: OrgPeople, api_as: ApiAs, who: str
) -> None:
    _checkins_with_goals(org)
    client = api_as(getattr(org, who))

    assert_rows_are_the_details(client, org, "checkins")
    rows = client.get(f"{_base(org)}checkins/").json()["results"]
    if who == "manager":
        with organization_scope(org.organization):
            hidden = Goal.objects.get(owner_person=org.colleague).pk
        assert len(rows) == 3
        assert all(len(row["goals"]) == 2 and hidden not in row["goals"] for row in rows)


def test_the_check_in_list_asks_no_second_visibility_query(org: OrgPeople, api_as: ApiAs) -> None:
    _checkins_with_goals(org)
    client = api_as(org.manager)
    client.get(f"{_base(org)}checkins/")  # warm up the session

    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{_base(org)}checkins/")

    assert len(response.json()["results"]) == 3
    statements = [query["sql"] for query in captured.captured_queries]
    reading_checkins = [sql for sql in statements if 'FROM "feedback_checkin"' in sql]
    reading_goals = [sql for sql in statements if '"goals_goal"' in sql]
    assert len(reading_checkins) == 1
    assert reading_goals == reading_checkins  # the readable goals come in the same statement


@pytest.mark.parametrize("who", ["manager", "report", "key"])
def test_meeting_rows_are_their_details(org: OrgPeople, api_as: ApiAs, who: str) -> None:
    series = make_series(org.manager, org.report)
    make_meeting(series, days_from_now=-7)
    make_meeting(series, days_from_now=3)
    make_meeting(make_series(org.manager, org.report2), days_from_now=5)
    if who == "key":
        client = key_client(create_key(org, READ_SCOPES)[1])
    else:
        client = api_as(getattr(org, who))

    assert assert_rows_are_the_details(client, org, "one-on-ones/meetings") >= 2


def _in_utc(org: OrgPeople) -> None:
    Organization.objects.filter(pk=org.organization.pk).update(time_zone="UTC")


@pytest.mark.parametrize("who", ["manager", "key"])
def test_rows_written_in_utc_are_their_details(org: OrgPeople, api_as: ApiAs, who: str) -> None:
    """In UTC the page is PostgreSQL's text as it is: date-times with and without
    microseconds, decimals at their scale, names, milestones, hidden rewards."""
    _in_utc(org)
    _goals(org)
    with organization_scope(org.organization):
        Goal.objects.filter(title="Key result").update(
            created_at=datetime(2026, 2, 3, 4, 5, 6, tzinfo=UTC),
            last_update_at=datetime(2026, 2, 3, 4, 5, 6, 7, tzinfo=UTC),
        )
    series = make_series(org.manager, org.report)
    make_meeting(series, days_from_now=-7)
    client = key_client(create_key(org, READ_SCOPES)[1]) if who == "key" else api_as(org.manager)

    assert assert_rows_are_the_details(client, org, "goals", drop=("capabilities",)) >= 3
    assert assert_rows_are_the_details(client, org, "members") >= 6
    assert assert_rows_are_the_details(client, org, "one-on-ones/meetings") == 1
    row = next(
        goal
        for goal in client.get(f"{_base(org)}goals/").json()["results"]
        if goal["title"] == "Key result"
    )
    assert (row["created_at"], row["last_update_at"]) == (
        "2026-02-03T04:05:06Z",
        "2026-02-03T04:05:06.000007Z",
    )


def test_an_indented_page_and_the_browsable_page_show_the_same_rows(
    org: OrgPeople, api_as: ApiAs
) -> None:
    _in_utc(org)
    _goals(org)
    client = api_as(org.manager)
    plain = client.get(f"{_base(org)}goals/").json()

    indented = client.get(f"{_base(org)}goals/", HTTP_ACCEPT="application/json; indent=2")
    browsable = client.get(f"{_base(org)}goals/", {"format": "api"})

    assert indented.status_code == 200
    assert indented.content.startswith(b'{\n  "next"')
    assert indented.json() == plain
    assert browsable.status_code == 200
    assert browsable["Content-Type"].startswith("text/html")
    assert plain["results"][0]["title"].encode() in browsable.content


class _Nested(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    parts = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    secret = serializers.CharField(write_only=True)


def test_written_rows_refuse_a_field_that_is_not_a_column_unless_given_as_sql() -> None:
    with pytest.raises(TypeError, match="parts"):
        _ = JsonRows(_Nested, model=Goal).statement

    statement = JsonRows(_Nested, model=Goal, sql={"parts": "ARRAY[t.id]"}).statement

    assert 't."id" AS "id", ARRAY[t.id] AS "parts"' in statement
    assert "secret" not in statement


def test_written_rows_refuse_sql_for_a_field_the_serializer_does_not_have() -> None:
    with pytest.raises(TypeError, match="nonsense"):
        _ = JsonRows(_Nested, model=Goal, sql={"parts": "1", "nonsense": "2"}).statement


class _Shaped(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    weight = serializers.DecimalField(max_digits=8, decimal_places=3, read_only=True)


def test_written_rows_refuse_a_decimal_at_another_scale_than_its_column() -> None:
    # Goal.weight is numeric(8, 2): its text would not be what DRF writes at 3 places.
    with pytest.raises(TypeError, match="weight"):
        _ = JsonRows(_Shaped, model=Goal).statement


def test_written_rows_select_the_ids_and_what_the_rules_decided_and_no_more() -> None:
    written = JsonRows(
        _Nested,
        model=Goal,
        sql={"parts": "1"},
        carried={"reward_visible": "boolean"},
        pooled=("readable_goal_ids",),
        also=("visibility", "id"),
    )

    assert written.columns == ("id", "reward_visible", "readable_goal_ids", "visibility")


def test_a_nested_list_is_ordered_as_its_models_querysets_are() -> None:
    from feedback.models import CheckInCadence
    from goals.models import GoalUpdate
    from perfmgmt.api.jsonrows import ordering_sql

    assert ordering_sql(Goal, "g") == 'g."due_date", g."id"'
    assert ordering_sql(GoalUpdate, "u") == 'u."created_at" DESC, u."id" DESC'
    # An order through a relation has no column of the table: refused, not guessed.
    with pytest.raises(TypeError, match="team__name"):
        ordering_sql(CheckInCadence, "c")

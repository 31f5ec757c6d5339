"""Goals, key results and goal updates over the REST API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from goals.models import Goal, GoalStatus, GoalUpdate, OwnerKind, Visibility
from perfmgmt.api.models import Scope
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople

from .factories import GoalFactory, create_goal, post_update

pytestmark = pytest.mark.django_db

ApiAs = Callable[[Membership], APIClient]


def url(
    org: OrgPeople, resource: str = "goals", object_id: int | None = None, tail: str = ""
) -> str:
    path = f"/api/v1/orgs/{org.organization.slug}/{resource}/"
    if object_id is not None:
        path += f"{object_id}/"
    return path + tail


def test_a_person_proposes_a_goal_and_reads_it_back(org: OrgPeople, api_as: ApiAs) -> None:
    response = api_as(org.report).post(
        url(org),
        {
            "owner_kind": "person",
            "owner_person": org.report.pk,
            "title": "Cut p95 response time",
            "goal_type": "quantitative",
            "unit": "ms",
            "start_value": "800",
            "target_value": "300",
            "start_date": "2026-01-01",
            "due_date": "2026-06-30",
            "milestones": [],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert body["needs_agreement"] is True
    assert body["proposed_by"] == org.report.pk
    assert body["progress"] == "0.0000"
    read = api_as(org.manager).get(url(org, object_id=body["id"]))
    assert read.json()["title"] == "Cut p95 response time"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start_value": "5", "target_value": "5"}, "target_value"),
        ({"start_date": "2026-06-01", "due_date": "2026-05-01"}, "due_date"),
        ({"start_value": "abc"}, "start_value"),
        ({"owner_person": 2**70}, "owner_person"),
    ],
)
def test_bad_input_is_a_400_with_field_messages_and_changes_nothing(
    org: OrgPeople, api_as: ApiAs, changes: dict[str, object], field: str
) -> None:
    data = {
        "owner_kind": "person",
        "owner_person": org.report.pk,
        "title": "A goal",
        "start_value": "0",
        "target_value": "10",
        **changes,
    }
    response = api_as(org.report).post(url(org), data, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    with organization_scope(org.organization):
        assert not Goal.objects.exists()


def test_a_parent_in_another_organization_is_an_unknown_goal(
    org: OrgPeople, other_org: OrgPeople, api_as: ApiAs
) -> None:
    theirs = create_goal(other_org.report)
    response = api_as(org.report).post(
        url(org),
        {"owner_kind": "person", "owner_person": org.report.pk, "title": "Mine",
         "start_value": "0", "target_value": "1", "parent": theirs.pk},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"parent": ["Unknown goal."]}


def test_making_a_cycle_is_a_400_and_changes_nothing(org: OrgPeople, api_as: ApiAs) -> None:
    top = create_goal(org.report, title="Top")
    below = create_goal(org.report, title="Below", parent=top)
    response = api_as(org.report).patch(
        url(org, object_id=top.pk), {"parent": below.pk}, format="json"
    )
    assert response.status_code == 400
    assert "cycle" in response.json()["error"]["fields"]["parent"][0]
    with organization_scope(org.organization):
        assert Goal.objects.get(pk=top.pk).parent_id is None


def test_someone_without_visibility_gets_404_for_read_and_change(
    org: OrgPeople, api_as: ApiAs
) -> None:
    private = create_goal(org.report, visibility=Visibility.OWNER_AND_MANAGERS)
    client = api_as(org.colleague)
    assert client.get(url(org, object_id=private.pk)).status_code == 404
    assert (
        client.patch(url(org, object_id=private.pk), {"title": "x"}, format="json").status_code
        == 404
    )
    listed = client.get(url(org)).json()["results"]
    assert private.pk not in [goal["id"] for goal in listed]


def test_a_reader_who_may_not_change_a_goal_gets_403(org: OrgPeople, api_as: ApiAs) -> None:
    public = create_goal(org.report, visibility=Visibility.EVERYONE)
    response = api_as(org.colleague).patch(
        url(org, object_id=public.pk), {"title": "x"}, format="json"
    )
    assert response.status_code == 403


def test_the_manager_agrees_with_a_reward_and_the_owner_posts_an_update(
    org: OrgPeople, api_as: ApiAs
) -> None:
    goal = create_goal(org.report)
    agreed = api_as(org.manager).post(
        url(org, object_id=goal.pk, tail="agree/"),
        {"reward_text": "Team dinner", "reward_amount": "200.00"},
        format="json",
    )
    assert agreed.status_code == 200, agreed.json()
    assert agreed.json()["agreed_by"] == org.manager.pk
    assert agreed.json()["reward_amount"] == "200.00"
    posted = api_as(org.report).post(
        url(org, "goal-updates"),
        {"goal": goal.pk, "value": "25", "confidence": "at_risk", "comment": "Slow start"},
        format="json",
    )
    assert posted.status_code == 201, posted.json()
    assert posted.json()["progress"] == "0.2500"
    read = api_as(org.manager).get(url(org, object_id=goal.pk)).json()
    assert read["last_confidence"] == "at_risk"
    history = api_as(org.manager).get(url(org, "goal-updates"), {"goal": goal.pk}).json()
    assert [u["comment"] for u in history["results"]] == ["Slow start"]


def test_only_the_author_corrects_an_update(org: OrgPeople, api_as: ApiAs) -> None:
    goal = create_goal(org.report)
    posted = (
        api_as(org.report)
        .post(url(org, "goal-updates"), {"goal": goal.pk, "confidence": "on_track"}, format="json")
        .json()
    )
    by_manager = api_as(org.manager).patch(
        url(org, "goal-updates", posted["id"]), {"comment": "No"}, format="json"
    )
    assert by_manager.status_code == 403
    by_author = api_as(org.report).patch(
        url(org, "goal-updates", posted["id"]), {"confidence": "off_track"}, format="json"
    )
    assert by_author.json()["confidence"] == "off_track"


def test_key_results_are_measured_children_owned_like_their_parent(
    org: OrgPeople, api_as: ApiAs
) -> None:
    objective = create_goal(
        org.manager, owner_kind=OwnerKind.TEAM, owner_team=org.report.team, title="Happy users"
    )
    created = api_as(org.manager).post(
        url(org, "key-results"),
        {"parent": objective.pk, "title": "NPS to 50", "start_value": "30", "target_value": "50"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["owner_kind"] == "team"
    listed = api_as(org.manager).get(url(org, "key-results")).json()["results"]
    assert [kr["id"] for kr in listed] == [created.json()["id"]]
    # The objective itself is not a key result.
    assert api_as(org.manager).get(url(org, "key-results", objective.pk)).status_code == 404


def test_filters_by_owner_team_status_period_and_due_dates(org: OrgPeople, api_as: ApiAs) -> None:
    make = GoalFactory.create
    early = make(
        organization=org.organization,
        owner_person=org.report,
        start_date=date(2026, 1, 1),
        due_date=date(2026, 3, 31),
    )
    late = make(
        organization=org.organization,
        owner_person=org.report2,
        start_date=date(2026, 10, 1),
        due_date=date(2026, 12, 31),
        status=GoalStatus.COMPLETED,
    )
    team = make(organization=org.organization, owner_kind=OwnerKind.TEAM,
                owner_team=org.report.team, due_date=date(2026, 6, 30))  # fmt: skip
    client = api_as(org.hr)

    def ids(**params: Any) -> set[int]:
        response = client.get(url(org), params)
        assert response.status_code == 200, response.json()
        return {goal["id"] for goal in response.json()["results"]}

    assert ids(owner=org.report.pk) == {early.pk}
    assert ids(team=org.report.team_id) == {early.pk, late.pk, team.pk}
    assert ids(status="completed") == {late.pk}
    # The team goal has no start date: it is open from the beginning, so it overlaps Q1.
    assert ids(period="2026-Q1") == {early.pk, team.pk}
    assert ids(period="2026-Q4") == {late.pk}
    assert ids(due_before="2026-06-30") == {early.pk, team.pk}
    assert ids(due_after="2026-07-01") == {late.pk}
    bad = client.get(url(org), {"period": "last year"})
    assert bad.status_code == 400
    assert "period" in bad.json()["error"]["fields"]


def test_pages_follow_a_cursor(org: OrgPeople, api_as: ApiAs) -> None:
    for _ in range(5):
        GoalFactory.create(organization=org.organization, owner_person=org.report)
    first = api_as(org.hr).get(url(org), {"page_size": 2}).json()
    assert len(first["results"]) == 2
    assert first["next"]
    seen = [goal["id"] for goal in first["results"]]
    following = api_as(org.hr).get(first["next"]).json()
    assert not set(seen) & {goal["id"] for goal in following["results"]}


def test_api_keys_need_the_goal_scopes(
    org: OrgPeople, api_with_key: Callable[..., APIClient]
) -> None:
    create_goal(org.report)
    without = api_with_key(org, scopes=[Scope.MEMBERS_READ])
    assert without.get(url(org)).status_code == 403
    reader = api_with_key(org, scopes=[Scope.GOALS_READ])
    assert len(reader.get(url(org)).json()["results"]) == 1
    assert reader.post(url(org), {"title": "x"}, format="json").status_code == 403


@pytest.mark.parametrize("resource", ["goals", "key-results", "goal-updates"])
def test_a_list_runs_the_same_number_of_queries_at_5_and_at_50_rows(
    org: OrgPeople, api_as: ApiAs, resource: str
) -> None:
    client = api_as(org.manager)

    def add(count: int) -> None:
        for i in range(count):
            parent = GoalFactory.create(
                organization=org.organization, owner_kind=OwnerKind.TEAM, owner_team=org.report.team
            )
            goal = GoalFactory.create(organization=org.organization, parent=parent,
                               owner_person=org.report if i % 2 else org.report2)  # fmt: skip
            with organization_scope(org.organization):
                goal.milestones.create(organization=org.organization, title="Step")
                GoalUpdate.objects.create(
                    organization=org.organization,
                    goal=goal,
                    author=org.report,
                    confidence="on_track",
                )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url(org, resource), {"page_size": 200})
        assert response.status_code == 200
        return len(captured)

    add(5)
    at_five = queries()
    add(45)
    assert queries() == at_five


def test_a_manager_assigns_a_goal_to_a_list_of_people_and_a_team(
    org: OrgPeople, api_as: ApiAs
) -> None:
    parent = create_goal(org.manager, owner_kind=OwnerKind.TEAM, owner_team=org.report.team)
    response = api_as(org.manager).post(
        url(org, tail="assign/"),
        {"people": [org.report.pk], "team": org.report.team_id, "title": "Pass the audit",
         "start_value": "0", "target_value": "1", "parent": parent.pk},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    copies = response.json()
    assert sorted(goal["owner_person"] for goal in copies) == sorted(
        [org.report.pk, org.report2.pk]
    )
    assert {goal["parent"] for goal in copies} == {parent.pk}
    refused = api_as(org.manager).post(
        url(org, tail="assign/"),
        {"people": [org.colleague.pk], "title": "x", "start_value": "0", "target_value": "1"},
        format="json",
    )
    assert refused.status_code == 403


def test_a_goal_one_may_not_read_is_an_unknown_goal_in_a_request_body(
    org: OrgPeople, other_org: OrgPeople, api_as: ApiAs
) -> None:
    private = create_goal(org.report, visibility=Visibility.OWNER_AND_MANAGERS)
    theirs = create_goal(other_org.report)
    client = api_as(org.colleague)
    for goal_id in (private.pk, theirs.pk):
        update = client.post(
            url(org, "goal-updates"), {"goal": goal_id, "confidence": "on_track"}, format="json"
        )
        key_result = client.post(
            url(org, "key-results"),
            {"parent": goal_id, "title": "x", "start_value": "0", "target_value": "1"},
            format="json",
        )
        assert (update.status_code, update.json()["error"]["fields"]) == (
            400,
            {"goal": ["Unknown goal."]},
        )
        assert (key_result.status_code, key_result.json()["error"]["fields"]) == (
            400,
            {"parent": ["Unknown goal."]},
        )
    with organization_scope(org.organization):
        assert not GoalUpdate.objects.exists()
        assert Goal.objects.count() == 1


@pytest.mark.parametrize(
    ("moment", "status_code"),
    [
        ("0985-07-04T09:36:37.7-20:01", 200),  # an odd offset is read as UTC, not a 500
        ("0001-01-01T00:00:00+05:00", 400),  # before the year 1 in UTC
        ("yesterday", 400),
    ],
)
def test_a_moment_in_a_filter_is_read_in_utc_or_refused(
    org: OrgPeople, api_as: ApiAs, moment: str, status_code: int
) -> None:
    response = api_as(org.hr).get(url(org, "goal-updates"), {"created_after": moment})
    assert response.status_code == status_code
    if status_code == 400:
        assert "created_after" in response.json()["error"]["fields"]


def test_a_moment_with_an_offset_filters_in_utc(org: OrgPeople, api_as: ApiAs) -> None:
    goal = create_goal(org.report)
    post_update(org.report, goal, value=Decimal("1"))
    client = api_as(org.hr)
    before = client.get(url(org, "goal-updates"), {"created_after": "2000-01-01T00:00:00+14:00"})
    after = client.get(url(org, "goal-updates"), {"created_after": "2999-01-01T00:00:00-12:00"})
    assert len(before.json()["results"]) == 1
    assert after.json()["results"] == []


def test_goal_updates_filter_by_period(org: OrgPeople, api_as: ApiAs) -> None:
    goal = create_goal(org.report)
    with time_machine.travel(datetime(2026, 2, 10, 12, tzinfo=UTC), tick=False):
        post_update(org.report, goal, value=Decimal("1"), comment="February")
    with time_machine.travel(datetime(2026, 8, 10, 12, tzinfo=UTC), tick=False):
        post_update(org.report, goal, value=Decimal("2"), comment="August")
    client = api_as(org.manager)
    q1 = client.get(url(org, "goal-updates"), {"period": "2026-Q1"}).json()["results"]
    assert [update["comment"] for update in q1] == ["February"]
    assert client.get(url(org, "goal-updates"), {"period": "Q1"}).status_code == 400

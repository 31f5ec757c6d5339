"""Development plans, actions and the framework over the API: rules, filters, 404s, queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from goals.development import selectors, services
from goals.development.models import (
    ActionStatus,
    DevelopmentAction,
    DevelopmentPlan,
    PlanStatus,
)
from goals.models import Goal, GoalStatus
from perfmgmt.api.models import Scope
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory

from .factories import make_competency, make_plan

pytestmark = pytest.mark.django_db

ApiAs = Callable[[Membership], APIClient]


def url(org: OrgPeople, resource: str, object_id: int | None = None, action: str = "") -> str:
    path = f"/api/v1/orgs/{org.organization.slug}/development/{resource}/"
    if object_id is not None:
        path += f"{object_id}/"
    if action:
        path += f"{action}/"
    return path


def post(client: APIClient, path: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(path, data or {}, format="json")


def test_an_employee_drafts_submits_and_their_manager_agrees_over_the_api(
    org: OrgPeople, api_as: ApiAs
) -> None:
    employee, manager = api_as(org.report), api_as(org.manager)
    created = post(
        employee,
        url(org, "plans"),
        {"period": "2026", "period_start": "2026-01-01", "period_end": "2026-12-31"},
    )
    assert created.status_code == 201, created.json()
    plan_id = created.json()["id"]
    assert created.json()["person"] == org.report.pk
    assert created.json()["status"] == "draft"

    objective = post(
        employee,
        url(org, "plans", plan_id, "objectives"),
        {"title": "Run a workshop", "milestones": ["Plan it", "Run it"]},
    )
    assert objective.status_code == 201, objective.json()
    assert objective.json()["objectives"][0]["title"] == "Run a workshop"

    assert post(employee, url(org, "plans", plan_id, "submit")).json()["status"] == "submitted"
    agreed = post(manager, url(org, "plans", plan_id, "agree"), {"comment": "Go for it"})
    assert agreed.status_code == 200
    body = agreed.json()
    assert (body["status"], body["agreed_by"], body["manager_comment"]) == (
        "agreed",
        org.manager.pk,
        "Go for it",
    )
    assert body["agreed_at"]


def test_the_person_cannot_agree_their_own_plan(org: OrgPeople, api_as: ApiAs) -> None:
    plan = make_plan(org)
    with organization_scope(org.organization):
        services.plan_submit(actor=org.report, plan=plan)
    response = post(api_as(org.report), url(org, "plans", plan.pk, "agree"))
    assert response.status_code == 403
    with organization_scope(org.organization):
        assert DevelopmentPlan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED


def test_a_plan_one_may_not_see_is_not_found(org: OrgPeople, api_as: ApiAs) -> None:
    plan = make_plan(org)
    for stranger in (org.colleague, org.report2):
        client = api_as(stranger)
        assert client.get(url(org, "plans", plan.pk)).status_code == 404
        assert post(client, url(org, "plans", plan.pk, "agree")).status_code == 404
        assert client.get(url(org, "plans")).json()["results"] == []
    assert api_as(org.hr).get(url(org, "plans", plan.pk)).status_code == 200


def test_another_organizations_plan_action_and_competency_are_not_found(
    org: OrgPeople, other_org: OrgPeople, api_as: ApiAs
) -> None:
    plan = make_plan(other_org)
    competency = make_competency(other_org)
    with organization_scope(other_org.organization):
        action = services.action_create(
            actor=other_org.report, plan=plan, kind="reading", title="Book"
        )
    client = api_as(org.owner)
    assert client.get(url(org, "plans", plan.pk)).status_code == 404
    assert client.get(url(org, "actions", action.pk)).status_code == 404
    assert client.get(url(org, "competencies", competency.pk)).status_code == 404
    assert (
        client.patch(url(org, "actions", action.pk), {"status": "done"}, format="json").status_code
        == 404
    )


def test_a_second_plan_for_the_period_is_a_409_with_the_field(
    org: OrgPeople, api_as: ApiAs
) -> None:
    make_plan(org)
    response = post(
        api_as(org.report),
        url(org, "plans"),
        {"period": "2026", "period_start": "2026-01-01", "period_end": "2026-12-31"},
    )
    assert response.status_code == 409
    assert "period" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {"period": "2026", "period_start": "2026-12-01", "period_end": "2026-01-01"},
            "period_end",
        ),
        (
            {"period": "2026", "period_start": "not a date", "period_end": "2026-01-01"},
            "period_start",
        ),
        ({"period": "", "period_start": "2026-01-01", "period_end": "2026-12-31"}, "period"),
    ],
)
def test_bad_plan_input_is_a_400_naming_the_field(
    org: OrgPeople, api_as: ApiAs, data: dict[str, str], field: str
) -> None:
    response = post(api_as(org.report), url(org, "plans"), data)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    with organization_scope(org.organization):
        assert not DevelopmentPlan.objects.exists()


def test_an_action_for_a_plan_one_may_not_see_is_refused_like_an_unknown_plan(
    org: OrgPeople, api_as: ApiAs
) -> None:
    plan = make_plan(org)
    response = post(
        api_as(org.colleague),
        url(org, "actions"),
        {"plan": plan.pk, "kind": "reading", "title": "Sneaky"},
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"plan": ["Unknown plan."]}


def test_actions_are_created_updated_and_filtered(org: OrgPeople, api_as: ApiAs) -> None:
    plan = make_plan(org)
    client = api_as(org.report)
    first = post(
        client,
        url(org, "actions"),
        {"plan": plan.pk, "kind": "training", "title": "Course", "due_date": "2026-03-01"},
    )
    assert first.status_code == 201, first.json()
    post(
        client,
        url(org, "actions"),
        {"plan": plan.pk, "kind": "reading", "title": "Book", "due_date": "2026-09-01"},
    )
    done = client.patch(url(org, "actions", first.json()["id"]), {"status": "done"}, format="json")
    assert done.json()["status"] == "done"
    assert done.json()["completed_at"]

    def titles(query: str) -> list[str]:
        return [row["title"] for row in client.get(url(org, "actions") + query).json()["results"]]

    assert titles("?status=done") == ["Course"]
    assert titles("?due_before=2026-06-30") == ["Course"]
    assert titles("?due_after=2026-06-30") == ["Book"]
    assert titles("?kind=reading") == ["Book"]
    assert client.get(url(org, "actions") + "?due_before=yesterday").status_code == 400


def test_plans_are_filtered_by_person_status_and_period(org: OrgPeople, api_as: ApiAs) -> None:
    mine = make_plan(org)
    make_plan(org, person=org.report2)
    with organization_scope(org.organization):
        services.plan_submit(actor=org.report, plan=mine)
    client = api_as(org.manager)

    def ids(query: str) -> list[int]:
        return [row["id"] for row in client.get(url(org, "plans") + query).json()["results"]]

    assert len(ids("")) == 2
    assert ids(f"?person={org.report.pk}") == [mine.pk]
    assert ids("?status=submitted") == [mine.pk]
    assert len(ids("?period=2026")) == 2
    assert ids("?period=2025") == []
    assert client.get(url(org, "plans") + "?status=nonsense").status_code == 400


def test_hr_edits_the_framework_and_everyone_reads_it(org: OrgPeople, api_as: ApiAs) -> None:
    hr = api_as(org.hr)
    category = post(hr, url(org, "competency-categories"), {"name": "Leadership"})
    assert category.status_code == 201
    created = post(
        hr,
        url(org, "competencies"),
        {
            "category": category.json()["id"],
            "name": "Coaching",
            "levels": [
                {"name": "Learner", "behaviour": "Asks for feedback."},
                {"name": "Coach", "behaviour": "Helps others grow."},
            ],
        },
    )
    assert created.status_code == 201, created.json()
    assert [level["level"] for level in created.json()["levels"]] == [1, 2]
    employee = api_as(org.report)
    assert employee.get(url(org, "competencies")).json()["results"][0]["name"] == "Coaching"
    refused = post(
        employee, url(org, "competencies"), {"category": category.json()["id"], "name": "X"}
    )
    assert refused.status_code == 403


def test_a_level_without_behaviour_is_a_400(org: OrgPeople, api_as: ApiAs) -> None:
    competency = make_competency(org)
    response = api_as(org.hr).patch(
        url(org, "competencies", competency.pk),
        {"levels": [{"name": "Only a name", "behaviour": ""}]},
        format="json",
    )
    assert response.status_code == 400


def test_a_competency_with_its_target_level_joins_the_plan(org: OrgPeople, api_as: ApiAs) -> None:
    plan = make_plan(org)
    competency = make_competency(org)
    client = api_as(org.report)
    response = post(
        client,
        url(org, "plans", plan.pk, "competencies"),
        {"competency": competency.pk, "target_level": 2},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["competencies"] == [
        {
            "competency": competency.pk,
            "name": competency.name,
            "target_level": 2,
            "target_level_name": "Practising",
        }
    ]
    missing = post(
        client,
        url(org, "plans", plan.pk, "competencies"),
        {"competency": competency.pk, "target_level": 9},
    )
    assert missing.status_code == 400
    assert "target_level" in missing.json()["error"]["fields"]


def test_api_keys_read_with_the_scope_and_cannot_agree(
    org: OrgPeople, api_with_key: Callable[..., APIClient]
) -> None:
    plan = make_plan(org)
    reader = api_with_key(org, scopes=[Scope.DEVELOPMENT_READ])
    assert reader.get(url(org, "plans", plan.pk)).status_code == 200
    assert reader.get(url(org, "competencies")).status_code == 200
    writer = api_with_key(org, scopes=[Scope.DEVELOPMENT_READ, Scope.DEVELOPMENT_WRITE])
    assert post(writer, url(org, "plans", plan.pk, "agree")).status_code == 403
    without = api_with_key(org, scopes=[Scope.MEMBERS_READ])
    assert without.get(url(org, "plans")).status_code == 403


# --- Query counts -------------------------------------------------------------------------


def _plans(org: OrgPeople, count: int) -> None:
    """`count` plans of people reporting to the manager, each with an objective, a
    competency and an action, plus `count` more competencies in the framework."""
    with organization_scope(org.organization):
        for _ in range(count):
            person: Membership = MembershipFactory(
                organization=org.organization, manager=org.manager
            )  # type: ignore[assignment]
            competency = make_competency(org, name=f"Skill of {person.pk}")
            plan = services.plan_create(
                actor=person,
                person=person,
                period="2026",
                period_start=date(2026, 1, 1),
                period_end=date(2026, 12, 31),
            )
            services.objective_add(actor=person, plan=plan, title="Learn")
            services.plan_competency_set(actor=person, plan=plan, competency=competency)
            services.action_create(
                actor=person, plan=plan, kind="reading", title="Book", status=ActionStatus.DONE
            )


def _categories(org: OrgPeople, count: int) -> None:
    with organization_scope(org.organization):
        start = selectors.competency_category_list().count()
        for number in range(start, start + count):
            services.competency_category_create(actor=org.hr, name=f"Category {number}")


def _queries(client: APIClient, path: str, expected_rows: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path + "?page_size=100")
    assert response.status_code == 200
    assert len(response.json()["results"]) == expected_rows
    return len(queries)


@pytest.mark.parametrize(
    "resource", ["plans", "actions", "objectives", "competencies", "competency-categories"]
)
def test_lists_run_the_same_number_of_queries_for_5_and_50_rows(
    org: OrgPeople, api_as: ApiAs, resource: str
) -> None:
    client = api_as(org.manager)
    add = _categories if resource == "competency-categories" else _plans
    add(org, 5)
    # Every competency of `_plans` shares the category "Core": one category in all.
    small = _queries(client, url(org, resource), 5)
    add(org, 45)
    assert _queries(client, url(org, resource), 50) == small


def test_plan_rows_show_progress_from_objectives_and_actions(org: OrgPeople, api_as: ApiAs) -> None:
    plan = make_plan(org)
    with organization_scope(org.organization):
        services.action_create(
            actor=org.report, plan=plan, kind="reading", title="Done", status=ActionStatus.DONE
        )
        services.action_create(actor=org.report, plan=plan, kind="reading", title="Open")
        assert DevelopmentAction.objects.count() == 2
    row = api_as(org.manager).get(url(org, "plans")).json()["results"][0]
    assert row["progress"]["action_count"] == 2
    assert row["progress"]["actions_done"] == 1
    assert row["progress"]["action_percent"] == 50


def test_changing_an_objective_of_an_agreed_plan_over_the_api_asks_for_agreement_again(
    org: OrgPeople, api_as: ApiAs
) -> None:
    plan = make_plan(org)
    with organization_scope(org.organization):
        objective = services.objective_add(actor=org.report, plan=plan, title="Listen more")
        services.plan_submit(actor=org.report, plan=plan)
        services.plan_agree(actor=org.manager, plan=plan)
    client = api_as(org.report)
    response = client.patch(
        url(org, "objectives", objective.pk), {"title": "Listen first"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "Listen first"
    plan_body = client.get(url(org, "plans", plan.pk)).json()
    assert (plan_body["status"], plan_body["last_agreed_by"]) == ("submitted", org.manager.pk)


def test_removing_an_objective_over_the_api_cancels_its_goal(org: OrgPeople, api_as: ApiAs) -> None:
    plan = make_plan(org)
    with organization_scope(org.organization):
        objective = services.objective_add(actor=org.report, plan=plan, title="Old idea")
    client = api_as(org.report)
    assert api_as(org.colleague).delete(url(org, "objectives", objective.pk)).status_code == 404
    assert client.delete(url(org, "objectives", objective.pk)).status_code == 204
    assert client.get(url(org, "objectives", objective.pk)).status_code == 404
    with organization_scope(org.organization):
        assert Goal.objects.get(pk=objective.goal_id).status == GoalStatus.CANCELLED


def test_a_competency_is_taken_out_of_the_plan_over_the_api(org: OrgPeople, api_as: ApiAs) -> None:
    plan = make_plan(org)
    competency = make_competency(org)
    client = api_as(org.report)
    post(client, url(org, "plans", plan.pk, "competencies"), {"competency": competency.pk})
    removed = post(
        client, url(org, "plans", plan.pk, "competencies/remove"), {"competency": competency.pk}
    )
    assert removed.status_code == 200
    assert removed.json()["competencies"] == []
    again = post(
        client, url(org, "plans", plan.pk, "competencies/remove"), {"competency": competency.pk}
    )
    assert again.status_code == 400
    assert "competency" in again.json()["error"]["fields"]


def test_a_key_with_the_write_scope_edits_the_framework_but_not_plans(
    org: OrgPeople, api_with_key: Callable[..., APIClient]
) -> None:
    writer = api_with_key(org, scopes=[Scope.DEVELOPMENT_READ, Scope.DEVELOPMENT_WRITE])
    category = post(writer, url(org, "competency-categories"), {"name": "Synced"})
    assert category.status_code == 201
    reader = api_with_key(org, scopes=[Scope.DEVELOPMENT_READ])
    refused = post(reader, url(org, "competency-categories"), {"name": "Nope"})
    assert refused.status_code == 403
    plan = post(
        writer,
        url(org, "plans"),
        {
            "person": org.report.pk,
            "period": "2026",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
        },
    )
    assert plan.status_code == 403

"""Development plan pages: the employee drafts, the manager comments and agrees, HR edits the
framework; errors come back as filled-in forms; lists run a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.development import services
from goals.development.models import (
    ActionStatus,
    Competency,
    CompetencyCategory,
    CompetencyLevel,
    DevelopmentAction,
    DevelopmentPlan,
    PlanStatus,
)
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory

from .factories import make_competency, make_plan

pytestmark = pytest.mark.django_db

ClientFor = Callable[[Membership], Client]


def page(org: OrgPeople, name: str, *args: int) -> str:
    return reverse(f"development:{name}", args=[org.organization.slug, *args])


def test_an_employee_starts_a_plan_from_the_page(org: OrgPeople, client_for: ClientFor) -> None:
    client = client_for(org.report)
    form = client.get(page(org, "plan_create"))
    assert form.status_code == 200
    assert "Who can read it" in form.content.decode()
    response = client.post(
        page(org, "plan_create"),
        {
            "person": org.report.pk,
            "period": "2026",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "aspiration": "Lead projects",
        },
    )
    with organization_scope(org.organization):
        plan = DevelopmentPlan.objects.get(person=org.report)
    assert response.status_code == 302
    assert response["Location"] == page(org, "plan", plan.pk)
    shown = client.get(response["Location"]).content.decode()
    assert "My development plan for 2026" in shown
    assert "Lead projects" in shown


def test_a_bad_period_comes_back_filled_in_with_the_error(
    org: OrgPeople, client_for: ClientFor
) -> None:
    response = client_for(org.report).post(
        page(org, "plan_create"),
        {
            "person": org.report.pk,
            "period": "2026 bad",
            "period_start": "2026-12-01",
            "period_end": "2026-01-01",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "The period cannot end before it starts." in body
    assert 'value="2026 bad"' in body
    with organization_scope(org.organization):
        assert not DevelopmentPlan.objects.exists()


def test_an_employee_cannot_start_a_colleagues_plan_from_the_page(
    org: OrgPeople, client_for: ClientFor
) -> None:
    response = client_for(org.report).post(
        page(org, "plan_create"),
        {
            "person": org.colleague.pk,
            "period": "2026",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
        },
    )
    assert response.status_code == 400  # not one of the choices offered
    with organization_scope(org.organization):
        assert not DevelopmentPlan.objects.exists()


def test_the_employee_adds_an_objective_and_submits_and_the_manager_agrees(
    org: OrgPeople, client_for: ClientFor
) -> None:
    plan = make_plan(org)
    employee, manager = client_for(org.report), client_for(org.manager)
    added = employee.post(
        page(org, "objective_add", plan.pk),
        {"title": "Give a conference talk", "milestones": "Submit a proposal\nRehearse"},
    )
    assert added.status_code == 302
    assert employee.post(page(org, "plan_submit", plan.pk)).status_code == 302

    shown = manager.get(page(org, "plan", plan.pk)).content.decode()
    assert "Give a conference talk" in shown
    assert "Agree this plan" in shown
    agreed = manager.post(page(org, "plan_agree", plan.pk), {"comment": "Looks right"})
    assert agreed.status_code == 302

    with organization_scope(org.organization):
        plan.refresh_from_db()
    assert (plan.status, plan.agreed_by, plan.manager_comment) == (
        PlanStatus.AGREED,
        org.manager,
        "Looks right",
    )
    after = employee.get(page(org, "plan", plan.pk)).content.decode()
    assert f"Agreed by {org.manager.display_name}" in after


def test_a_blank_objective_comes_back_with_the_error_and_nothing_is_added(
    org: OrgPeople, client_for: ClientFor
) -> None:
    plan = make_plan(org)
    response = client_for(org.report).post(
        page(org, "objective_add", plan.pk), {"title": "", "description": "kept text"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "This field is required." in body
    assert "kept text" in body
    with organization_scope(org.organization):
        assert not plan.objectives.exists()


def test_the_person_cannot_agree_their_own_plan_from_the_page(
    org: OrgPeople, client_for: ClientFor
) -> None:
    plan = make_plan(org)
    with organization_scope(org.organization):
        services.plan_submit(actor=org.report, plan=plan)
    assert client_for(org.report).post(page(org, "plan_agree", plan.pk)).status_code == 403
    with organization_scope(org.organization):
        assert DevelopmentPlan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED


@pytest.mark.parametrize("name", ["plan", "plan_edit"])
def test_a_plan_one_may_not_see_is_not_found(
    org: OrgPeople, client_for: ClientFor, name: str
) -> None:
    plan = make_plan(org)
    for stranger in (org.colleague, org.report2):
        assert client_for(stranger).get(page(org, name, plan.pk)).status_code == 404
    assert client_for(org.hr).get(page(org, "plan", plan.pk)).status_code == 200


def test_hr_reads_a_plan_but_cannot_change_it(org: OrgPeople, client_for: ClientFor) -> None:
    plan = make_plan(org)
    client = client_for(org.hr)
    assert "Add an objective" not in client.get(page(org, "plan", plan.pk)).content.decode()
    response = client.post(page(org, "action_add", plan.pk), {"kind": "reading", "title": "X"})
    assert response.status_code == 403


def test_the_status_of_an_action_is_changed_from_the_plan_page(
    org: OrgPeople, client_for: ClientFor
) -> None:
    plan = make_plan(org)
    client = client_for(org.report)
    added = client.post(
        page(org, "action_add", plan.pk),
        {
            "kind": "training",
            "title": "Facilitation course",
            "owner": org.report.pk,
            "status": "not_started",
        },
    )
    assert added.status_code == 302
    with organization_scope(org.organization):
        action = DevelopmentAction.objects.get(plan=plan)
    response = client.post(page(org, "action_edit", action.pk), {"status": "done"})
    assert response.status_code == 302
    with organization_scope(org.organization):
        action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert "actions done 1 of 1" in client.get(page(org, "plan", plan.pk)).content.decode()


def test_an_action_owned_by_a_stranger_comes_back_as_a_form_error(
    org: OrgPeople, client_for: ClientFor
) -> None:
    plan = make_plan(org)
    response = client_for(org.report).post(
        page(org, "action_add", plan.pk),
        {
            "kind": "mentoring",
            "title": "Pairing",
            "owner": org.colleague.pk,
            "status": "not_started",
        },
    )
    assert response.status_code == 400
    assert 'value="Pairing"' in response.content.decode()


def test_changing_an_agreed_objective_on_the_page_asks_for_agreement_again(
    org: OrgPeople, client_for: ClientFor
) -> None:
    plan = make_plan(org)
    with organization_scope(org.organization):
        objective = services.objective_add(actor=org.report, plan=plan, title="Public speaking")
        services.plan_submit(actor=org.report, plan=plan)
        services.plan_agree(actor=org.manager, plan=plan)
    client = client_for(org.report)
    form = client.get(page(org, "objective_edit", objective.pk)).content.decode()
    assert "sends it back for agreement" in form
    response = client.post(
        page(org, "objective_edit", objective.pk), {"title": "Speak at a meetup"}
    )
    assert response.status_code == 302
    with organization_scope(org.organization):
        plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    assert plan.last_agreed_by == org.manager


def test_the_plan_page_shows_coaching_records_about_the_person(
    org: OrgPeople, client_for: ClientFor
) -> None:
    from feedback.services import coaching_record_create

    plan = make_plan(org)
    with organization_scope(org.organization):
        coaching_record_create(
            actor=org.manager, person=org.report, held_on=date(2026, 2, 1), topic="Running meetings"
        )
    assert (
        "Running meetings"
        in client_for(org.report).get(page(org, "plan", plan.pk)).content.decode()
    )
    assert (
        "Running meetings"
        in client_for(org.manager).get(page(org, "plan", plan.pk)).content.decode()
    )


def test_hr_builds_the_framework_and_everyone_reads_it(
    org: OrgPeople, client_for: ClientFor
) -> None:
    hr = client_for(org.hr)
    assert (
        hr.post(page(org, "category_create"), {"name": "Craft", "position": 0}).status_code == 302
    )
    with organization_scope(org.organization):
        category_id = CompetencyCategory.objects.get(name="Craft").pk
    response = hr.post(
        page(org, "competency_create"),
        {
            "category": category_id,
            "name": "Testing",
            "active": "on",
            "level_1_name": "Writes tests",
            "level_1_behaviour": "Covers their own changes with tests.",
            "level_2_name": "Designs for testing",
            "level_2_behaviour": "Shapes code so it is easy to test.",
        },
    )
    assert response.status_code == 302
    with organization_scope(org.organization):
        competency = Competency.objects.get(name="Testing")
        assert CompetencyLevel.objects.filter(competency=competency).count() == 2
    employee = client_for(org.report)
    body = employee.get(page(org, "framework")).content.decode()
    assert "Shapes code so it is easy to test." in body
    assert "Add a competency" not in body
    assert employee.get(page(org, "competency_create")).status_code == 403
    assert employee.get(page(org, "competency_edit", competency.pk)).status_code == 403


def test_a_level_without_behaviour_comes_back_filled_in(
    org: OrgPeople, client_for: ClientFor
) -> None:
    competency = make_competency(org)
    response = client_for(org.hr).post(
        page(org, "competency_edit", competency.pk),
        {
            "category": competency.category_id,
            "name": "Communication",
            "active": "on",
            "level_1_name": "Only a name",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Level 1: give both a name and the behaviour it shows." in body
    assert 'value="Only a name"' in body
    with organization_scope(org.organization):
        assert CompetencyLevel.objects.filter(competency=competency).count() == 3


def test_navigation_offers_development_to_everyone_and_competencies_to_hr(
    org: OrgPeople, client_for: ClientFor
) -> None:
    home = reverse("web:home", args=[org.organization.slug])
    framework = page(org, "framework")
    employee = client_for(org.report).get(home).content.decode()
    assert page(org, "home") in employee
    assert f'href="{framework}"' not in employee
    assert f'href="{framework}"' in client_for(org.hr).get(home).content.decode()


# --- Query counts -------------------------------------------------------------------------


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _reports_with_plans(org: OrgPeople, count: int) -> None:
    with organization_scope(org.organization):
        for _ in range(count):
            person: Membership = MembershipFactory(
                organization=org.organization, manager=org.manager
            )  # type: ignore[assignment]
            plan = services.plan_create(
                actor=person,
                person=person,
                period="2026",
                period_start=date(2026, 1, 1),
                period_end=date(2026, 12, 31),
            )
            services.action_create(actor=person, plan=plan, kind="reading", title="Book")


def test_the_plans_page_runs_the_same_queries_for_5_and_50_plans(
    org: OrgPeople, client_for: ClientFor
) -> None:
    client = client_for(org.manager)
    _reports_with_plans(org, 5)
    small = _count(client, page(org, "home"))
    _reports_with_plans(org, 45)
    assert _count(client, page(org, "home")) == small


def test_the_plan_page_runs_the_same_queries_for_5_and_50_items(
    org: OrgPeople, client_for: ClientFor
) -> None:
    plan = make_plan(org)
    client = client_for(org.manager)

    def add(count: int) -> None:
        with organization_scope(org.organization):
            for number in range(count):
                competency = make_competency(org, name=f"Skill {plan.actions.count()}-{number}")
                services.action_create(actor=org.report, plan=plan, kind="reading", title="Book")
                services.objective_add(actor=org.report, plan=plan, title="Learn")
                services.plan_competency_set(
                    actor=org.report,
                    plan=plan,
                    competency=competency,
                    target_level=competency.levels.first(),
                )

    add(5)
    small = _count(client, page(org, "plan", plan.pk))
    add(45)
    assert _count(client, page(org, "plan", plan.pk)) == small


def test_the_framework_page_runs_the_same_queries_for_5_and_50_competencies(
    org: OrgPeople, client_for: ClientFor
) -> None:
    client = client_for(org.report)
    for number in range(5):
        make_competency(org, name=f"Skill {number}", category=f"Category {number % 3}")
    small = _count(client, page(org, "framework"))
    for number in range(5, 50):
        make_competency(org, name=f"Skill {number}", category=f"Category {number % 3}")
    assert _count(client, page(org, "framework")) == small


def test_the_home_page_asks_the_manager_to_agree_and_the_employee_to_submit(
    org: OrgPeople, client_for: ClientFor
) -> None:
    make_plan(org)
    submitted = make_plan(org, person=org.report2)
    with organization_scope(org.organization):
        services.plan_submit(actor=org.report2, plan=submitted)
    home = reverse("web:home", args=[org.organization.slug])
    assert (
        "1 development plan waits for your agreement"
        in client_for(org.manager).get(home).content.decode()
    )
    assert "1 development plan waits" in client_for(org.owner).get(home).content.decode()
    assert (
        "Your development plan for 2026 is a draft"
        in client_for(org.report).get(home).content.decode()
    )
    nothing = client_for(org.colleague).get(home).content.decode()
    assert "development plan" not in nothing


def test_the_edit_page_shows_every_level_of_a_long_competency_and_a_spare_row(
    org: OrgPeople, client_for: ClientFor
) -> None:
    competency = make_competency(org)
    levels = [(f"Step {number}", f"Does thing {number}.") for number in range(1, 7)]
    with organization_scope(org.organization):
        services.competency_update(actor=org.hr, competency=competency, levels=levels)
    body = client_for(org.hr).get(page(org, "competency_edit", competency.pk)).content.decode()
    assert 'value="Step 6"' in body
    assert "Level 7 name" in body
    assert "Level 8 name" not in body

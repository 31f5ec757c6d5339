"""An agreed plan goes back for agreement when its objective's goal loses its agreement,
whether the goal changed through the development services, the goals services, the goals
API or the goals page."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from goals import hooks
from goals import services as goal_services
from goals.development import services
from goals.development.models import DevelopmentObjective, DevelopmentPlan, PlanStatus
from goals.development.services.goal_sync import objective_goal_changed, objective_plan_lock
from goals.forms import GoalEditForm
from goals.models import Goal, GoalStatus, Visibility
from perfmgmt.audit.models import AuditEntry
from perfmgmt.notifications.models import Notification
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople

from .factories import make_plan

pytestmark = pytest.mark.django_db

NEW_DUE_DATE = date(2026, 9, 30)


@dataclass
class AgreedPlan:
    plan: DevelopmentPlan
    objective: DevelopmentObjective
    goal: Goal


def agreed_plan(org: OrgPeople) -> AgreedPlan:
    """A plan with one learning goal, submitted by the person and agreed by their manager."""
    plan = make_plan(org)
    with organization_scope(org.organization):
        objective = services.objective_add(actor=org.report, plan=plan, title="Public speaking")
        services.plan_submit(actor=org.report, plan=plan)
        plan = services.plan_agree(actor=org.manager, plan=plan)
        goal = Goal.objects.get(pk=objective.goal_id)
    assert goal.is_agreed
    return AgreedPlan(plan=plan, objective=objective, goal=goal)


def reopenings(org: OrgPeople, plan: DevelopmentPlan) -> list[dict[str, Any]]:
    with organization_scope(org.organization):
        return list(
            AuditEntry.objects.filter(
                action="development_plan.reopen", target_id=str(plan.pk)
            ).values_list("changes", flat=True)
        )


def requests_to_agree(org: OrgPeople) -> int:
    with organization_scope(org.organization):
        return Notification.objects.filter(
            recipient=org.manager, kind="development-plan-submitted"
        ).count()


def stored(org: OrgPeople, plan: DevelopmentPlan) -> DevelopmentPlan:
    with organization_scope(org.organization):
        return DevelopmentPlan.objects.get(pk=plan.pk)


def assert_sent_back_once(org: OrgPeople, setup: AgreedPlan, why: str) -> None:
    plan = stored(org, setup.plan)
    assert plan.status == PlanStatus.SUBMITTED
    assert (plan.agreed_by_id, plan.agreed_at) == (None, None)
    assert (plan.last_agreed_by_id, plan.last_agreed_at) == (org.manager.pk, setup.plan.agreed_at)
    assert reopenings(org, plan) == [{"why": why}]
    # One request when the person submitted, one more now.
    assert requests_to_agree(org) == 2


# --- Through the goals services ----------------------------------------------------------


def test_moving_the_due_date_of_an_agreed_objective_sends_the_plan_back_for_agreement(
    org: OrgPeople, scope: object
) -> None:
    setup = agreed_plan(org)

    goal = goal_services.goal_update(actor=org.report, goal=setup.goal, due_date=NEW_DUE_DATE)

    assert not goal.is_agreed
    assert goal.revisions.count() == 1
    assert_sent_back_once(org, setup, "objective changed: Public speaking")


def test_cancelling_an_objectives_goal_sends_the_plan_back_for_agreement(
    org: OrgPeople, scope: object
) -> None:
    setup = agreed_plan(org)

    goal_services.goal_update(actor=org.report, goal=setup.goal, status=GoalStatus.CANCELLED)

    assert_sent_back_once(org, setup, "objective cancelled: Public speaking")


def test_a_goal_change_that_keeps_the_goals_agreement_keeps_the_plans(
    org: OrgPeople, scope: object
) -> None:
    setup = agreed_plan(org)

    # Who reads the goal is not part of what was agreed (its title and description are).
    goal = goal_services.goal_update(
        actor=org.report, goal=setup.goal, visibility=Visibility.TEAM_AND_MANAGERS
    )

    assert goal.is_agreed
    assert stored(org, setup.plan).status == PlanStatus.AGREED
    assert reopenings(org, setup.plan) == []
    assert requests_to_agree(org) == 1


def test_repeating_the_goal_change_sends_the_plan_back_only_once(
    org: OrgPeople, scope: object
) -> None:
    setup = agreed_plan(org)

    goal_services.goal_update(actor=org.report, goal=setup.goal, due_date=NEW_DUE_DATE)
    goal_services.goal_update(actor=org.report, goal=setup.goal, due_date=NEW_DUE_DATE)
    goal_services.goal_update(actor=org.report, goal=setup.goal, status=GoalStatus.CANCELLED)
    goal_services.goal_update(actor=org.report, goal=setup.goal, status=GoalStatus.CANCELLED)

    assert_sent_back_once(org, setup, "objective changed: Public speaking")


def test_a_closed_plan_stays_closed_when_its_objectives_goal_changes(
    org: OrgPeople, scope: object
) -> None:
    setup = agreed_plan(org)
    services.plan_close(actor=org.report, plan=setup.plan)

    goal_services.goal_update(actor=org.report, goal=setup.goal, due_date=NEW_DUE_DATE)

    assert stored(org, setup.plan).status == PlanStatus.CLOSED
    assert reopenings(org, setup.plan) == []


def test_the_plan_can_be_agreed_again_after_its_goal_changed(org: OrgPeople, scope: object) -> None:
    setup = agreed_plan(org)
    goal_services.goal_update(actor=org.report, goal=setup.goal, due_date=NEW_DUE_DATE)

    plan = services.plan_agree(actor=org.manager, plan=setup.plan)

    assert plan.status == PlanStatus.AGREED
    setup.goal.refresh_from_db()
    assert setup.goal.is_agreed
    assert setup.goal.due_date == NEW_DUE_DATE


# --- Through the development services: still once, with the same audit entry ------------


def test_moving_the_due_date_through_the_plan_sends_it_back_once(
    org: OrgPeople, scope: object
) -> None:
    setup = agreed_plan(org)

    services.objective_update(actor=org.report, objective=setup.objective, due_date=NEW_DUE_DATE)

    assert_sent_back_once(org, setup, "objective changed: Public speaking")


def test_removing_an_objective_sends_the_plan_back_once(org: OrgPeople, scope: object) -> None:
    setup = agreed_plan(org)

    services.objective_remove(actor=org.report, objective=setup.objective)

    setup.goal.refresh_from_db()
    assert setup.goal.status == GoalStatus.CANCELLED
    assert_sent_back_once(org, setup, "objective removed: Public speaking")


# --- Through HTTP -------------------------------------------------------------------------


def goal_url(org: OrgPeople, goal: Goal) -> str:
    return f"/api/v1/orgs/{org.organization.slug}/goals/{goal.pk}/"


def test_moving_the_due_date_through_the_goals_api_sends_the_plan_back_for_agreement(
    org: OrgPeople, api_as: Callable[[Membership], APIClient]
) -> None:
    setup = agreed_plan(org)

    response = api_as(org.report).patch(
        goal_url(org, setup.goal), {"due_date": NEW_DUE_DATE.isoformat()}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["due_date"] == NEW_DUE_DATE.isoformat()
    assert_sent_back_once(org, setup, "objective changed: Public speaking")


def test_the_manager_cancelling_the_goal_through_the_api_sends_the_plan_back(
    org: OrgPeople, api_as: Callable[[Membership], APIClient]
) -> None:
    setup = agreed_plan(org)

    response = api_as(org.manager).patch(
        goal_url(org, setup.goal), {"status": GoalStatus.CANCELLED}, format="json"
    )

    assert response.status_code == 200
    assert_sent_back_once(org, setup, "objective cancelled: Public speaking")


def test_moving_the_due_date_on_the_goals_page_sends_the_plan_back_for_agreement(
    org: OrgPeople, client_for: Callable[[Membership], Client]
) -> None:
    setup = agreed_plan(org)
    form = GoalEditForm.initial_for(setup.goal) | {"due_date": NEW_DUE_DATE}
    data = {name: "" if value is None else str(value) for name, value in form.items()}

    response = client_for(org.report).post(
        reverse("goals:edit", kwargs={"org_slug": org.organization.slug, "goal_id": setup.goal.pk}),
        data,
    )

    assert response.status_code == 302
    assert_sent_back_once(org, setup, "objective changed: Public speaking")


# --- Goals stands alone; development plans register on its hooks -----------------------


@pytest.fixture
def development_unregistered() -> Iterator[None]:
    with hooks.before_goal_locked.restored_after(), hooks.goal_changed.restored_after():
        hooks.before_goal_locked.unregister(objective_plan_lock)
        hooks.goal_changed.unregister(objective_goal_changed)
        yield


def test_development_plans_are_registered_on_the_goals_hooks_at_start_up() -> None:
    assert objective_plan_lock in hooks.before_goal_locked.handlers
    assert objective_goal_changed in hooks.goal_changed.handlers


def test_without_the_development_handlers_a_goal_change_leaves_the_plan_alone(
    org: OrgPeople, scope: object, development_unregistered: None
) -> None:
    setup = agreed_plan(org)

    goal = goal_services.goal_update(actor=org.report, goal=setup.goal, due_date=NEW_DUE_DATE)

    assert goal.due_date == NEW_DUE_DATE
    assert not goal.is_agreed
    assert stored(org, setup.plan).status == PlanStatus.AGREED
    assert reopenings(org, setup.plan) == []


def test_with_the_development_handlers_the_same_change_sends_the_plan_back(
    org: OrgPeople, scope: object
) -> None:
    setup = agreed_plan(org)

    goal_services.goal_update(actor=org.report, goal=setup.goal, due_date=NEW_DUE_DATE)

    assert_sent_back_once(org, setup, "objective changed: Public speaking")


# --- One lock order: the plan, then the goal ---------------------------------------------

_LOCKED_TABLE = re.compile(r'FROM "(\w+)".* FOR UPDATE', re.DOTALL)


def tables_in_lock_order(write: Callable[[], object]) -> list[str]:
    """The tables `write` locks rows of, in the order it first locks each."""
    order: list[str] = []

    def record(execute: Callable[..., object], sql: str, *args: object) -> object:
        found = _LOCKED_TABLE.search(sql)
        if found and found.group(1) not in order:
            order.append(found.group(1))
        return execute(sql, *args)

    with connection.execute_wrapper(record):
        write()
    return order


PLAN_THEN_GOAL = [DevelopmentPlan._meta.db_table, Goal._meta.db_table]


def test_a_change_of_the_goal_through_the_goals_services_locks_the_plan_first(
    org: OrgPeople, scope: object
) -> None:
    setup = agreed_plan(org)

    locked = tables_in_lock_order(
        partial(goal_services.goal_update, actor=org.report, goal=setup.goal, due_date=NEW_DUE_DATE)
    )

    assert locked == PLAN_THEN_GOAL


def test_a_change_of_the_goal_through_the_plan_locks_the_plan_first(
    org: OrgPeople, scope: object
) -> None:
    setup = agreed_plan(org)

    locked = tables_in_lock_order(
        partial(
            services.objective_update,
            actor=org.report,
            objective=setup.objective,
            due_date=NEW_DUE_DATE,
        )
    )

    assert locked == PLAN_THEN_GOAL


# --- At the same moment -------------------------------------------------------------------

ROUNDS = 4


@pytest.mark.django_db(transaction=True)
def test_the_goal_and_its_plan_changed_at_the_same_moment_reopen_the_plan_once(
    org: OrgPeople,
) -> None:
    """Both paths lock the plan before the goal, so neither deadlocks the other."""
    setup = agreed_plan(org)
    for round_number in range(1, ROUNDS + 1):
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def change(
            write: Callable[[], object],
            barrier: threading.Barrier = barrier,
            errors: list[BaseException] = errors,
        ) -> None:
            try:
                with organization_scope(org.organization):
                    barrier.wait(timeout=10)
                    write()
            except BaseException as error:  # reported to the test, not swallowed
                errors.append(error)
            finally:
                connection.close()

        through_goals = partial(
            goal_services.goal_update,
            actor=org.report,
            goal=setup.goal,
            due_date=date(2026, 10, round_number),
        )
        through_plan = partial(
            services.objective_update,
            actor=org.manager,
            objective=setup.objective,
            due_date=date(2026, 11, round_number),
        )
        threads = [
            threading.Thread(target=change, args=(through_goals,)),
            threading.Thread(target=change, args=(through_plan,)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert not errors, round_number
        assert stored(org, setup.plan).status == PlanStatus.SUBMITTED
        assert len(reopenings(org, setup.plan)) == round_number
        assert requests_to_agree(org) == round_number + 1
        with organization_scope(org.organization):
            services.plan_agree(actor=org.manager, plan=setup.plan)
            setup.goal.refresh_from_db()
            if not setup.goal.is_agreed:  # the manager's own change waits for the person
                goal_services.goal_agree(actor=org.report, goal=setup.goal)

"""The development plan journey in a real browser: the employee drafts a plan with an
objective and an action and submits it; the manager comments and agrees; when the employee
finishes the action, both see the plan's progress move."""

from __future__ import annotations

import re
from typing import Any

import pytest

from goals.development.models import DevelopmentPlan, PlanStatus
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.accounts.helpers import verify_email
from tests.conftest import PASSWORD, OrgPeople

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, base_url: str, member: Membership) -> None:
    verify_email(member.user)
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", member.user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(rf"/o/{member.organization.slug}/$"))


def test_an_employee_drafts_a_plan_their_manager_agrees_and_both_see_progress(
    live_server: Any, new_context: Any, org: OrgPeople
) -> None:
    employee = new_context().new_page()
    sign_in(employee, live_server.url, org.report)

    employee.get_by_role("link", name="Development", exact=True).first.click()
    employee.get_by_role("link", name="Start a plan").click()
    employee.fill("input[name=period]", "2026")
    employee.fill("input[name=period_start]", "2026-01-01")
    employee.fill("input[name=period_end]", "2026-12-31")
    employee.fill("textarea[name=aspiration]", "Become the team's go-to person for testing.")
    employee.get_by_role("button", name="Start plan").click()
    employee.get_by_role("heading", name="My development plan for 2026").wait_for()

    employee.get_by_text("Add an objective").click()
    employee.fill("input[name=title]", "Introduce property-based tests")
    employee.fill("textarea[name=milestones]", "Try it on one module\nShow the team")
    employee.get_by_role("button", name="Add objective").click()
    employee.get_by_text("Objective added.").wait_for()

    employee.get_by_text("Add an action").click()
    employee.select_option("select[name=kind]", "training")
    employee.locator("form[action$='/actions/'] input[name=title]").fill("Testing workshop")
    employee.get_by_role("button", name="Add action").click()
    employee.get_by_text("Action added.").wait_for()
    assert "0%" in employee.locator("#plan-progress").inner_text()

    employee.get_by_role("button", name="Submit for agreement").click()
    employee.get_by_text("Sent to your manager for agreement.").wait_for()

    manager = new_context().new_page()
    sign_in(manager, live_server.url, org.manager)
    manager.get_by_role("link", name="Development", exact=True).first.click()
    manager.get_by_role("link", name="2026").click()
    manager.get_by_role("heading", name=re.compile("development plan for 2026")).wait_for()
    manager.fill("form[action$='/agree/'] textarea[name=comment]", "Great focus for this year.")
    manager.get_by_role("button", name="Agree plan").click()
    manager.locator("#plan-agreement", has_text="Agreed by").wait_for()

    with organization_scope(org.organization):
        plan = DevelopmentPlan.objects.get(person=org.report)
    assert (plan.status, plan.agreed_by_id) == (PlanStatus.AGREED, org.manager.pk)

    employee.reload()
    assert "Great focus for this year." in employee.content()
    employee.select_option("select[name=status]", "done")
    employee.get_by_role("button", name=re.compile("^Set")).click()
    employee.get_by_text("is now done").wait_for()
    # One objective at 0% and one action done: half of the plan.
    assert "50%" in employee.locator("#plan-progress").inner_text()

    manager.reload()
    assert "50%" in manager.locator("#plan-progress").inner_text()
    assert "actions done 1 of 1" in manager.locator("#plan-progress").inner_text()

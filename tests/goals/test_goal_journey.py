"""The goal journey in a real browser: a manager creates a team goal without a measure of
its own, an employee aligns a personal goal under it and posts an update, and the manager
sees the roll-up change once they agree the employee's goal (a proposal does not count)."""

from __future__ import annotations

import re

import pytest

from perfmgmt.tenancy.models import Membership
from tests.accounts.helpers import verify_email
from tests.conftest import PASSWORD, OrgPeople

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url: str, member: Membership) -> None:
    verify_email(member.user)
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", member.user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/o/acme/$"))


def test_a_manager_sees_the_team_goal_roll_up_once_they_agree_an_employees_aligned_goal(
    live_server, new_context, org: OrgPeople
) -> None:
    manager = new_context().new_page()
    sign_in(manager, live_server.url, org.manager)

    manager.get_by_role("link", name="Goals", exact=True).first.click()
    manager.get_by_role("link", name="New goal").click()
    manager.select_option("select[name=owner_kind]", "team")
    manager.select_option("select[name=owner_team]", label="Engineering")
    # The form says who will read the goal before it is saved (htmx swaps the sentence).
    manager.get_by_text("The members of Engineering, the managers of any of them").wait_for()
    manager.fill("input[name=title]", "Answer support tickets within 4 hours")
    manager.select_option("select[name=goal_type]", "qualitative")
    manager.get_by_role("button", name="Propose goal").click()
    manager.get_by_role("heading", name="Answer support tickets within 4 hours").wait_for()
    team_goal_url = manager.url
    assert manager.locator("#goal-progress").inner_text().startswith("0%")

    employee = new_context().new_page()
    sign_in(employee, live_server.url, org.report)
    employee.goto(team_goal_url)
    employee.get_by_role("link", name="Align a goal of mine under it").click()
    supports = employee.locator("select[name=parent] option:checked")
    assert supports.inner_text().startswith("Answer support tickets within 4 hours")
    employee.fill("input[name=title]", "Automate password-reset tickets")
    employee.fill("input[name=start_value]", "0")
    employee.fill("input[name=target_value]", "10")
    employee.get_by_role("button", name="Propose goal").click()
    employee.get_by_role("heading", name="Automate password-reset tickets").wait_for()

    employee.fill("input[name=value]", "5")
    employee.get_by_label("On track").check()
    employee.fill("textarea[name=comment]", "The bot answers half of them now.")
    employee.get_by_role("button", name="Post update").click()
    employee.get_by_text("Update posted.").wait_for()
    assert employee.locator("#goal-progress").inner_text().startswith("50%")

    # Only proposed so far: it is listed below the team goal but does not count.
    manager.reload()
    assert manager.locator("#goal-progress").inner_text().startswith("0%")
    assert "1 not agreed yet" in manager.locator("#goal-progress-how").inner_text()
    children = manager.locator("section[aria-labelledby=goal-children-heading]")
    assert "Automate password-reset tickets" in children.inner_text()
    children.get_by_role("link", name="Automate password-reset tickets").click()
    manager.get_by_role("button", name="Agree goal").click()
    manager.get_by_text("Goal agreed.").wait_for()

    manager.goto(team_goal_url)
    assert manager.locator("#goal-progress").inner_text().startswith("50%")
    manager.get_by_role("link", name="Goal tree").click()
    # The team goal's branch: open already, or opened (loaded on demand) by its summary.
    tree_item = manager.locator(
        "li.goal-tree-item:has(> .goal-tree-team:has-text('Answer support tickets'))"
    )
    branch = tree_item.locator("> details")
    if branch.get_attribute("open") is None:
        branch.locator("> summary").click()
    tree_item.get_by_role("link", name="Automate password-reset tickets").wait_for()

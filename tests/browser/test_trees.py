"""The org chart and the goal tree in a real browser (issue 10 item 13, issue 13): a branch
opens from the keyboard and loads its next level, a wide level loads its next page from its
"more" link with focus on the first newcomer, and the org chart's search answers as one
types, on a 360 px phone."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.web.trees import PAGE_SIZE
from tests.bulk import bulk_goals, bulk_people
from tests.conftest import OrgPeople, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(new_context: Any, live_server: Any, member: Any) -> Any:
    client = login(Client(), member)
    context = new_context()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    return page


def test_the_org_chart_opens_a_branch_by_keyboard_pages_a_wide_level_and_searches(
    live_server: Any, new_context: Any, org: OrgPeople
) -> None:
    with organization_scope(org.organization):
        wide = bulk_people(org.organization, count=PAGE_SIZE + 2, manager=org.report)
    page = signed_in(new_context, live_server, org.colleague)
    page.goto(f"{live_server.url}/o/acme/people/org-chart/")

    assert page.locator("text=Rita Report (acme)").count() == 0  # two levels only
    manager_branch = page.locator("summary", has_text="of Max Manager")
    manager_branch.focus()
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Rita Report (acme)").wait_for()
    assert manager_branch.evaluate("summary => summary.parentElement.open")

    page.locator("summary", has_text="of Rita Report").click()
    reports = page.get_by_role("list", name="Reports of Rita Report (acme)")
    reports.get_by_role("link", name=wide[0].full_name).wait_for()
    assert reports.locator(":scope > li.tree-node").count() == PAGE_SIZE
    reports.get_by_role("link", name="Show more reports of Rita Report (acme) (2 more)").click()
    # htmx settles the swapped item (which takes the link's id) for a moment: wait for it.
    expect(reports.locator(":scope > li.tree-node")).to_have_count(PAGE_SIZE + 2)
    focused = page.evaluate("document.activeElement.textContent")
    assert wide[PAGE_SIZE].full_name in focused  # focus on the first one loaded
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")

    page.get_by_label("Find a person").fill("Ravi")
    results = page.locator("#org-chart-results")
    results.get_by_role("link", name="Show Ravi Report (acme) in the chart").click()
    path = page.get_by_role("navigation", name="Where this is in the org chart")
    path.get_by_role("link", name="Max Manager (acme)").wait_for()


def test_the_goal_tree_opens_a_deeper_branch_on_demand(
    live_server: Any, new_context: Any, org: OrgPeople
) -> None:
    with organization_scope(org.organization):
        top = bulk_goals(org.organization, count=1, owner=org.report, title="Company aim")[0]
        middle = bulk_goals(org.organization, count=1, owner=org.report, parent=top, title="Team")
        bulk_goals(org.organization, count=3, owner=org.report, parent=middle[0], title="Mine")
    page = signed_in(new_context, live_server, org.hr)
    page.goto(f"{live_server.url}/o/acme/goals/tree/")

    assert page.get_by_role("link", name="Mine 0000").count() == 0
    page.locator("summary", has_text="3 goals below").click()
    branch = page.get_by_role("list", name="Goals supporting Team 0000")
    branch.get_by_role("link", name="Mine 0002").wait_for()
    assert branch.locator(":scope > li.tree-node").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")

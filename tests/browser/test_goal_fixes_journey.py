"""Goal pages as people see them in a real browser (issue 10, items 3, 9 and 13):

- a manager proposing a team goal is not offered to agree it; someone above them is;
- after "Assign to many", HR lands on the goals just assigned;
- the goal's history is drawn with dates on its axis (in the organization's time zone), the
  target line, and a table of the same figures.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from perfmgmt.tenancy.models import Membership
from tests.browser_fixtures import choose_person
from tests.conftest import OrgPeople, login
from tests.goals.factories import create_goal, post_update

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_page(new_context, base_url: str, member: Membership):
    """A page with the member's session (signing in itself is another journey's subject)."""
    client = login(Client(), member)
    context = new_context()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])
    page = context.new_page()
    page.goto(f"{base_url}/o/{member.organization.slug}/goals/")
    return page


def test_a_manager_proposing_a_team_goal_waits_for_someone_above_them_to_agree_it(
    live_server, new_context, org: OrgPeople
) -> None:
    manager = signed_in_page(new_context, live_server.url, org.manager)
    manager.get_by_role("link", name="New goal").click()
    manager.select_option("select[name=owner_kind]", "team")
    manager.select_option("select[name=owner_team]", label="Engineering")
    manager.fill("input[name=title]", "Halve the time to first answer")
    manager.fill("input[name=start_value]", "8")
    manager.fill("input[name=target_value]", "4")
    manager.get_by_role("button", name="Propose goal").click()
    manager.get_by_role("heading", name="Halve the time to first answer").wait_for()
    goal_url = manager.url

    assert manager.get_by_role("heading", name="Agree this goal").count() == 0
    assert manager.get_by_role("button", name="Agree goal").count() == 0
    agreement = manager.locator("#goal-agreement").inner_text()
    assert "Someone above Max Manager (acme) in the reporting line, or an HR admin" in agreement

    owner = signed_in_page(new_context, live_server.url, org.owner)
    owner.goto(goal_url)
    owner.get_by_role("button", name="Agree goal").click()
    owner.get_by_text("Goal agreed.").wait_for()
    assert "Agreed by Olivia Owner (acme)" in owner.locator("#goal-agreement").inner_text()


def test_after_assigning_a_goal_to_five_people_hr_sees_those_goals(
    live_server, new_context, org: OrgPeople
) -> None:
    hr = signed_in_page(new_context, live_server.url, org.hr)
    hr.get_by_role("link", name="Assign to many").click()
    people = [org.owner, org.manager, org.report, org.report2, org.colleague]
    for person in people:
        choose_person(hr, "People", person.display_name)
    hr.fill("input[name=title]", "Complete the security training")
    hr.select_option("select[name=goal_type]", "qualitative")
    hr.get_by_role("button", name="Assign goal").click()

    hr.get_by_text("Assigned “Complete the security training” to 5 people.").wait_for()
    hr.get_by_role("heading", name="Goals you set for others").wait_for()
    assert hr.get_by_text("Nobody below you has goals yet").count() == 0
    rows = hr.locator("table.goals-table tbody tr", has_text="Complete the security training")
    assert rows.count() == 5
    owners = rows.locator("td:nth-child(2)").all_inner_texts()
    assert sorted(owners) == sorted(person.display_name for person in people)


def test_the_goal_history_is_drawn_with_dates_and_the_target_after_one_update(
    live_server, new_context, org: OrgPeople
) -> None:
    goal = create_goal(
        org.report, title="Cut p95 latency", unit="ms", start_value=Decimal("800"),
        target_value=Decimal("300"), start_date=date(2026, 1, 1), due_date=date(2026, 12, 31),
    )  # fmt: skip
    # 23:30 UTC on 10 March is 00:30 on 11 March in the organization's Berlin.
    with time_machine.travel(datetime(2026, 3, 10, 23, 30, tzinfo=UTC), tick=False):
        post_update(org.report, goal, value=Decimal("550"), comment="Caching is live")
    page = signed_in_page(new_context, live_server.url, org.manager)
    page.goto(f"{live_server.url}/o/acme/goals/{goal.pk}/")

    chart = page.locator("figure.goal-chart svg")
    # SVG text has no innerText: its text content is what is drawn.
    dates = chart.locator("text.goal-chart-date").all_text_contents()
    assert dates[0] == "1 Jan 2026"
    assert dates[-1] == "31 Dec"
    assert len(dates) >= 3
    assert chart.locator("text.goal-chart-target-label").text_content() == (
        "Target: 300 ms by 31 Dec"
    )
    target = chart.locator("line.goal-chart-target").bounding_box()
    point = chart.locator("circle.goal-chart-point").last.bounding_box()
    assert target is not None
    assert point is not None
    assert target["width"] > 100, "the target is a line, not a dot"
    assert target["y"] < point["y"], "the target is above the progress so far"
    assert chart.locator("polyline.goal-chart-line").count() == 1

    page.get_by_text("The same figures as a table").click()
    table = page.get_by_role("table", name="Progress after each update, newest first")
    assert "11 Mar 2026, 00:30" in table.inner_text()
    assert "50%" in table.inner_text()

    page.set_viewport_size({"width": 360, "height": 800})
    figure = page.locator("figure.goal-chart").bounding_box()
    assert figure is not None
    assert figure["x"] + figure["width"] <= 360, "the chart fits a phone"

"""In real Chromium on a 360 px phone: Max drafts an improvement plan for Rita and submits
it, Hana (HR) approves it, Rita reads and acknowledges it; its review date then appears on
the agenda of Max and Rita's next 1:1, linked to the plan."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from perfmgmt.tenancy.context import organization_scope
from reviews.models import ImprovementPlan, PlanStatus
from tests.conftest import OrgPeople
from tests.feedback.meetings.factories import make_meeting, make_series
from tests.reviews.plan_helpers import today
from tests.reviews.test_release_browser_journey import fits, phone_page, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_opens_a_plan_hr_approves_the_employee_acknowledges(
    live_server, new_context, org: OrgPeople
) -> None:
    start = today(org)
    review_on = start + timedelta(days=14)
    plans = f"{live_server.url}/o/acme/reviews/improvement-plans/"

    max_page = phone_page(new_context, live_server.url, org.manager)
    max_page.goto(plans)
    max_page.get_by_role("link", name="Draft an improvement plan").click()
    max_page.get_by_label("Who the plan is for").select_option(label=org.report.display_name)
    max_page.locator("#id_start_date").fill(start.isoformat())
    max_page.locator("#id_end_date").fill((start + timedelta(days=60)).isoformat())
    max_page.get_by_label("Why this plan").fill("Three missed release dates.")
    max_page.get_by_label("Support offered").fill("Weekly pairing with Ana.")
    max_page.locator("#id_expectation_0").fill("Ship on the agreed date")
    max_page.locator("#id_measure_0").fill("Four of four sprints")
    max_page.locator("#id_review_date_0").fill(review_on.isoformat())
    assert fits(max_page)
    max_page.get_by_role("button", name="Save draft").click()
    max_page.get_by_text("The draft is saved.").wait_for()
    max_page.get_by_role("button", name="Submit for approval").click()
    max_page.get_by_text("The plan is submitted to HR for approval.").wait_for()
    with organization_scope(org.organization):
        plan = ImprovementPlan.objects.get()
    plan_url = f"{plans}{plan.pk}/"

    hana = phone_page(new_context, live_server.url, org.hr)
    hana.goto(plan_url)
    hana.get_by_text("Ship on the agreed date").wait_for()
    hana.get_by_role("button", name="Approve the plan").click()
    hana.get_by_text("The plan is approved").wait_for()

    rita = phone_page(new_context, live_server.url, org.report)
    rita.goto(plan_url)
    rita.get_by_role("heading", name="Your improvement plan").wait_for()
    assert fits(rita)
    shot(rita, "improvement-plan")
    rita.get_by_label("Your comment").fill("I will ask Ana for help early.")
    rita.get_by_role("button", name="Acknowledge the plan").click()
    rita.get_by_text("You acknowledged the plan.").wait_for()
    assert rita.get_by_role("button", name="Acknowledge the plan").count() == 0
    with organization_scope(org.organization):
        plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert plan.acknowledged_at is not None

    zone = org.organization.zone
    at = datetime.combine(review_on + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    meeting = make_meeting(make_series(org.manager, org.report), when=at + timedelta(hours=10))
    rita.goto(f"{live_server.url}/o/acme/one-on-ones/meetings/{meeting.pk}/")
    item = rita.get_by_role("link", name="Improvement plan review due")
    item.wait_for()
    assert fits(rita)
    item.click()
    rita.get_by_role("heading", name="Your improvement plan").wait_for()

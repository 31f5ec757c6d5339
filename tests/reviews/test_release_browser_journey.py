"""On a 360 px phone: Rita reads her released review, comments and acknowledges it; HR's
progress page fits the screen too."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.test import Client

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from reviews.services.release import participant_release
from tests.conftest import OrgPeople, login
from tests.reviews.release_helpers import written_cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def phone_page(new_context, base_url: str, member: Membership):
    client = login(Client(), member)
    context = new_context()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])
    page = context.new_page()
    page.set_viewport_size(PHONE)
    return page


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def shot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def test_the_reviewee_reads_comments_and_acknowledges_on_a_phone(
    live_server, new_context, org: OrgPeople
) -> None:
    cycle = written_cycle(org, [org.report, org.report2])
    with organization_scope(org.organization):
        participant = cycle.participants.get(reviewee=org.report)
        participant_release(actor=org.hr, participant=participant)
    rita = phone_page(new_context, live_server.url, org.report)
    rita.goto(f"{live_server.url}/o/acme/reviews/released/{participant.pk}/")
    rita.get_by_role("heading", name="Manager review by Max Manager (acme)").wait_for()
    assert rita.get_by_text("Potential").count() == 0
    assert fits(rita)
    shot(rita, "released")
    rita.get_by_label("Your comment").fill("Let us plan the course together.")
    rita.get_by_role("button", name="Save comment").click()
    rita.get_by_text("Your comment is saved.").wait_for()
    rita.get_by_role("button", name="Acknowledge").click()
    rita.get_by_text("You acknowledged your review.").wait_for()
    assert rita.get_by_role("button", name="Save comment").count() == 0
    rita.get_by_text("Let us plan the course together.").wait_for()

    hr = phone_page(new_context, live_server.url, org.hr)
    hr.goto(f"{live_server.url}/o/acme/reviews/cycles/{cycle.pk}/progress/")
    hr.get_by_role("heading", name="By manager").wait_for()
    hr.get_by_text("50% (1 of 2)").first.wait_for()
    assert fits(hr)
    shot(hr, "progress")

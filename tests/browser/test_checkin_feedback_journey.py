"""A week of check-ins and feedback in a real browser (Chromium, via tests/browser/conftest).

A report writes and submits their check-in; their manager finds it waiting for review,
replies; the report reads the reply. A colleague gives the report feedback and, before
sending, the form tells them who will be able to read it (updated live with htmx).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from perfmgmt.tenancy.models import Membership
from tests.browser_fixtures import choose_person
from tests.conftest import OrgPeople, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_page(new_context, base_url: str, member: Membership):
    """A page with the member's session (sign-in itself is covered by the invite journey)."""
    client = login(Client(), member)
    context = new_context()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])
    page = context.new_page()
    page.goto(f"{base_url}/o/acme/")
    return page


def test_a_check_in_is_submitted_reviewed_and_feedback_shows_its_readers(
    live_server, new_context, org: OrgPeople
) -> None:
    base = f"{live_server.url}/o/acme"
    report = signed_in_page(new_context, live_server.url, org.report)
    report.get_by_role("link", name="Check-ins").first.click()
    report.get_by_label("What went well?").fill("Shipped the importer")
    report.get_by_label("4", exact=True).check()
    report.get_by_role("button", name="Submit to my manager").click()
    report.get_by_text("Check-in sent to your manager.").wait_for()

    manager = signed_in_page(new_context, live_server.url, org.manager)
    manager.goto(f"{base}/checkins/review/")
    manager.locator("table a").first.click()
    manager.get_by_text("Shipped the importer").wait_for()
    manager.get_by_label("Your reply").fill("Great work, let's demo it on Friday")
    manager.get_by_role("button", name="Reply and mark reviewed").click()
    manager.get_by_text("check-in reviewed").wait_for()

    report.goto(f"{base}/checkins/")
    report.get_by_role("link", name="See it as your manager does").click()
    report.get_by_text("Great work, let's demo it on Friday").wait_for()

    colleague = signed_in_page(new_context, live_server.url, org.colleague)
    colleague.goto(f"{base}/feedback/give/")
    choose_person(colleague, "To", org.report.display_name)
    audience = colleague.locator("#feedback-audience")
    colleague.get_by_label("The recipient and their managers").check()
    audience.filter(has_text=org.manager.display_name).wait_for()
    assert org.hr.display_name not in audience.inner_text()
    colleague.get_by_label("Only the recipient").check()
    audience.filter(has_text="you and " + org.report.display_name + ".").wait_for()
    colleague.get_by_label("Behaviour").fill("You answered every question in the demo")
    colleague.get_by_role("button", name="Send feedback").click()
    colleague.get_by_text(f"Feedback sent to {org.report.display_name}.").wait_for()

    report.goto(f"{base}/feedback/")
    report.get_by_text("You answered every question in the demo").wait_for()

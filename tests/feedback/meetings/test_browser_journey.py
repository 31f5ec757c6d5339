"""The 1:1 journey in a real browser (Chromium through Playwright, against live_server):
a report adds a talking point, the manager opens the meeting, ticks an action item and
adds a private note; the report cannot see the note; the undone action item appears in the
next meeting."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from feedback.meetings import services
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.browser_fixtures import choose_person
from tests.conftest import OrgPeople

from .factories import make_action_item, make_meeting, make_series

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_page(new_context: Any, live_server: Any, member: Membership) -> Any:
    """A browser page carrying a session of this member (signing in is tested elsewhere)."""
    client = Client()
    client.force_login(member.user, backend="django.contrib.auth.backends.ModelBackend")
    context = new_context()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()


def test_a_one_on_one_as_a_live_document_in_the_browser(
    live_server: Any,
    new_context: Any,
    org: OrgPeople,
) -> None:
    series = make_series(org.manager, org.report, cadence="weekly")
    held = make_meeting(series, when=timezone.now() - timedelta(days=7))
    make_action_item(held, org.manager, "Send the roadmap")
    make_action_item(held, org.report, "Update the runbook")
    with organization_scope(org.organization):
        services.meeting_complete(actor=org.manager, meeting=held)
        meeting = series.meetings.get(status="upcoming")
    url = f"{live_server.url}/o/{org.organization.slug}/one-on-ones/meetings/{meeting.pk}/"

    # The manager has the meeting open already.
    manager = signed_in_page(new_context, live_server, org.manager)
    manager.goto(url)
    manager.evaluate("window.__sameDocument = true")

    # The report adds a talking point; htmx swaps the agenda in without a page load.
    report = signed_in_page(new_context, live_server, org.report)
    report.goto(url)
    report.evaluate("window.__sameDocument = true")
    report.get_by_label("Talking point", exact=True).fill("Moving to the platform team")
    report.get_by_role("button", name="Add talking point").click()
    report.locator("#agenda .agenda-text", has_text="Moving to the platform team").wait_for()
    assert report.evaluate("window.__sameDocument === true")

    # The manager's open page picks the point up by itself (the agenda polls) ...
    manager.locator("#agenda", has_text="Moving to the platform team").wait_for(timeout=25_000)
    assert manager.evaluate("window.__sameDocument === true")
    # ... ticks an action item and adds a private note, all without a page load.
    manager.get_by_label("Send the roadmap").check()
    manager.locator(".action-item.is-done", has_text="Send the roadmap").wait_for()
    manager.get_by_label("Private note", exact=True).fill("Check in about the team move next week")
    manager.get_by_role("button", name="Add private note").click()
    manager.locator("#private .private-note", has_text="Check in about the team move").wait_for()
    assert manager.evaluate("window.__sameDocument === true")

    # The report reloads: the note is nowhere on their page; the tick is.
    report.reload()
    report.locator(".action-item.is-done", has_text="Send the roadmap").wait_for()
    assert "Check in about the team move" not in report.content()

    # The manager marks the meeting done; the next one shows only the undone item.
    manager.get_by_role("button", name="Mark meeting done").click()
    manager.get_by_role("link", name="Next meeting →").click()
    manager.locator("#actions").wait_for()
    actions = manager.locator("#actions").inner_text()
    assert "Update the runbook" in actions
    assert "Send the roadmap" not in actions
    assert "Moving to the platform team" in manager.locator("#agenda").inner_text()


def test_a_first_one_on_one_in_2020_is_refused_then_recorded_as_held_not_upcoming(
    live_server: Any, new_context: Any, org: OrgPeople
) -> None:
    page = signed_in_page(new_context, live_server, org.manager)
    page.goto(f"{live_server.url}/o/{org.organization.slug}/one-on-ones/")
    choose_person(page, "With", org.report.display_name)  # the matches load as one types
    page.get_by_label("First meeting").fill("2020-01-01T10:00")
    page.get_by_role("button", name="Start 1:1").click()

    page.get_by_text("That day has passed: choose a time from today on").wait_for()
    assert page.get_by_label("First meeting").input_value() == "2020-01-01T10:00"

    page.get_by_label("It already took place").check()
    page.get_by_role("button", name="Start 1:1").click()
    page.get_by_text("Your 1:1 is set up.").wait_for()
    meetings = page.locator(".meeting-list")
    meetings.get_by_text("Not marked done yet").wait_for()
    assert "Upcoming" not in meetings.inner_text()

"""Choosing several people for a feedback request: a search box that finds at most a
bounded number of people (never a list of the whole organization), with checkboxes that
work with a finger on a phone. A ticked person stays chosen whatever is searched next."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from feedback.models import FeedbackAsk
from perfmgmt.tenancy.context import organization_scope
from tests.conftest import OrgPeople, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOUND = """() => [...document.querySelectorAll("#id_people_found label")]
  .map((choice) => choice.textContent.trim().split(" · ")[0])"""


def test_a_person_finds_and_ticks_several_people_to_ask_on_a_phone(
    live_server: Any, new_context: Any, org: OrgPeople
) -> None:
    client = login(Client(), org.report)
    context = new_context()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/o/acme/feedback/requests/new/")

    assert page.locator("select[multiple]").count() == 0
    assert page.locator("input[name=people]").count() == 0  # nobody is listed before a search
    # htmx searches while typing: the button for browsers without JavaScript is hidden.
    assert page.get_by_role("button", name="Search").count() == 0
    search = page.get_by_label("Ask")
    search.fill("ravi")
    page.locator("#id_people_found label", has_text="Ravi Report").wait_for()
    assert page.evaluate(FOUND) == ["Ravi Report (acme)"]
    page.get_by_label("Ravi Report (acme)").check()

    search.fill("Cora")
    page.locator("#id_people_found label", has_text="Cora Colleague").wait_for()
    assert page.evaluate(FOUND) == ["Cora Colleague (acme)"]
    page.get_by_label("Cora Colleague (acme)").check()
    # Ravi's box was ticked in an earlier search and is still part of the form.
    assert page.locator("#id_people_chosen input[name=people]:checked").count() == 2
    search.press("Enter")  # searches again; does not send the half-filled form
    assert "/requests/new/" in page.url
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")

    page.get_by_label("What would you like feedback on?").fill("How was my demo?")
    page.get_by_label("Answer by").fill((timezone.localdate() + timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Send request").click()
    page.wait_for_url(lambda url: "/requests/new/" not in url)

    with organization_scope(org.organization):
        asked = set(FeedbackAsk.objects.values_list("person_id", flat=True))
    assert asked == {org.report2.pk, org.colleague.pk}


def test_without_javascript_the_search_button_finds_people_and_keeps_what_was_typed(
    live_server: Any, new_context: Any, org: OrgPeople
) -> None:
    client = login(Client(), org.report)
    context = new_context(java_script_enabled=False)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/o/acme/feedback/requests/new/")
    page.get_by_label("What would you like feedback on?").fill("How was my demo?")
    page.get_by_label("Ask").fill("Cora")
    page.get_by_role("button", name="Search").click()

    page.get_by_label("Cora Colleague (acme)").check()
    assert page.get_by_label("What would you like feedback on?").input_value() == (
        "How was my demo?"
    )
    assert page.locator(".errorlist").count() == 0
    page.get_by_label("Answer by").fill((timezone.localdate() + timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Send request").click()
    page.wait_for_url(lambda url: "/requests/new/" not in url)
    with organization_scope(org.organization):
        asked = set(FeedbackAsk.objects.values_list("person_id", flat=True))
    assert asked == {org.colleague.pk}

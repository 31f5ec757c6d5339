"""Choosing several people for a feedback request (issue 10, item 17): a searchable list of
checkboxes that works with a finger on a phone, instead of a multiple select that needs
Ctrl-click. The search narrows the list and says how many are shown; a ticked person stays
in the list whatever is searched."""

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

SHOWN = """() => [...document.querySelectorAll(".picker-choice")]
  .filter((choice) => !choice.hidden).map((choice) => choice.textContent.trim())"""


def test_a_person_picks_several_people_to_ask_on_a_phone(
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
    ask = page.get_by_role("group", name="Ask")
    everyone = len(page.evaluate(SHOWN))
    assert everyone >= 5

    search = ask.get_by_label("Find a person")
    search.fill("ravi")
    assert page.evaluate(SHOWN) == ["Ravi Report (acme)"]
    page.get_by_text(f"1 of {everyone} shown").wait_for()
    ask.get_by_label("Ravi Report (acme)").check()

    search.fill("Cora")
    assert sorted(page.evaluate(SHOWN)) == ["Cora Colleague (acme)", "Ravi Report (acme)"]
    ask.get_by_label("Cora Colleague (acme)").check()
    search.fill("")
    assert len(page.evaluate(SHOWN)) == everyone
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")

    page.get_by_label("What would you like feedback on?").fill("How was my demo?")
    page.get_by_label("Answer by").fill((timezone.localdate() + timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Send request").click()
    page.wait_for_url(lambda url: "/requests/new/" not in url)

    with organization_scope(org.organization):
        asked = set(FeedbackAsk.objects.values_list("person_id", flat=True))
    assert asked == {org.report2.pk, org.colleague.pk}

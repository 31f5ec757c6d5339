"""A long URL or word someone typed wraps on a phone instead of widening the page (issue 10,
item 11): before, one link in an action item made the 1:1 page 1,126 px wide."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import OrgPeople, login
from tests.feedback.meetings.factories import (
    make_action_item,
    make_meeting,
    make_point,
    make_series,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_URL = "https://intranet.example.com/" + "runbookwithoutanyplacetobreakaline" * 6


def test_a_long_url_in_an_action_item_and_a_talking_point_wraps_on_a_phone(
    live_server: Any, new_context: Any, org: OrgPeople
) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    make_action_item(meeting, org.report, text=f"Read {LONG_URL}")
    make_point(meeting, org.report, text=LONG_URL)
    client = login(Client(), org.report)
    context = new_context()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/o/acme/one-on-ones/meetings/{meeting.pk}/")

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    for text in (page.get_by_text(f"Read {LONG_URL}"), page.locator(".agenda-text")):
        box = text.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 360

"""After an htmx change on the 1:1 page, focus lands on what changed and it is announced
(issue 10, item 18): a new talking point or action item gets the focus and is read out as
added; a refused one puts the focus on the invalid field and reads the error out. Before,
focus dropped to the page body and nothing was said."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople, login
from tests.feedback.meetings.factories import make_meeting, make_series

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED_ITEM = """() => {
  const item = document.activeElement.closest("[data-live-item]");
  return item ? item.textContent.replace(/\\s+/g, " ").trim() : null;
}"""


def signed_in_page(new_context: Any, base_url: str, member: Membership) -> Any:
    client = login(Client(), member)
    context = new_context()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])
    return context.new_page()


def announced(page: Any, text: str) -> None:
    page.wait_for_function(
        "(text) => document.getElementById('live-announcer').textContent.includes(text)",
        arg=text,
    )


def test_focus_follows_an_added_item_or_an_error_and_the_change_is_announced(
    live_server: Any, new_context: Any, org: OrgPeople
) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    page = signed_in_page(new_context, live_server.url, org.report)
    page.goto(f"{live_server.url}/o/acme/one-on-ones/meetings/{meeting.pk}/")

    page.get_by_label("Talking point", exact=True).fill("Moving to the platform team")
    page.get_by_role("button", name="Add talking point").click()
    announced(page, "Added: Moving to the platform team")
    assert "Moving to the platform team" in page.evaluate(FOCUSED_ITEM)

    page.get_by_role("button", name="Add action item").click()  # nothing typed
    announced(page, "Say what needs doing.")
    focused = page.evaluate(
        "() => [document.activeElement.name, document.activeElement.getAttribute('aria-invalid')]"
    )
    assert focused == ["text", "true"]

    page.keyboard.type("Book the room")  # the focus is in the field that needs it
    page.get_by_role("button", name="Add action item").click()
    announced(page, "Added: Book the room")
    assert "Book the room" in page.evaluate(FOCUSED_ITEM)

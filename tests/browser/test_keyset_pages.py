"""The keyset pages of a large list in a real browser: the second page of team goals (with
its "First page", "Previous" and "Next" links) and the page a broken link answers fit a
360 px phone and pass the accessibility check, like every other page."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from tests.browser.test_every_page import Walk, check_page
from tests.conftest import OrgPeople, login
from tests.web.test_keyset_pages import _add_goals

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_second_page_and_a_broken_page_link_fit_a_phone_and_pass_axe(
    live_server: Any, new_context: Any, org: OrgPeople
) -> None:
    _add_goals(org, 120)
    client = login(Client(), org.manager)
    context = new_context()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    walk_log = Walk()
    page.goto(f"{live_server.url}/o/acme/goals/team/")
    page.get_by_role("link", name="Next").click()
    page.wait_for_url("**cursor=**")
    assert page.get_by_role("link", name="Previous").is_visible()
    check_page(page, Axe(), page.url, walk_log)

    broken = page.goto(f"{live_server.url}/o/acme/goals/team/?cursor=broken&status=active")
    assert broken is not None
    assert broken.status == 400
    check_page(page, Axe(), page.url, walk_log)

    assert walk_log.problems == []
